package indicator

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/date"
)

// TestChangeIsWrittenAsTheSeedsWriteIt: the sentences of the two seed
// summaries, produced from the numbers behind them.
func TestChangeIsWrittenAsTheSeedsWriteIt(t *testing.T) {
	count := Indicator{Unit: "篇", Kind: PerCapita}
	share := Indicator{Unit: "%", Kind: Share}
	score := Indicator{Unit: "分", Kind: Average}
	complaints := Indicator{Unit: "件", Kind: Count}
	for _, tc := range []struct {
		in          Indicator
		now, before Value
		want        string
	}{
		{count, Of(1.8), Of(1.5), "较上年同期提升20%"},                 // 心得体会人均1.8篇，提升20%
		{share, Ratio(38, 100), Ratio(33, 100), "较上年同期提高5个百分点"}, // 35岁以下党员占比38%，提高5个百分点
		{score, Of(91), Of(87), "较上年同期提升4分"},                    // 满意度91分，较上年提升4分
		{complaints, Of(27), Of(45), "较上年同期下降40%"},              // 信访投诉量同比下降40%
		{share, Ratio(85, 100), Ratio(86.04, 100), "较上年同期降低1个百分点"},
		{complaints, Of(5), Of(5), "与上年同期持平"},
		{complaints, Of(5), Of(0), "上年同期为0"},
		{share, Ratio(3, 10), Ratio(0, 0), ""}, // no rate a year earlier: no comparison
	} {
		if got := tc.in.Change(tc.now, tc.before); got != tc.want {
			t.Errorf("%v against %v: %q, want %q", tc.now.Value, tc.before.Value, got, tc.want)
		}
	}
}

func TestValuesAreWrittenAsTheSeedsWriteThem(t *testing.T) {
	for _, tc := range []struct {
		in   Indicator
		v    Value
		want string
	}{
		{Indicator{Unit: "次", Kind: Count}, Of(16), "16次"},
		{Indicator{Unit: "%", Kind: Rate}, Ratio(317, 320), "99.1%"},
		{Indicator{Unit: "%", Kind: Rate}, Ratio(9860, 10000), "98.6%"},
		{Indicator{Unit: "%", Kind: Rate}, Ratio(320, 320), "100%"},
		{Indicator{Unit: "字", Kind: PerCapita}, PerHead(320*32000, 320), "3.2万字"},
		{Indicator{Unit: "元", Kind: Amount}, Of(32000), "3.2万元"},
		{Indicator{Unit: "篇", Kind: PerCapita}, PerHead(576, 320), "1.8篇"},
		{Indicator{Unit: "%", Kind: Rate}, Ratio(0, 0), "—"},
	} {
		if got := tc.in.Format(tc.v); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		p                    Period
		from, to, label, yoy string
	}{
		{HalfYear(2026, 1), "2026-01-01", "2026-06-30", "2026年上半年", "2025-01-01…2025-06-30"},
		{Quarter(2026, 4), "2026-10-01", "2026-12-31", "2026年第四季度", "2025-10-01…2025-12-31"},
		{Month(2024, time.February), "2024-02-01", "2024-02-29", "2024年2月", "2023-02-01…2023-02-28"},
		{Year(2026), "2026-01-01", "2026-12-31", "2026年", "2025-01-01…2025-12-31"},
	} {
		y := tc.p.YearEarlier()
		if tc.p.From.String() != tc.from || tc.p.To.String() != tc.to || tc.p.Label != tc.label || y.From.String()+"…"+y.To.String() != tc.yoy {
			t.Errorf("%s: %s–%s, a year earlier %s–%s", tc.label, tc.p.From, tc.p.To, y.From, y.To)
		}
	}
	if !HalfYear(2026, 1).Contains(date.MustParse("2026-06-30")) || HalfYear(2026, 1).Contains(date.MustParse("2026-07-01")) {
		t.Fatal("a period's last day is in it, the next day is not")
	}
}

func TestCatalogueComputesTheYearBefore(t *testing.T) {
	members := Indicator{Code: "people.members", Name: "党员人数", Unit: "名", Kind: Count, Definition: "…",
		Compute: func(_ context.Context, _ auth.Scope, p Period) (Value, error) {
			return Of(map[int]float64{2026: 320, 2025: 300}[p.To.Year()]), nil
		}}
	c, err := NewCatalogue([]Indicator{members})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"people.members", "党员人数"} {
		f, err := c.Figure(context.Background(), key, auth.Everything, HalfYear(2026, 1))
		if err != nil || f.Text != "320名" || f.ChangeText != "较上年同期提升7%" {
			t.Fatalf("%s: %+v %v", key, f, err)
		}
	}
	var unknown *ErrUnknown
	if _, err := c.Figure(context.Background(), "党员人教", auth.Everything, Year(2026)); err == nil || !asUnknown(err, &unknown) {
		t.Fatalf("a misspelt name: %v", err)
	}
	if _, err := NewCatalogue([]Indicator{members}, []Indicator{members}); err == nil {
		t.Fatal("two indicators with one code were accepted")
	}
}

func asUnknown(err error, target **ErrUnknown) bool {
	u, ok := err.(*ErrUnknown)
	*target = u
	return ok
}
