package demo_test

import (
	"context"
	"strings"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/summary"
)

// TestDemoSummariesOnTheFirstDay: the demo committee's 上半年 and 全年
// summaries are there on the first day, from the demo's records, with
// year-on-year changes and at least one weak spot.
func TestDemoSummariesOnTheFirstDay(t *testing.T) {
	ctx := context.Background()
	st := firstDay.Open(t, store.SQLite, nil)
	list, total, err := st.Summaries(ctx, auth.Everything, 10, 0)
	if err != nil || total != 3 {
		t.Fatalf("%d summaries: %v", total, err)
	}
	titles := list[0].Title + "|" + list[1].Title + "|" + list[2].Title
	for _, want := range []string{"市委政法委机关党委2026年上半年党建工作总结", "市委政法委机关党委2026年党建工作总结", "市委政法委机关党委党史学习教育党建工作总结"} {
		if !strings.Contains(titles, want) {
			t.Fatalf("titles: %s", titles)
		}
	}
	for _, m := range list[1:] { // the half-year and the year
		full, err := st.Summary(ctx, auth.Everything, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, l := range summary.ReadBody(full.Body) {
			text.WriteString(l.Plain() + "\n")
		}
		if len(full.Problems) == 0 || !strings.Contains(text.String(), "一是") {
			t.Errorf("%s has no weak spot:\n%s", full.Title, text.String())
		}
		if !strings.Contains(text.String(), "较上年同期") {
			t.Errorf("%s has no year-on-year change:\n%s", full.Title, text.String())
		}
		members, ok := full.Figure("people.members")
		if !ok || members.Text != "320名" {
			t.Errorf("%s: members %+v", full.Title, members)
		}
		if strings.Contains(full.Title, "上半年") && !strings.Contains(text.String(), "公务接待费用8.6万元，较上年同期下降15%") {
			t.Errorf("the half-year lacks the reported figure from finance:\n%s", text.String())
		}
	}
}
