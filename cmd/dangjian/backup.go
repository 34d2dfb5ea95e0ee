package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"dangjian/internal/store"
)

// backupCommand copies the running SQLite database to a backup directory
// without stopping the service, and keeps the newest --keep copies.
func backupCommand(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, fs, err := flags("backup", nil, false)
	if err != nil {
		return err
	}
	out := fs.String("out", "", "directory of the backups (default DATA-DIR/backups)")
	keep := fs.Int("keep", 0, "keep only the newest N backups in the directory; 0 keeps all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("PostgreSQL 数据库请用 pg_dump 或 pg_basebackup 备份（见 README「备份与恢复」）")
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(cfg.DataDir, "backups")
	}
	st, err := store.Open(ctx, store.Config{DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.Backup(ctx, filepath.Join(dir, store.BackupName(time.Now())))
	if err != nil {
		return err
	}
	if *keep > 0 {
		if err := store.PruneBackups(dir, *keep); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "已备份到 %s（结构版本 %d，%d 名人员，%d 条审计记录，SHA-256 %s）\n",
		filepath.Join(dir, m.File), m.SchemaVersion, m.Rows["people"], m.Rows["audit_log"], m.SHA256[:16])
	return nil
}

// restoreCommand puts a backup in place of the database; the service must be
// stopped first. The replaced database is kept beside it.
func restoreCommand(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, fs, err := flags("restore", nil, false)
	if err != nil {
		return err
	}
	from := fs.String("from", "", "the backup file to restore (dangjian-YYYYMMDD-HHMMSS.db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("--from is required")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("PostgreSQL 数据库请用 pg_restore 或 psql 恢复（见 README「备份与恢复」）")
	}
	kept, err := store.Restore(ctx, cfg.DataDir, *from, time.Now())
	if errors.Is(err, store.ErrInUse) {
		return errors.New("数据库正在使用：请先停止服务（以及其他 dangjian 命令）再恢复")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s 恢复到 %s\n", *from, cfg.DataDir)
	if kept != "" {
		fmt.Fprintf(stdout, "原数据库保留为 %s\n", kept)
	}
	return nil
}
