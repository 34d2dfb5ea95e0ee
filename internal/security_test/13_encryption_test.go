package security_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"encoding/json"

	"dangjian/internal/config"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 13: sensitive fields can be encrypted at rest with SM4, with an
// HMAC-SM3 blind index for exact search, keys from configuration; tampering
// with a protected record is detected. Deeper, on both databases:
// internal/store/sealer_sm4_test.go (TestSealedFieldsAreEncryptedAndTamperingIsDetected,
// TestKeyFileMistakesAreNamed), internal/store/reseal_test.go (turning
// encryption on, key rotation, tampering), cmd/dangjian/keys_test.go (the
// keys commands), internal/store/second_factor_test.go (authenticator keys).

func TestLine13IDNumbersSealedSearchableAndTamperDetected(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "data.keys")
	os.WriteFile(keyFile, []byte("index="+strings.Repeat("5a", 32)+"\nkey.1="+strings.Repeat("c3", 16)+"\n"), 0o600)
	a, _, rootID, call := committeeApp(t, func(c *config.Config) { c.DataKeyFile = keyFile })
	ctx := context.Background()
	id, phone := webtest.ValidID("19880214", "135"), "13987654321"
	s, b := call("POST", "/api/v1/people", person(rootID, "王芳", "135"))
	if s != http.StatusCreated {
		t.Fatalf("create: %d %s", s, b)
	}
	var created struct{ ID int64 }
	json.Unmarshal([]byte(b), &created)

	// The database holds no number in the clear, anywhere in the row or in
	// the audit log.
	var storedID, storedPhone, idx string
	if err := db(a.Store()).QueryRowContext(ctx, "SELECT id_number, phone, id_number_idx FROM people WHERE id = ?", created.ID).
		Scan(&storedID, &storedPhone, &idx); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(storedID, "sm4:") || !strings.HasPrefix(storedPhone, "sm4:") || strings.Contains(storedID+storedPhone+idx, id[6:14]) ||
		strings.Contains(storedPhone, phone[3:]) || idx == "" || strings.Contains(idx, id) {
		t.Fatalf("stored: id_number %q phone %q index %q", storedID, storedPhone, idx)
	}
	var inAudit int
	db(a.Store()).QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE before_json LIKE ? OR after_json LIKE ? OR after_json LIKE ?",
		"%"+id[6:14]+"%", "%"+id[6:14]+"%", "%"+phone[3:]+"%").Scan(&inAudit)
	if inAudit != 0 {
		t.Fatalf("%d audit records hold the number in the clear", inAudit)
	}
	// The exact number finds the person (through the blind index).
	if s, b := call("GET", "/api/v1/people?q="+id, nil); s != http.StatusOK || !strings.Contains(b, "王芳") {
		t.Fatalf("search by the exact ID number: %d %.300s", s, b)
	}
	if s, b := call("GET", "/api/v1/people?q="+webtest.ValidID("19880214", "136"), nil); s != http.StatusOK || strings.Contains(b, "王芳") {
		t.Fatalf("search by another ID number: %d %.300s", s, b)
	}
	// One character of the stored ciphertext changed: the API refuses to
	// show the record as data.
	flipped := storedID[:len(storedID)-3] + string("AB"[0]+(storedID[len(storedID)-3]&1)) + storedID[len(storedID)-2:]
	if flipped == storedID {
		t.Fatal("the flip changed nothing")
	}
	if _, err := db(a.Store()).ExecContext(ctx, "UPDATE people SET id_number = ? WHERE id = ?", flipped, created.ID); err != nil {
		t.Fatal(err)
	}
	s, b = call("GET", "/api/v1/people/"+webtest.Itoa(created.ID), nil)
	if s == http.StatusOK || strings.Contains(b, id[:6]) || !hasChinese(b) {
		t.Fatalf("a tampered record: %d %.300s", s, b)
	}
}

// TestLine13ExactIDSearchKeepsScope: the exact-number search works without
// a data key too, on both databases, and stays inside the searcher's scope.
func TestLine13ExactIDSearchKeepsScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		if res := w.Login(t, "committee").Get("/api/v1/people?q=" + w.P1.IDNumber); res.Status != http.StatusOK || !strings.Contains(res.Body, w.P1.Name) || strings.Contains(res.Body, w.P2.Name) {
			t.Fatalf("the committee searching 张伟's number: %d %.300s", res.Status, res.Body)
		}
		if res := w.Login(t, "branch2").Get("/api/v1/people?q=" + w.P1.IDNumber); res.Status != http.StatusOK || strings.Contains(res.Body, w.P1.Name) {
			t.Fatalf("第二党支部 searching 第一党支部's member's number: %d %.300s", res.Status, res.Body)
		}
	})
}
