// Package app wires the platform together: configuration, store and web
// server. Tests start the real thing on ":0" through it, exactly as the
// binary does.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/web"
	"dangjian/internal/web/accountweb"
	"dangjian/internal/web/auditweb"
	"dangjian/internal/web/authweb"
	"dangjian/internal/web/dictweb"
	"dangjian/internal/web/eventweb"
	"dangjian/internal/web/homeweb"
	"dangjian/internal/web/learningweb"
	"dangjian/internal/web/ledgerweb"
	"dangjian/internal/web/notifyweb"
	"dangjian/internal/web/opsweb"
	"dangjian/internal/web/orgweb"
	"dangjian/internal/web/peopleweb"
	"dangjian/internal/web/summaryweb"
)

// Areas are the parts of the site, in the order of the main menu. A new
// module adds its area here and nowhere else.
func Areas() []web.NewArea {
	return []web.NewArea{
		homeweb.New,
		notifyweb.New,
		orgweb.New,
		peopleweb.New,
		eventweb.New,
		learningweb.New,
		ledgerweb.New,
		summaryweb.With(Catalogue),
		accountweb.New,
		dictweb.New,
		auditweb.New,
		authweb.New,
		opsweb.New,
	}
}

// App is one running platform instance.
type App struct {
	cfg config.Config
	log *slog.Logger
	st  *store.Store
	web *web.Server
	srv *http.Server
	ln  net.Listener

	metrics   *http.Server // /metrics on its own address, when configured
	metricsLn net.Listener
}

// Open connects to the database, brings its schema up to date and prepares
// the web server; it does not listen yet.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, now func() time.Time) (*App, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	keys, err := DataKeys(cfg)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Now: now, Keys: keys})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	// With encryption on, nothing may stay in the clear: values stored
	// before it was turned on are sealed now (values under an older key wait
	// for dangjian keys rotate, which runs while the service does).
	if n, err := st.Reseal(ctx, audit.Actor{Username: "system", IP: "local"}, true, nil); err != nil {
		st.Close()
		return nil, fmt.Errorf("seal stored fields: %w", err)
	} else if n > 0 {
		log.Info("sealed fields stored before encryption was turned on", "people", n)
	}
	// A dropped trigger would let the audit log be changed unseen: say so
	// loudly at every start (and on the audit administrator's 工作台).
	if missing, err := st.AuditProtected(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("audit protection: %w", err)
	} else if len(missing) > 0 {
		log.Error("THE AUDIT LOG IS NOT PROTECTED: database triggers are missing; restore them (dangjian migrate on a fresh database, or from a backup)",
			"missing", missing)
	}
	if err := st.SeedDicts(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("dictionaries: %w", err)
	}
	w, err := web.New(st, cfg, log, Areas()...)
	if err != nil {
		st.Close()
		return nil, err
	}
	srv := &http.Server{
		Handler:           w.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // an import upload on a slow line
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return &App{cfg: cfg, log: log, st: st, web: w, srv: srv}, nil
}

// Store is the app's database, for commands and tests.
func (a *App) Store() *store.Store { return a.st }

// Listen binds the configured address (and the metrics address, if any)
// and returns the URL users open.
func (a *App) Listen() (string, error) {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return "", err
	}
	a.ln = ln
	if a.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return "", fmt.Errorf("metrics address: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.web.Metrics())
		a.metricsLn, a.metrics = mln, &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	}
	return a.URL(), nil
}

// MetricsAddr is where /metrics is served, or "" when it is not.
func (a *App) MetricsAddr() string {
	if a.metricsLn == nil {
		return ""
	}
	return a.metricsLn.Addr().String()
}

// URL is where the server can be reached: the configured base URL or, when
// none is set, the listening address on localhost.
func (a *App) URL() string {
	if a.cfg.BaseURL != "" {
		return strings.TrimSuffix(a.cfg.BaseURL, "/")
	}
	scheme := "http"
	if a.cfg.TLSCert != "" {
		scheme = "https"
	}
	port := "8080"
	if a.ln != nil {
		_, port, _ = net.SplitHostPort(a.ln.Addr().String())
	}
	return scheme + "://localhost:" + port
}

// Run serves and runs background jobs until ctx is cancelled, then lets
// requests in flight and running jobs finish (or hands the jobs back).
func (a *App) Run(ctx context.Context) error {
	if a.ln == nil {
		if _, err := a.Listen(); err != nil {
			return err
		}
	}
	if err := a.web.StartJobs(ctx); err != nil {
		a.ln.Close() // nobody will answer: refuse connections rather than leave them waiting
		return err
	}
	if a.metrics != nil {
		go a.metrics.Serve(a.metricsLn)
		defer a.metrics.Close()
	}
	errc := make(chan error, 1)
	go func() {
		if a.cfg.TLSCert != "" {
			errc <- a.srv.ServeTLS(a.ln, a.cfg.TLSCert, a.cfg.TLSKey)
		} else {
			errc <- a.srv.Serve(a.ln)
		}
	}()
	select {
	case err := <-errc:
		a.web.Drain(context.Background())
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.srv.Shutdown(shutdown); err != nil {
		return err
	}
	a.web.Drain(shutdown)
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close releases the database.
func (a *App) Close() error { return a.st.Close() }

// SetupLink returns a one-time link that creates the first administrator,
// or "" when the installation already has accounts. No default password
// exists anywhere: whoever can read the server's output sets the first one.
func (a *App) SetupLink(ctx context.Context) (string, error) {
	n, err := a.st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token, hash := auth.NewToken()
	if err := a.st.CreateSetupToken(ctx, hash, a.st.Now().Add(24*time.Hour)); err != nil {
		return "", err
	}
	return a.URL() + "/setup?token=" + token, nil
}

// DataKeys reads the field-encryption keys the configuration names, or nil
// when encryption is off.
func DataKeys(cfg config.Config) (*store.Keys, error) {
	if cfg.DataKeyFile == "" {
		return nil, nil
	}
	b, err := os.ReadFile(cfg.DataKeyFile)
	if err != nil {
		return nil, fmt.Errorf("data key file: %w", err)
	}
	k, err := store.ParseKeys(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.DataKeyFile, err)
	}
	return &k, nil
}
