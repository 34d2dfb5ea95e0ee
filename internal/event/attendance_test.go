package event

import (
	"errors"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

func fieldOf(err error) string {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return ""
	}
	for f, k := range inv.Fields {
		return f + ":" + k
	}
	return ""
}

func TestMarkValidation(t *testing.T) {
	days := []date.Date{d("2026-06-15"), d("2026-06-16")}
	learning := &Kind{AllowsMakeup: true, TakesAttendance: true}
	meeting := &Kind{TakesAttendance: true}
	for _, c := range []struct {
		name string
		m    MarkInput
		k    *Kind
		want string
	}{
		{"present", MarkInput{PersonID: 1, Mark: Present}, learning, ""},
		{"leave without reason", MarkInput{PersonID: 1, Mark: Leave}, learning, "leave_reason:event.leave_reason_required"},
		{"a day outside", MarkInput{PersonID: 1, Day: d("2026-06-17"), Mark: Present}, learning, "day:event.day_outside"},
		{"make-up of a leave", MarkInput{PersonID: 1, Mark: Leave, LeaveReason: "出差", MadeUpOn: d("2026-06-20"), MakeupHow: "自学"}, learning, ""},
		{"make-up before the day", MarkInput{PersonID: 1, Day: d("2026-06-16"), Mark: Absent, MadeUpOn: d("2026-06-15"), MakeupHow: "自学"}, learning, "made_up_on:event.makeup_before_day"},
		{"make-up of one present", MarkInput{PersonID: 1, Mark: Present, MadeUpOn: d("2026-06-20"), MakeupHow: "自学"}, learning, "made_up_on:event.makeup_only_missed"},
		{"make-up where the kind has none", MarkInput{PersonID: 1, Mark: Absent, MadeUpOn: d("2026-06-20"), MakeupHow: "自学"}, meeting, "made_up_on:event.makeup_not_allowed"},
		{"make-up without how", MarkInput{PersonID: 1, Mark: Absent, MadeUpOn: d("2026-06-20")}, learning, "makeup_how:event.makeup_how_required"},
	} {
		err := c.m.Validate(days, c.k, "")
		if got := fieldOf(err); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestQuorum(t *testing.T) {
	for _, c := range []struct {
		expected, present int
		met               bool
	}{{5, 3, true}, {5, 2, false}, {4, 2, false}, {4, 3, true}, {0, 0, false}} {
		if q := QuorumOf(d("2026-06-30"), c.expected, c.present); q.Met != c.met {
			t.Errorf("%d of %d present: met %v, want %v", c.present, c.expected, q.Met, c.met)
		}
	}
}

func parseTestDate(s string) (date.Date, bool) {
	dd, err := date.Parse(s)
	return dd, err == nil && s != ""
}

// TestSheetReportsEveryBadRow: a paper sheet with a title row, columns in
// any order, two bad rows and a duplicate is refused with each row named.
func TestSheetReportsEveryBadRow(t *testing.T) {
	list := []ListPerson{{1, "张伟", "370102198503120011"}, {2, "李娜", "370102199005050022"}, {3, "王芳", "370102199101010033"},
		{4, "王芳", "370102199202020044"}}
	days := []date.Date{d("2026-06-30")}
	k := &Kind{TakesAttendance: true, AllowsMakeup: true}
	rows := [][]string{
		{"第一党支部 6月 主题党日 签到表"},
		{"序号", "出勤情况", "姓名", "请假事由", "身份证号"},
		{"1", "出席", "张　伟", "", ""},
		{"2", "请假", "李娜", "", ""},    // no reason
		{"3", "到", "王芳", "", "0044"}, // told apart by the ID's last digits
		{"4", "迟到", "赵强", "", ""},    // not on the list (and a word nobody knows)
		{"5", "缺席", "张伟", "", ""},    // twice
		{"", "", "", "", ""},         // a blank line is skipped
	}
	_, problems := ParseSheet(rows, list, days, k, parseTestDate)
	got := map[int]string{}
	for _, p := range problems {
		got[p.Row] = p.Key
	}
	want := map[int]string{4: "event.leave_reason_required", 6: "event.import.not_on_list", 7: "event.import.duplicate"}
	if len(got) != len(want) {
		t.Fatalf("problems %+v, want rows %v", problems, want)
	}
	for row, key := range want {
		if got[row] != key {
			t.Errorf("row %d: %q, want %q", row, got[row], key)
		}
	}
	rows[3][3], rows[5], rows[6] = "出差", []string{"", "", "", "", ""}, []string{"6", "×", "王芳", "", "0033"}
	marks, problems := ParseSheet(rows, list, days, k, parseTestDate)
	if len(problems) > 0 {
		t.Fatalf("the corrected sheet: %+v", problems)
	}
	byPerson := map[int64]Mark{}
	for _, m := range marks {
		byPerson[m.PersonID] = m.Mark
	}
	if byPerson[1] != Present || byPerson[2] != Leave || byPerson[4] != Present || byPerson[3] != Absent || len(marks) != 4 {
		t.Errorf("marks %+v", marks)
	}
}
