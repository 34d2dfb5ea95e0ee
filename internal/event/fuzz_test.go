package event

import (
	"strings"
	"testing"
	"time"

	"dangjian/internal/date"
)

// FuzzParseSheet feeds the attendance import rows no office would type; it
// must never panic, and whatever it accepts must be valid marks of people
// on the list.
func FuzzParseSheet(f *testing.F) {
	f.Add("姓名\t出勤情况\n张伟\t出席\n李娜\t请假")
	f.Add("序号\t姓名\t出勤情况\t请假事由\t补课日期\t补课方式\n1\t李娜\t请假\t出差\t2026-07-01\t自学")
	f.Add("姓名\t出勤情况\t日期\n张伟\t√\t46203")
	list := []ListPerson{{1, "张伟", "370102198503120011"}, {2, "李娜", "370102199005050022"}}
	days := []date.Date{date.MustParse("2026-06-30")}
	k := &Kind{TakesAttendance: true, AllowsMakeup: true}
	f.Fuzz(func(t *testing.T, text string) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		marks, problems := ParseSheet(rows, list, days, k, func(s string) (date.Date, bool) {
			d, err := date.Parse(s)
			return d, err == nil && s != ""
		})
		if len(marks) > 0 && len(problems) > 0 {
			t.Fatal("both marks and problems")
		}
		for _, m := range marks {
			if m.PersonID != 1 && m.PersonID != 2 {
				t.Fatalf("a mark for someone not on the list: %+v", m)
			}
			if err := m.Validate(days, k, ""); err != nil {
				t.Fatalf("an accepted mark is invalid: %+v %v", m, err)
			}
		}
	})
}

// FuzzCheckCode: no text a phone sends is accepted as a code but one made
// with the secret, and nothing panics.
func FuzzCheckCode(f *testing.F) {
	now := time.Date(2026, 6, 30, 9, 0, 0, 0, China)
	f.Add(Code(secret, 7, now, 30))
	f.Add("0.AAAAAAAAAAAAAA")
	f.Add("zzzzzzzzzzzz.")
	f.Fuzz(func(t *testing.T, code string) {
		err := CheckCode(secret, 7, code, now, 30)
		if err == nil && code != Code(secret, 7, now, 30) && code != Code(secret, 7, now.Add(-30*time.Second), 30) {
			t.Fatalf("accepted a code that was never made: %q", code)
		}
		_ = CheckPass(secret, 7, code, now)
	})
}
