package roster

import (
	"testing"

	"dangjian/internal/date"
)

func TestParseDate(t *testing.T) {
	day := date.MustParse("1985-03-12")
	month := date.MustParse("1985-03-01")
	cases := []struct {
		in        string
		want      date.Date
		monthOnly bool
		ok        bool
	}{
		{"1985-03-12", day, false, true},
		{"1985.03.12", day, false, true},
		{"1985.3.12", day, false, true},
		{"1985/3/12", day, false, true},
		{"1985-3-12", day, false, true},
		{"1985年3月12日", day, false, true},
		{"1985年03月12日", day, false, true},
		{"1985 年 3 月 12 日", day, false, true},
		{"19850312", day, false, true},
		{" 1985.03.12 ", day, false, true},
		{"１９８５．０３．１２", day, false, true}, // full-width, as input methods type it
		{"1985-03-12T00:00:00Z", day, false, true},
		{"1985-03-12 00:00:00", day, false, true},
		{"1985.03", month, true, true},
		{"1985.3", month, true, true},
		{"1985年3月", month, true, true},
		{"198503", month, true, true},
		{"1985-02-30", date.Date{}, false, false},
		{"1985.13.01", date.Date{}, false, false},
		{"1985.00.10", date.Date{}, false, false},
		{"85.3.12", date.Date{}, false, false},
		{"1985", date.Date{}, false, false},
		{"三月", date.Date{}, false, false},
		{"", date.Date{}, false, false},
		{"2000-02-29", date.MustParse("2000-02-29"), false, true},
		{"1900-02-29", date.Date{}, false, false},
	}
	for _, c := range cases {
		got, monthOnly, ok := ParseDate(c.in)
		if ok != c.ok || got != c.want || monthOnly != c.monthOnly {
			t.Errorf("ParseDate(%q) = %v, %v, %v; want %v, %v, %v", c.in, got, monthOnly, ok, c.want, c.monthOnly, c.ok)
		}
	}
}

func TestCellDate(t *testing.T) {
	cases := []struct {
		c         cell
		want      string
		monthOnly bool
		problem   string
	}{
		{cell{"32693", true}, "1989-07-04", false, ""},            // a date cell of the fixture
		{cell{"32693.99999", true}, "1989-07-04", false, ""},      // with a time of day
		{cell{"32692.9999999999", true}, "1989-07-04", false, ""}, // float error just below midnight
		{cell{"19850312", true}, "1985-03-12", false, ""},         // typed without separators into a General cell
		{cell{"1985.03", true}, "1985-03-01", true, ""},           // 1985.03 kept as a decimal
		{cell{"1985.12", true}, "1985-12-01", true, ""},
		{cell{"1985.1", true}, "", false, dateNumericMonth}, // 1985.10 or 1985.01? lost
		{cell{"1985", true}, "", false, dateBad},
		{cell{"-5", true}, "", false, dateBad},
		{cell{"99999999999", true}, "", false, dateBad},
		{cell{"1985.3.12", false}, "1985-03-12", false, ""},
		{cell{"32693", false}, "", false, dateBad}, // five digits of text are no date
	}
	for _, c := range cases {
		d, monthOnly, problem := cellDate(c.c, false)
		if d.String() != c.want || monthOnly != c.monthOnly || problem != c.problem {
			t.Errorf("cellDate(%+v) = %q, %v, %q; want %q, %v, %q", c.c, d, monthOnly, problem, c.want, c.monthOnly, c.problem)
		}
	}
	// The 1904 date system of old Mac workbooks counts from 1904-01-01.
	if d, _, _ := cellDate(cell{"31231", true}, true); d.String() != "1989-07-04" {
		t.Errorf("1904 serial: %s", d)
	}
}

// FuzzParseDate checks that no text makes the parser panic, and that what it
// accepts is a real day that reads back the same in the standard style.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1985-03-12", "1985.3.12", "1985年3月12日", "1985/3/12", "19850312", "1985.03",
		"1985年3月", "１９８５．０３．１２", "1985-03-12T00:00:00Z", "2000-02-29", "1985-02-30", "", "年月日", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, monthOnly, ok := ParseDate(s)
		if !ok {
			if !d.IsZero() || monthOnly {
				t.Fatalf("refused %q but returned %v, %v", s, d, monthOnly)
			}
			return
		}
		if d.IsZero() || d.Year() < 1000 || d.Year() > 9999 {
			t.Fatalf("%q → %v", s, d)
		}
		if monthOnly && d.Day() != 1 {
			t.Fatalf("%q: month-only date %v not on the 1st", s, d)
		}
		back, _, ok := ParseDate(d.String())
		if !ok || back != d {
			t.Fatalf("%q → %v does not read back (%v, %v)", s, d, back, ok)
		}
	})
}
