package config

import (
	"flag"
	"testing"

	"dangjian/internal/org"
)

// Term lengths are settings like the others: defaults of the 条例, the
// environment, then flags; settings that cannot work are refused at start.
func TestTermRulesAreSettings(t *testing.T) {
	if got := Default().Terms; got != org.DefaultTermRules {
		t.Fatalf("defaults: %+v", got)
	}
	t.Setenv("DANGJIAN_TERM_YEARS", "5")
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse([]string{"--term-warn-days", "60"}); err != nil {
		t.Fatal(err)
	}
	if c.Terms != (org.TermRules{Years: 5, YearsCommittee: 5, YearsGrassroot: 5, WarnDays: 60}) {
		t.Fatalf("from environment and flags: %+v", c.Terms)
	}
	if err := c.Check(); err != nil {
		t.Fatalf("good settings refused: %v", err)
	}
	c.Terms.Years = 0
	if c.Check() == nil {
		t.Fatal("a term of 0 years was accepted")
	}
}
