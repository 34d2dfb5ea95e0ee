package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/store"
)

// BenchmarkEncryption measures what field encryption (SM4-GCM seals, an
// HMAC-SM3 blind index) costs the roster: filling 20,000 people (every ID
// number and phone sealed and indexed on the way in) and reading a page of
// 20 (40 values opened), plain and encrypted side by side.
//
//	go test -run '^$' -bench Encryption -benchtime 3s ./bench/
func BenchmarkEncryption(b *testing.B) {
	if testing.Short() {
		b.Skip("builds two 20,000-person databases")
	}
	ctx := context.Background()
	keys, err := store.ParseKeys("index=" + strings.Repeat("ab", 32) + "\nkey.1=" + strings.Repeat("01", 16))
	if err != nil {
		b.Fatal(err)
	}
	today := date.FromTime(time.Now())
	for _, c := range []struct {
		name string
		keys *store.Keys
	}{{"plain", nil}, {"sm4", &keys}} {
		st, err := store.Open(ctx, store.Config{DataDir: b.TempDir(), Keys: c.keys})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		r, err := Fill(ctx, st, 20_000, today, 2026, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: 20,000 people filled in %s", c.name, time.Since(start).Round(time.Millisecond))
		b.Run("page/"+c.name, func(b *testing.B) {
			f := store.PersonFilter{Limit: 20, Today: today}
			for b.Loop() {
				if _, err := st.People(ctx, auth.Scope{OrgPath: r.Root.Path}, f); err != nil {
					b.Fatal(err)
				}
			}
		})
		st.Close()
	}
}
