package store

import (
	"context"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
)

// uploadKeep is how long an uploaded roster stays for its preview, its
// confirmation and its error list.
const uploadKeep = 7 * 24 * time.Hour

// ImportUpload is a roster file as uploaded.
type ImportUpload struct {
	ID       int64
	UserID   int64
	FileName string
	Data     []byte
	At       time.Time
}

// SaveImportUpload keeps an uploaded roster for the imports that run on it,
// and drops the files older than uploadKeep. Keeping a file changes no
// record of the roster: what it leads to is audited where it is written.
func (s *Store) SaveImportUpload(ctx context.Context, a audit.Actor, sc auth.Scope, name string, data []byte) (int64, error) {
	if len([]rune(name)) > maxFileName {
		name = string([]rune(name)[:maxFileName])
	}
	now := s.Now()
	var id int64
	err := s.inTx(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, "DELETE FROM import_uploads WHERE created_at < ?", now.Add(-uploadKeep)); err != nil {
			return err
		}
		var err error
		id, err = t.insert(ctx, "INSERT INTO import_uploads (user_id, org_path, file_name, data, created_at) VALUES (?, ?, ?, ?, ?)",
			nullID(a.UserID), sc.OrgPath, name, data, now)
		return err
	})
	return id, err
}

// ImportUploadOf reads an uploaded roster of the user, uploaded within the
// scope; another user's file, or one gone, is not found.
func (s *Store) ImportUploadOf(ctx context.Context, sc auth.Scope, userID, id int64) (*ImportUpload, error) {
	lo, hi := sc.PathRange()
	u := &ImportUpload{}
	err := s.queryRow(ctx, `SELECT id, COALESCE(user_id, 0), file_name, data, created_at FROM import_uploads
		WHERE id = ? AND COALESCE(user_id, 0) = ? AND org_path >= ? AND org_path < ?`, id, userID, lo, hi).
		Scan(&u.ID, &u.UserID, &u.FileName, &u.Data, &u.At)
	if err != nil {
		return nil, mapErr(err)
	}
	return u, nil
}
