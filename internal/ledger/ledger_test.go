package ledger

import (
	"testing"

	"dangjian/internal/date"
)

// TestStatusOnDeadline: an item is 整改中 up to and on its deadline, 逾期 the
// day after, and 已完成 once closed, whenever that was.
func TestStatusOnDeadline(t *testing.T) {
	d := date.MustParse
	i := Item{OpenedOn: d("2026-06-01"), Deadline: d("2026-06-30")}
	for day, want := range map[string]Status{"2026-06-01": Open, "2026-06-30": Open, "2026-07-01": Overdue} {
		if got := i.StatusOn(d(day)); got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
	i.ClosedOn = d("2026-07-05")
	if i.StatusOn(d("2026-08-01")) != Done || i.OnTime() {
		t.Fatalf("closed late: %s on time %v", i.StatusOn(d("2026-08-01")), i.OnTime())
	}
	i.ClosedOn = d("2026-06-30")
	if !i.OnTime() {
		t.Fatal("closed on the deadline is on time")
	}
}
