package security_test

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/config"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 11: committed writes survive `kill -9` at any moment. The
// real test kills the binary with SIGKILL in the middle of write bursts —
// person creates, roster imports, grouped QR sign-ins, each at three kill
// points — and checks that every acknowledged write and its audit record is
// there and integrity_check says ok: cmd/dangjian/crash_test.go
// (TestAcknowledgedPersonCreatesSurviveKill, TestAcknowledgedImportsSurviveKill,
// TestAcknowledgedSignInsSurviveKill).
//
// The cheap check here is what makes that true: the database is in WAL mode
// with synchronous=FULL, and a write is acknowledged only once it is in the
// database file — another connection, opened on the file the moment the
// answer arrives, already sees it and its audit record.
func TestLine11AcknowledgedMeansOnDisk(t *testing.T) {
	a, dataDir, rootID, call := committeeApp(t, func(*config.Config) {})
	var mode string
	var sync int
	w := db(a.Store())
	if err := w.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q (%v), want wal", mode, err)
	}
	if err := w.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&sync); err != nil || sync < 2 {
		t.Fatalf("synchronous %d (%v), want FULL (2) or more", sync, err)
	}
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "dangjian.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for i, seq := range []string{"201", "202", "203", "204", "205"} {
		s, b := call("POST", "/api/v1/people", person(rootID, "党员"+seq, seq))
		if s != http.StatusCreated {
			t.Fatalf("create %d: %d %s", i, s, b)
		}
		var p struct{ ID int64 }
		json.Unmarshal([]byte(b), &p)
		var rows, records int
		other.QueryRow("SELECT COUNT(*) FROM people WHERE id = ?", p.ID).Scan(&rows)
		other.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'person.create' AND object_id = ?", webtest.Itoa(p.ID)).Scan(&records)
		if rows != 1 || records != 1 {
			t.Fatalf("acknowledged person %d: %d rows and %d audit records in the file", p.ID, rows, records)
		}
	}
	var ok string
	if err := other.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || !strings.EqualFold(ok, "ok") {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
}
