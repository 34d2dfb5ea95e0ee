package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/gen"
	"dangjian/internal/store"
)

// genCommand fills an empty database with a generated province
// (internal/gen), for load tests and benchmarks.
func genCommand(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, fs, err := flags("gen", nil, false)
	if err != nil {
		return err
	}
	n := fs.Int("people", 100000, "people on the generated roster (about one party branch for every 20)")
	seed := fs.Int64("seed", 1, "the same seed writes the same contents")
	years := fs.Int("years", 2, "years of organisational life up to today")
	on := fs.String("today", "", "the last day of the records, YYYY-MM-DD (default: today)")
	quiet := fs.Bool("quiet", false, "no progress bar on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	today := date.FromTime(time.Now().In(event.China))
	if *on != "" {
		if today, err = date.Parse(*on); err != nil {
			return fmt.Errorf("--today: %w", err)
		}
	}
	if cfg.DatabaseURL == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return err
		}
	}
	if err := cfg.Check(); err != nil {
		return err
	}
	keys, err := app.DataKeys(*cfg) // ID numbers sealed as the server would seal them
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Keys: keys})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	o := gen.Options{People: *n, Seed: *seed, Years: *years, Today: today}
	if !*quiet {
		o.Progress = os.Stderr
	}
	start := time.Now()
	res, err := gen.Run(ctx, st, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated in %s on %s: %d organisations (%d branches), %d people, %d events with %d marks, %d notes, %d ledger items\n",
		time.Since(start).Round(time.Second), st.Dialect(), res.Orgs, res.Branches, res.People, res.Events, res.Marks, res.Notes, res.LedgerItems)
	return nil
}
