package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/date"
	"dangjian/internal/store"
)

// auditCommand keeps the audit log within its retention: archive old
// records to a file signed with HMAC-SM3, verify such a file, and remove
// from the database the records an archive holds.
func auditCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("audit: say archive, verify or prune")
	}
	verb := args[0]
	cfg, fs, err := flags("audit "+verb, nil, false)
	if err != nil {
		return err
	}
	before := fs.String("before", "", "archive: records before this day (YYYY-MM-DD), at least the retention period ago")
	out := fs.String("out", "", "archive: the file to write")
	file := fs.String("file", "", "verify, prune: the archive file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := cfg.Check(); err != nil {
		return err
	}
	key, err := cfg.AuditKey()
	if err != nil {
		return err
	}
	retention := time.Duration(cfg.AuditRetentionDays) * 24 * time.Hour
	actor := audit.Actor{Username: "console:" + os.Getenv("USER"), IP: "local"}
	if verb == "verify" {
		h, sum, err := store.VerifyArchive(*file, key)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "签名有效：%d 条记录（%s 之前，至编号 %d），SHA-256 %s\n", h.Records, h.Before.Format("2006-01-02"), h.UpToID, sum)
		return nil
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "archive":
		day, err := date.Parse(*before)
		if err != nil || *out == "" {
			return errors.New("archive needs --before YYYY-MM-DD and --out FILE")
		}
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		china := time.FixedZone("CST", 8*3600) // the operator's day
		h, err := st.ArchiveAudit(ctx, actor, time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, china), retention, key, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out)
			if errors.Is(err, store.ErrInsideRetention) {
				return fmt.Errorf("%s 之后的记录仍在保存期（%d 天）内，不能归档", *before, cfg.AuditRetentionDays)
			}
			return err
		}
		fmt.Fprintf(stdout, "已归档 %d 条记录到 %s（HMAC-SM3 签名）；核对后可用 dangjian audit prune --file %s 从数据库删除\n", h.Records, *out, *out)
		return nil
	case "prune":
		n, err := st.PruneAudit(ctx, actor, *file, retention, key)
		if errors.Is(err, store.ErrInsideRetention) {
			return fmt.Errorf("该归档的记录仍在保存期（%d 天）内，不能删除", cfg.AuditRetentionDays)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已从数据库删除 %d 条已归档的审计记录\n", n)
		return nil
	}
	return fmt.Errorf("audit: unknown action %q", verb)
}
