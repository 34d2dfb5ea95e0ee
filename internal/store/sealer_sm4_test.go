package store

import (
	"errors"
	"strings"
	"testing"
)

func testKeys(t *testing.T, extra string) Keys {
	t.Helper()
	k, err := ParseKeys("# test keys\nindex=" + strings.Repeat("ab", 32) + "\nkey.1=" + strings.Repeat("01", 16) + "\n" + extra)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSealedFieldsAreEncryptedAndTamperingIsDetected: what is stored is not
// the number; it reads back as the number; any changed byte, or a value
// sealed under a key this installation lacks, is refused, never shown.
func TestSealedFieldsAreEncryptedAndTamperingIsDetected(t *testing.T) {
	s, err := NewSM4Sealer(testKeys(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	const id = "37010219850312111X"
	sealed, err := s.Seal(id)
	if err != nil || !strings.HasPrefix(sealed, "sm4:1:") || strings.Contains(sealed, "370102") {
		t.Fatalf("sealed %q %v", sealed, err)
	}
	if again, _ := s.Seal(id); again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if got, err := s.Open(sealed); err != nil || got != id {
		t.Fatalf("open: %q %v", got, err)
	}
	b := []byte(sealed)
	b[len(b)-3] ^= 1
	if _, err := s.Open(string(b)); !errors.Is(err, ErrTampered) {
		t.Fatalf("a changed byte: %v", err)
	}
	if _, err := s.Open(strings.Replace(sealed, "sm4:1:", "sm4:7:", 1)); !errors.Is(err, ErrTampered) {
		t.Fatalf("an unknown key: %v", err)
	}
	if got, err := s.Open("13912345678"); err != nil || got != "13912345678" {
		t.Fatalf("a value from before encryption: %q %v", got, err)
	}
	if ix := s.Index(id); ix == s.Index(strings.ToLower(id)) && strings.Contains(ix, "370102") {
		t.Fatalf("index %q carries the number", ix)
	} else if ix != s.Index(strings.ToLower(id)) {
		t.Fatal("the index of one ID number differs by the case of its X")
	}
	// A newer key seals from now on; the older one still reads.
	s2, _ := NewSM4Sealer(testKeys(t, "key.2="+strings.Repeat("02", 16)))
	if got, err := s2.Open(sealed); err != nil || got != id {
		t.Fatalf("old value under the rotated keys: %q %v", got, err)
	}
	if newer, _ := s2.Seal(id); sealedUnder(newer) != 2 {
		t.Fatalf("sealed under key %d after rotation", sealedUnder(newer))
	}
}

func TestKeyFileMistakesAreNamed(t *testing.T) {
	for _, bad := range []string{
		"", "index=abcd\nkey.1=" + strings.Repeat("01", 16),
		"index=" + strings.Repeat("ab", 32) + "\nkey.0=" + strings.Repeat("01", 16),
		"index=" + strings.Repeat("ab", 32) + "\nkey.1=0102",
		"index=" + strings.Repeat("ab", 32) + "\nsecret=" + strings.Repeat("01", 16),
	} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
