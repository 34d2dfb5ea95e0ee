package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ErrBackupPostgres says that a PostgreSQL database is backed up with its own
// tools (pg_dump, pg_basebackup; see the README), not by the platform.
var ErrBackupPostgres = errors.New("PostgreSQL is backed up with pg_dump or pg_basebackup (see README)")

// Manifest describes a backup file: when it was made, the schema version, a
// checksum of the file and the rows of every table, so a restore can check it
// and a person can see what it holds.
type Manifest struct {
	File          string         `json:"file"`
	CreatedAt     time.Time      `json:"created_at"`
	SchemaVersion int64          `json:"schema_version"`
	SHA256        string         `json:"sha256"`
	Rows          map[string]int `json:"rows"`
}

// Backup writes a consistent copy of the running SQLite database to path
// (VACUUM INTO: a snapshot from one read transaction, taken while the service
// keeps writing) and returns its manifest, also written beside it as
// path+".json". The copy is written under a temporary name and renamed, so a
// backup that was cut off never looks complete.
func (s *Store) Backup(ctx context.Context, path string) (*Manifest, error) {
	if s.dialect != SQLite {
		return nil, ErrBackupPostgres
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	// The read pool is query_only; VACUUM INTO writes only the new file, but
	// SQLite counts it as a write statement, so the writer connection runs it.
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("backup: %w", err)
	}
	m, err := Inspect(ctx, tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	m.File, m.CreatedAt = filepath.Base(path), s.Now()
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return m, os.WriteFile(path+".json", b, 0o600)
}

// Inspect checks a backup file — SQLite's integrity check, a schema this
// binary knows — and describes it. The file is opened read-only.
func Inspect(ctx context.Context, path string) (*Manifest, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		return nil, fmt.Errorf("%s is not a readable database: %w", path, err)
	}
	if check != "ok" {
		return nil, fmt.Errorf("%s fails the integrity check: %s", path, check)
	}
	m := &Manifest{Rows: map[string]int{}}
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&m.SchemaVersion); err != nil {
		return nil, fmt.Errorf("%s is not a dangjian database: %w", path, err)
	}
	if known := latestMigration(); m.SchemaVersion > known {
		return nil, fmt.Errorf("%s has schema version %d; this binary knows up to %d: use a newer dangjian", path, m.SchemaVersion, known)
	}
	tables, err := tableNames(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return nil, err
		}
		m.Rows[t] = n
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	m.SHA256 = hex.EncodeToString(h.Sum(nil))
	return m, nil
}

func tableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// latestMigration is the highest migration number this binary carries.
func latestMigration() int64 {
	var top int64
	for _, n := range migrationNumbers() {
		top = max(top, n)
	}
	return top
}

// migrationCount is how many migrations this binary carries.
func migrationCount() int { return len(migrationNumbers()) }

func migrationNumbers() []int64 {
	entries, _ := migrations.ReadDir("migrations/sqlite")
	var ns []int64
	for _, e := range entries {
		var n int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &n); err == nil {
			ns = append(ns, n)
		}
	}
	return ns
}

// Restore puts a checked backup in place of the SQLite database in dataDir.
// The service must be stopped: the database must not be open anywhere. The
// database it replaces is kept beside it (dangjian.db.before-restore-…), so
// a restore can be undone.
func Restore(ctx context.Context, dataDir, backup string, now time.Time) (kept string, err error) {
	m, err := Inspect(ctx, backup)
	if err != nil {
		return "", err
	}
	if b, err := os.ReadFile(backup + ".json"); err == nil {
		var want Manifest
		if json.Unmarshal(b, &want) == nil && want.SHA256 != "" && want.SHA256 != m.SHA256 {
			return "", fmt.Errorf("%s does not match its manifest's checksum: it changed after the backup", backup)
		}
	}
	db := filepath.Join(dataDir, "dangjian.db")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	lock, err := lockFile(db+".lock", true)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	tmp := db + ".restoring"
	if err := copyFile(backup, tmp); err != nil {
		return "", err
	}
	if _, err := os.Stat(db); err == nil {
		kept = db + ".before-restore-" + now.UTC().Format("20060102-150405")
		if err := os.Rename(db, kept); err != nil {
			os.Remove(tmp)
			return "", err
		}
	}
	// The old database's write-ahead log belongs to it, not to the backup.
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			if kept != "" {
				os.Rename(db+suffix, kept+suffix)
			} else {
				os.Remove(db + suffix)
			}
		}
	}
	return kept, os.Rename(tmp, db)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Backups lists the backup files in dir, newest first.
func Backups(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "dangjian-") && strings.HasSuffix(n, ".db") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// BackupName is the file name of a backup made at t: sorting by name sorts
// by time.
func BackupName(t time.Time) string {
	return "dangjian-" + t.UTC().Format("20060102-150405") + ".db"
}

// PruneBackups keeps the newest keep backups in dir and removes the rest
// with their manifests.
func PruneBackups(dir string, keep int) error {
	list, err := Backups(dir)
	if err != nil || len(list) <= keep {
		return err
	}
	for _, old := range list[keep:] {
		if err := os.Remove(old); err != nil {
			return err
		}
		os.Remove(old + ".json")
	}
	return nil
}
