// Package config reads the settings of every command from flags, with the
// environment supplying defaults, so both `--addr :9000` and
// `DANGJIAN_ADDR=:9000` work. Nothing here is global: main builds one Config.
package config

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/org"
)

// Config is every setting of the binary. The README lists them.
type Config struct {
	Addr          string // listen address
	DataDir       string // SQLite file and other local data
	DatabaseURL   string // postgres://… selects PostgreSQL
	BaseURL       string // how users reach the server; used in printed links
	TLSCert       string // serve HTTPS with this certificate …
	TLSKey        string // … and key
	SecureCookies bool   // set when a proxy in front terminates TLS
	TrustProxy    bool   // a reverse proxy is in front: take the client address from X-Forwarded-For
	// TrustedProxies are the proxies whose X-Forwarded-For entries are
	// believed. Empty with TrustProxy means the one proxy that connects to us:
	// the client is the address it appended (the rightmost entry).
	TrustedProxies []netip.Prefix
	LoginPerMin    int // login attempts per client address per minute; a whole office may share one NAT address

	proxiesErr error // a malformed DANGJIAN_TRUSTED_PROXIES, reported by Check

	MetricsAddr string // where /metrics listens (Prometheus); empty turns it off
	LogFormat   string // "text" or "json"
	LogLevel    string // debug, info, warn, error

	DataKeyFile string // SM4/HMAC-SM3 keys of field encryption; empty leaves ID numbers and phones unencrypted

	AuditRetentionDays int    // audit records kept at least this long; never below 184 (等保)
	AuditKeyFile       string // HMAC-SM3 key of audit archives: a file holding 64+ hex digits

	BackupDir   string        // where scheduled backups go (SQLite); empty means DataDir/backups
	BackupEvery time.Duration // how often, from 02:00 China time; 0 turns scheduled backups off
	BackupKeep  int           // how many scheduled backups are kept

	Password auth.PasswordPolicy
	Session  auth.SessionPolicy
	Lockout  auth.LockoutPolicy
	Terms    org.TermRules // committee term lengths, for the 换届 reminders
}

// Register declares the flags on fs; defaults come from the environment.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", env("DANGJIAN_ADDR", ":8080"), "listen address (env DANGJIAN_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("DANGJIAN_DATA_DIR", "./data"), "data directory for the embedded database (env DANGJIAN_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL URL; empty means embedded SQLite (env DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", env("DANGJIAN_BASE_URL", ""), "public address, e.g. https://dj.example.gov.cn (env DANGJIAN_BASE_URL)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("DANGJIAN_TLS_CERT", ""), "TLS certificate file (env DANGJIAN_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("DANGJIAN_TLS_KEY", ""), "TLS key file (env DANGJIAN_TLS_KEY)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("DANGJIAN_SECURE_COOKIES", false), "mark cookies Secure (behind a TLS proxy) (env DANGJIAN_SECURE_COOKIES)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("DANGJIAN_TRUST_PROXY", false), "client address from X-Forwarded-For, as the proxy in front saw it (env DANGJIAN_TRUST_PROXY)")
	c.TrustedProxies = nil
	if err := c.setProxies(env("DANGJIAN_TRUSTED_PROXIES", "")); err != nil {
		c.proxiesErr = err
	}
	fs.Func("trusted-proxies", "comma-separated addresses or CIDRs of chained proxies whose X-Forwarded-For entries are believed (env DANGJIAN_TRUSTED_PROXIES)",
		c.setProxies)
	fs.IntVar(&c.LoginPerMin, "login-per-minute", envInt("DANGJIAN_LOGIN_PER_MINUTE", 30), "login attempts per client address per minute (env DANGJIAN_LOGIN_PER_MINUTE)")

	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("DANGJIAN_METRICS_ADDR", ""), "address of the Prometheus /metrics endpoint, e.g. 127.0.0.1:9464; empty is off (env DANGJIAN_METRICS_ADDR)")
	fs.StringVar(&c.LogFormat, "log-format", env("DANGJIAN_LOG_FORMAT", "text"), "log format: text or json (env DANGJIAN_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("DANGJIAN_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env DANGJIAN_LOG_LEVEL)")
	fs.StringVar(&c.DataKeyFile, "data-key-file", env("DANGJIAN_DATA_KEY_FILE", ""), "file with the keys that encrypt ID numbers and phones (SM4) and index them (HMAC-SM3); see dangjian keys generate (env DANGJIAN_DATA_KEY_FILE)")
	fs.IntVar(&c.AuditRetentionDays, "audit-retention-days", envInt("DANGJIAN_AUDIT_RETENTION_DAYS", 184), "audit records are kept at least this many days, 184 or more (env DANGJIAN_AUDIT_RETENTION_DAYS)")
	fs.StringVar(&c.AuditKeyFile, "audit-key-file", env("DANGJIAN_AUDIT_KEY_FILE", ""), "file with the HMAC-SM3 key (hex, 32+ bytes) that signs audit archives (env DANGJIAN_AUDIT_KEY_FILE)")
	fs.StringVar(&c.BackupDir, "backup-dir", env("DANGJIAN_BACKUP_DIR", ""), "directory of scheduled backups, default DATA-DIR/backups (env DANGJIAN_BACKUP_DIR)")
	fs.DurationVar(&c.BackupEvery, "backup-every", envDuration("DANGJIAN_BACKUP_EVERY", 24*time.Hour), "scheduled backup interval from 02:00, 0 turns them off; SQLite only (env DANGJIAN_BACKUP_EVERY)")
	fs.IntVar(&c.BackupKeep, "backup-keep", envInt("DANGJIAN_BACKUP_KEEP", 14), "scheduled backups kept (env DANGJIAN_BACKUP_KEEP)")

	p, s, l := auth.DefaultPasswordPolicy, auth.DefaultSessionPolicy, auth.DefaultLockoutPolicy
	fs.IntVar(&c.Password.MinLength, "password-min-length", envInt("DANGJIAN_PASSWORD_MIN_LENGTH", p.MinLength), "minimum password length (env DANGJIAN_PASSWORD_MIN_LENGTH)")
	fs.IntVar(&c.Password.MinClasses, "password-min-classes", envInt("DANGJIAN_PASSWORD_MIN_CLASSES", p.MinClasses), "character classes required of 4 (env DANGJIAN_PASSWORD_MIN_CLASSES)")
	fs.IntVar(&c.Password.MaxAgeDays, "password-max-age-days", envInt("DANGJIAN_PASSWORD_MAX_AGE_DAYS", p.MaxAgeDays), "days before a password must be changed, 0 never (env DANGJIAN_PASSWORD_MAX_AGE_DAYS)")
	fs.IntVar(&c.Password.HistorySize, "password-history", envInt("DANGJIAN_PASSWORD_HISTORY", p.HistorySize), "last chosen passwords a new one may not repeat, 0 none (env DANGJIAN_PASSWORD_HISTORY)")
	fs.DurationVar(&c.Session.Idle, "session-idle", envDuration("DANGJIAN_SESSION_IDLE", s.Idle), "session idle timeout (env DANGJIAN_SESSION_IDLE)")
	fs.DurationVar(&c.Session.Absolute, "session-max", envDuration("DANGJIAN_SESSION_MAX", s.Absolute), "session absolute lifetime (env DANGJIAN_SESSION_MAX)")
	fs.IntVar(&c.Lockout.MaxFailures, "lockout-failures", envInt("DANGJIAN_LOCKOUT_FAILURES", l.MaxFailures), "failed logins that lock an account (env DANGJIAN_LOCKOUT_FAILURES)")
	fs.DurationVar(&c.Lockout.LockFor, "lockout-duration", envDuration("DANGJIAN_LOCKOUT_DURATION", l.LockFor), "how long a locked account stays locked (env DANGJIAN_LOCKOUT_DURATION)")

	t := org.DefaultTermRules
	fs.IntVar(&c.Terms.Years, "term-years", envInt("DANGJIAN_TERM_YEARS", t.Years), "term of 总支部委员会 and 支部委员会 in years (env DANGJIAN_TERM_YEARS)")
	fs.IntVar(&c.Terms.YearsCommittee, "term-years-committee", envInt("DANGJIAN_TERM_YEARS_COMMITTEE", t.YearsCommittee), "term of 党的基层委员会 (党委, 机关党委) in years (env DANGJIAN_TERM_YEARS_COMMITTEE)")
	fs.IntVar(&c.Terms.YearsGrassroot, "term-years-grassroot", envInt("DANGJIAN_TERM_YEARS_GRASSROOT", t.YearsGrassroot), "committee term of villages, communities and townships in years (env DANGJIAN_TERM_YEARS_GRASSROOT)")
	fs.IntVar(&c.Terms.WarnDays, "term-warn-days", envInt("DANGJIAN_TERM_WARN_DAYS", t.WarnDays), "days before a term ends that 换届 shows as due (env DANGJIAN_TERM_WARN_DAYS)")
}

// Default is the configuration with every default and no environment.
func Default() Config {
	var c Config
	fs := flag.NewFlagSet("default", flag.ContinueOnError)
	c.Register(fs)
	return c
}

// Check refuses settings that cannot work, before anything starts.
func (c *Config) Check() error {
	switch {
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key go together")
	case c.Password.MinLength < 8:
		return fmt.Errorf("--password-min-length must be at least 8")
	case c.Lockout.MaxFailures < 1:
		return fmt.Errorf("--lockout-failures must be at least 1")
	case c.Session.Idle <= 0 || c.Session.Absolute < c.Session.Idle:
		return fmt.Errorf("--session-idle must be positive and not above --session-max")
	case c.LoginPerMin < 1:
		return fmt.Errorf("--login-per-minute must be at least 1")
	case c.proxiesErr != nil:
		return fmt.Errorf("DANGJIAN_TRUSTED_PROXIES: %w", c.proxiesErr)
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	case c.level() == nil:
		return fmt.Errorf("--log-level must be debug, info, warn or error")
	case c.AuditRetentionDays < 184:
		return fmt.Errorf("--audit-retention-days must be at least 184 (等保 requires six months)")
	case c.BackupEvery < 0 || (c.BackupEvery > 0 && c.BackupEvery < time.Hour):
		return fmt.Errorf("--backup-every must be 0 (off) or at least 1h")
	case c.BackupKeep < 1:
		return fmt.Errorf("--backup-keep must be at least 1")
	case len(c.TrustedProxies) > 0 && !c.TrustProxy:
		return fmt.Errorf("--trusted-proxies needs --trust-proxy")
	case c.Terms.Years < 1 || c.Terms.YearsCommittee < 1 || c.Terms.YearsGrassroot < 1:
		return fmt.Errorf("--term-years, --term-years-committee and --term-years-grassroot must be at least 1")
	case c.Terms.WarnDays < 0:
		return fmt.Errorf("--term-warn-days must not be negative")
	}
	return nil
}

// Logger is the structured log the settings ask for, written to w.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if l := c.level(); l != nil {
		opts.Level = *l
	}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func (c *Config) level() *slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil
	}
	return &l
}

// AuditKey reads the audit archives' signing key from AuditKeyFile: hex,
// at least 32 bytes. The key is never kept in the database it protects.
func (c *Config) AuditKey() ([]byte, error) {
	if c.AuditKeyFile == "" {
		return nil, fmt.Errorf("no --audit-key-file: audit archives are signed with a key kept outside the database")
	}
	b, err := os.ReadFile(c.AuditKeyFile)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("%s must hold at least 64 hex digits (a 32-byte key), e.g. from: head -c 32 /dev/urandom | xxd -p -c 64", c.AuditKeyFile)
	}
	return key, nil
}

// setProxies parses "10.0.0.1, 10.1.0.0/16" into prefixes (an address is a
// prefix of its full length).
func (c *Config) setProxies(list string) error {
	c.TrustedProxies = nil
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return fmt.Errorf("%q is neither an address nor a CIDR", item)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	return nil
}

// TLS reports whether the server speaks HTTPS itself or sits behind a proxy that does.
func (c *Config) TLS() bool { return c.TLSCert != "" || c.SecureCookies }

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(env(key, "")); err == nil {
		return n
	}
	return def
}

func envBool(key string, def bool) bool {
	if b, err := strconv.ParseBool(env(key, "")); err == nil {
		return b
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(key, "")); err == nil {
		return d
	}
	return def
}
