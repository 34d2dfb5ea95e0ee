package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"dangjian/internal/audit"
)

// MinAuditRetention is the legal floor: audit records are kept at least six
// months (等保2.0), whatever the configuration says; the database refuses to
// delete younger ones too.
const MinAuditRetention = 184 * 24 * time.Hour

// ArchiveFormat names the format of an audit archive file.
const ArchiveFormat = "dangjian-audit-archive/1"

// ArchiveHeader is the first line of an archive file.
type ArchiveHeader struct {
	Format    string    `json:"format"`
	Before    time.Time `json:"before"`
	UpToID    int64     `json:"up_to_id"`
	Records   int       `json:"records"`
	CreatedAt time.Time `json:"created_at"`
	Username  string    `json:"username"`
}

// archiveRecord is one audit record as an archive keeps it: every column.
type archiveRecord struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id"`
	Username   string    `json:"username"`
	IP         string    `json:"ip"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	OrgPath    string    `json:"org_path"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
}

// ErrInsideRetention refuses to archive or prune records younger than the
// retention period.
var ErrInsideRetention = errors.New("records younger than the retention period stay in the database")

// ErrBadSignature means an archive file was changed after it was signed, or
// was signed with another key.
var ErrBadSignature = errors.New("the archive's HMAC-SM3 signature does not match: the file was changed or another key signed it")

func newMAC(key []byte) hash.Hash { return hmac.New(sm3.New, key) }

// ArchiveAudit writes every audit record from before the cut-off to w, one
// JSON object a line after a header, and signs the file with HMAC-SM3 under
// key (the last line). The archive is registered in the database, which is
// what later allows PruneAudit to remove those records. The cut-off must lie
// retention or more in the past.
func (s *Store) ArchiveAudit(ctx context.Context, a audit.Actor, before time.Time, retention time.Duration, key []byte, w io.Writer) (*ArchiveHeader, error) {
	if retention < MinAuditRetention {
		retention = MinAuditRetention
	}
	if before.After(s.Now().Add(-retention)) {
		return nil, ErrInsideRetention
	}
	h := &ArchiveHeader{Format: ArchiveFormat, Before: before.UTC(), CreatedAt: s.Now(), Username: a.Username}
	if err := s.queryRow(ctx, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM audit_log WHERE at < ?", before.UTC()).Scan(&h.UpToID, &h.Records); err != nil {
		return nil, mapErr(err)
	}
	mac, sum := newMAC(key), sha256.New()
	out := io.MultiWriter(w, mac, sum)
	line := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = out.Write(append(b, '\n'))
		return err
	}
	if err := line(h); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT id, at, COALESCE(user_id, 0), username, ip, action, object_type, object_id, org_path, before_json, after_json
		FROM audit_log WHERE id <= ? AND at < ? ORDER BY id`, h.UpToID, before.UTC())
	if err != nil {
		return nil, err
	}
	n := 0
	for rows.Next() {
		var r archiveRecord
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.IP, &r.Action, &r.ObjectType, &r.ObjectID, &r.OrgPath, &r.Before, &r.After); err != nil {
			rows.Close()
			return nil, err
		}
		if err := line(r); err != nil {
			rows.Close()
			return nil, err
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if n != h.Records {
		return nil, fmt.Errorf("archive: counted %d records, wrote %d", h.Records, n)
	}
	sig := map[string]string{"hmac_sm3": hex.EncodeToString(mac.Sum(nil))}
	b, _ := json.Marshal(sig)
	if _, err := io.MultiWriter(w, sum).Write(append(b, '\n')); err != nil {
		return nil, err
	}
	digest := hex.EncodeToString(sum.Sum(nil))
	err = s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO audit_archives (up_to_id, before_at, records, sha256, created_at, username) VALUES (?, ?, ?, ?, ?, ?)`,
			h.UpToID, h.Before, h.Records, digest, h.CreatedAt, a.Username); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "audit.archive", ObjectType: "audit_log",
			After: map[string]any{"before": h.Before, "up_to_id": h.UpToID, "records": h.Records, "sha256": digest}})
	})
	return h, err
}

// VerifyArchive checks an archive file's signature under key and returns
// its header and SHA-256.
func VerifyArchive(path string, key []byte) (*ArchiveHeader, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	mac, sum := newMAC(key), sha256.New()
	r := bufio.NewReaderSize(f, 1<<16)
	var h *ArchiveHeader
	var sig []byte
	records := 0
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			sum.Write(line)
			if bytes.HasPrefix(line, []byte(`{"hmac_sm3":`)) {
				var s struct {
					HMAC string `json:"hmac_sm3"`
				}
				if json.Unmarshal(line, &s) != nil {
					return nil, "", ErrBadSignature
				}
				sig, _ = hex.DecodeString(s.HMAC)
				if _, err := r.ReadByte(); err != io.EOF {
					return nil, "", fmt.Errorf("%s: data after the signature", path)
				}
				break
			}
			mac.Write(line)
			if h == nil {
				h = &ArchiveHeader{}
				if err := json.Unmarshal(line, h); err != nil || h.Format != ArchiveFormat {
					return nil, "", fmt.Errorf("%s is not an audit archive", path)
				}
			} else {
				records++
			}
		}
		if err == io.EOF {
			return nil, "", fmt.Errorf("%s has no signature", path)
		}
		if err != nil {
			return nil, "", err
		}
	}
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, "", ErrBadSignature
	}
	if h == nil || records != h.Records {
		return nil, "", fmt.Errorf("%s holds %d records, its header says %d", path, records, h.Records)
	}
	return h, hex.EncodeToString(sum.Sum(nil)), nil
}

// PruneAudit removes from the database the records an archive holds, once
// the archive verifies under key, is the one registered when it was made,
// and its records are older than the retention period. It returns how many
// were removed; the removal itself is audited.
func (s *Store) PruneAudit(ctx context.Context, a audit.Actor, path string, retention time.Duration, key []byte) (int64, error) {
	if retention < MinAuditRetention {
		retention = MinAuditRetention
	}
	h, digest, err := VerifyArchive(path, key)
	if err != nil {
		return 0, err
	}
	var upTo int64
	var before time.Time
	if err := s.queryRow(ctx, "SELECT up_to_id, before_at FROM audit_archives WHERE sha256 = ?", digest).Scan(&upTo, &before); err != nil {
		return 0, fmt.Errorf("%s is not an archive this database made: %w", path, mapErr(err))
	}
	cutoff := s.Now().Add(-retention)
	if before.After(cutoff) {
		return 0, ErrInsideRetention
	}
	var n int64
	err = s.inTx(ctx, func(t *tx) error {
		res, err := t.exec(ctx, "DELETE FROM audit_log WHERE id <= ? AND at < ? AND at < ?", upTo, before, cutoff)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "audit.prune", ObjectType: "audit_log",
			After: map[string]any{"archive_sha256": digest, "before": h.Before, "removed": n}})
	})
	return n, err
}

// AuditProtected reports which of the audit log's protections (the database
// triggers that refuse changes) are missing, e.g. dropped by hand.
func (s *Store) AuditProtected(ctx context.Context) (missing []string, err error) {
	want := map[Dialect][]string{
		SQLite:   {"audit_log_no_update", "audit_log_no_delete", "audit_archives_no_update", "audit_archives_no_delete"},
		Postgres: {"audit_log_no_change", "audit_archives_no_change"},
	}[s.dialect]
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?"
	if s.dialect == Postgres {
		q = "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ? AND tgenabled <> 'D'"
	}
	for _, name := range want {
		var n int
		if err := s.queryRow(ctx, q, name).Scan(&n); err != nil {
			return nil, mapErr(err)
		}
		if n == 0 {
			missing = append(missing, name)
		}
	}
	return missing, nil
}
