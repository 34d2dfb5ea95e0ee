package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
)

// EventFile is an attachment of an event (minutes signed on paper, photos,
// slides). Its content is read only when it is downloaded.
type EventFile struct {
	ID          int64     `json:"id"`
	EventID     int64     `json:"event_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	Data        []byte    `json:"-"`
}

// MaxEventFiles is how many attachments an event may have.
const MaxEventFiles = 30

// EventFiles lists an event's attachments without their content.
func (s *Store) EventFiles(ctx context.Context, sc auth.Scope, eventID int64) ([]EventFile, error) {
	if _, err := s.Event(ctx, sc, eventID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT id, event_id, name, content_type, size, sha256, created_at, created_by FROM event_files WHERE event_id = ? ORDER BY id", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EventFile
	for rows.Next() {
		var f EventFile
		if err := rows.Scan(&f.ID, &f.EventID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt, &f.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// EventFile reads one attachment with its content.
func (s *Store) EventFile(ctx context.Context, sc auth.Scope, eventID, fileID int64) (*EventFile, error) {
	if _, err := s.Event(ctx, sc, eventID); err != nil {
		return nil, err
	}
	var f EventFile
	err := s.queryRow(ctx, "SELECT id, event_id, name, content_type, size, sha256, created_at, created_by, data FROM event_files WHERE id = ? AND event_id = ?",
		fileID, eventID).Scan(&f.ID, &f.EventID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt, &f.CreatedBy, &f.Data)
	if err != nil {
		return nil, mapErr(err)
	}
	return &f, nil
}

// AddEventFile attaches a file whose type the caller checked by its content.
func (s *Store) AddEventFile(ctx context.Context, a audit.Actor, sc auth.Scope, f *EventFile) error {
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.event(ctx, sc, f.EventID)
		if err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM event_files WHERE event_id = ?", e.ID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n >= MaxEventFiles {
			return errs.Field("file", "event.too_many_files")
		}
		sum := sha256.Sum256(f.Data)
		f.SHA256, f.Size, f.CreatedAt, f.CreatedBy = hex.EncodeToString(sum[:]), int64(len(f.Data)), t.s.Now(), a.Username
		id, err := t.insert(ctx, "INSERT INTO event_files (event_id, name, content_type, size, sha256, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			f.EventID, f.Name, f.ContentType, f.Size, f.SHA256, f.Data, f.CreatedAt, f.CreatedBy)
		if err != nil {
			return err
		}
		f.ID = id
		return t.audit(ctx, a, Change{Action: "event.file_add", ObjectType: "event", ObjectID: e.ID, OrgPath: e.OrgPath,
			After: map[string]any{"file_id": id, "name": f.Name, "content_type": f.ContentType, "size": f.Size, "sha256": f.SHA256}})
	})
}

// DeleteEventFile removes an attachment; the audit record keeps its name and checksum.
func (s *Store) DeleteEventFile(ctx context.Context, a audit.Actor, sc auth.Scope, eventID, fileID int64) error {
	return s.inTx(ctx, func(t *tx) error {
		e, err := t.event(ctx, sc, eventID)
		if err != nil {
			return err
		}
		var f EventFile
		if err := t.queryRow(ctx, "SELECT name, content_type, size, sha256 FROM event_files WHERE id = ? AND event_id = ?", fileID, eventID).
			Scan(&f.Name, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return mapErr(err)
		}
		if _, err := t.exec(ctx, "DELETE FROM event_files WHERE id = ?", fileID); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "event.file_delete", ObjectType: "event", ObjectID: e.ID, OrgPath: e.OrgPath,
			Before: map[string]any{"file_id": fileID, "name": f.Name, "content_type": f.ContentType, "size": f.Size, "sha256": f.SHA256}})
	})
}

// QRSignInOn reports whether QR sign-in is on for an organisation: the
// setting of the nearest organisation on its path that has one, on by default.
func (s *Store) QRSignInOn(ctx context.Context, sc auth.Scope, orgID int64) (bool, error) {
	o, err := s.Org(ctx, sc, orgID)
	if err != nil {
		return false, err
	}
	return s.qrSignInAt(ctx, o.Path)
}

// qrSignInAt is QRSignInOn for a path, read without a scope: the sign-in
// page asks it for the event a code names.
func (s *Store) qrSignInAt(ctx context.Context, path string) (bool, error) {
	var ids []any
	start := 1
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			if id, err := strconv.ParseInt(path[start:i], 10, 64); err == nil {
				ids = append(ids, id)
			}
			start = i + 1
		}
	}
	if len(ids) == 0 {
		return true, nil
	}
	rows, err := s.query(ctx, `SELECT o.path, st.qr_signin FROM event_org_settings st JOIN orgs o ON o.id = st.org_id
		WHERE st.org_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	on, depth := true, -1
	for rows.Next() {
		var p string
		var v bool
		if err := rows.Scan(&p, &v); err != nil {
			return false, err
		}
		if len(p) > depth {
			on, depth = v, len(p)
		}
	}
	return on, rows.Err()
}

// SetQRSignIn switches QR sign-in on or off for an organisation in the scope
// and its subtree (为基层减负: members then need not scan; the secretary marks).
func (s *Store) SetQRSignIn(ctx context.Context, a audit.Actor, sc auth.Scope, orgID int64, on bool) error {
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, orgID)
		if err != nil {
			return err
		}
		before, err := t.s.qrSignInAt(ctx, o.Path)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO event_org_settings (org_id, qr_signin, version) VALUES (?, ?, 1)
			ON CONFLICT (org_id) DO UPDATE SET qr_signin = excluded.qr_signin, version = event_org_settings.version + 1`, orgID, on); err != nil {
			return err
		}
		return t.audit(ctx, a, Change{Action: "event.qr_setting", ObjectType: "org", ObjectID: orgID, OrgPath: o.Path,
			Before: map[string]any{"qr_signin": before}, After: map[string]any{"qr_signin": on}})
	})
}
