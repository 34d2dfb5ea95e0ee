// Package config reads the settings of every command from flags, with the
// environment supplying defaults, so both `--addr :9000` and
// `DANGJIAN_ADDR=:9000` work. Nothing here is global: main builds one Config.
package config

import (
	"flag"
	"fmt"
	"os"
	"strconv"
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
	TrustProxy    bool   // take the client address from X-Forwarded-For
	LoginPerMin   int    // login attempts per client address per minute; a whole office may share one NAT address

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
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("DANGJIAN_TRUST_PROXY", false), "client address from X-Forwarded-For (env DANGJIAN_TRUST_PROXY)")
	fs.IntVar(&c.LoginPerMin, "login-per-minute", envInt("DANGJIAN_LOGIN_PER_MINUTE", 30), "login attempts per client address per minute (env DANGJIAN_LOGIN_PER_MINUTE)")

	p, s, l := auth.DefaultPasswordPolicy, auth.DefaultSessionPolicy, auth.DefaultLockoutPolicy
	fs.IntVar(&c.Password.MinLength, "password-min-length", envInt("DANGJIAN_PASSWORD_MIN_LENGTH", p.MinLength), "minimum password length (env DANGJIAN_PASSWORD_MIN_LENGTH)")
	fs.IntVar(&c.Password.MinClasses, "password-min-classes", envInt("DANGJIAN_PASSWORD_MIN_CLASSES", p.MinClasses), "character classes required of 4 (env DANGJIAN_PASSWORD_MIN_CLASSES)")
	fs.IntVar(&c.Password.MaxAgeDays, "password-max-age-days", envInt("DANGJIAN_PASSWORD_MAX_AGE_DAYS", p.MaxAgeDays), "days before a password must be changed, 0 never (env DANGJIAN_PASSWORD_MAX_AGE_DAYS)")
	fs.DurationVar(&c.Session.Idle, "session-idle", envDuration("DANGJIAN_SESSION_IDLE", s.Idle), "session idle timeout (env DANGJIAN_SESSION_IDLE)")
	fs.DurationVar(&c.Session.Absolute, "session-max", envDuration("DANGJIAN_SESSION_MAX", s.Absolute), "session absolute lifetime (env DANGJIAN_SESSION_MAX)")
	fs.IntVar(&c.Lockout.MaxFailures, "lockout-failures", envInt("DANGJIAN_LOCKOUT_FAILURES", l.MaxFailures), "failed logins that lock an account (env DANGJIAN_LOCKOUT_FAILURES)")
	fs.DurationVar(&c.Lockout.LockFor, "lockout-duration", envDuration("DANGJIAN_LOCKOUT_DURATION", l.LockFor), "how long a locked account stays locked (env DANGJIAN_LOCKOUT_DURATION)")

	t := org.DefaultTermRules
	fs.IntVar(&c.Terms.Years, "term-years", envInt("DANGJIAN_TERM_YEARS", t.Years), "committee term in years (env DANGJIAN_TERM_YEARS)")
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
	case c.Terms.Years < 1 || c.Terms.YearsGrassroot < 1:
		return fmt.Errorf("--term-years and --term-years-grassroot must be at least 1")
	case c.Terms.WarnDays < 0:
		return fmt.Errorf("--term-warn-days must not be negative")
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
