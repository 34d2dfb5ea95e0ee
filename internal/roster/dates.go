package roster

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/xlsx"
)

// Dates arrive as real date cells (a serial number) or as text typed in many
// styles. ParseDate reads the text; cellDate decides between the two.

var (
	// 1985-03-12, 1985.3.12, 1985/3/12, 1985-03, 1985.3 (any of . / - ．)
	sepDateRe = regexp.MustCompile(`^(\d{4})[./\-](\d{1,2})(?:[./\-](\d{1,2}))?[./\-]?$`)
	// 1985年3月12日, 1985年3月12, 1985年3月
	hanDateRe = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(?:(\d{1,2})日?)?$`)
	// 19850312, 198503
	digitDateRe = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})?$`)
)

// ParseDate reads a date typed as text in the styles offices use. monthOnly
// is true for a year and month without a day (1985.03, 1985年3月), which
// then stands for the first of the month. ok is false for anything else,
// including impossible days such as 1985-02-30.
func ParseDate(s string) (d date.Date, monthOnly, ok bool) {
	s = strings.TrimSpace(halfWidth(s))
	// A date-time as some programs write it: keep the date.
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && strings.Contains(s[10:], ":") {
		s = s[:10]
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	var m []string
	for _, re := range []*regexp.Regexp{sepDateRe, hanDateRe, digitDateRe} {
		if m = re.FindStringSubmatch(s); m != nil {
			break
		}
	}
	if m == nil {
		return date.Date{}, false, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day := 1
	monthOnly = m[3] == ""
	if !monthOnly {
		day, _ = strconv.Atoi(m[3])
	}
	if y < 1000 || mo < 1 || mo > 12 || day < 1 {
		return date.Date{}, false, false
	}
	d = date.Of(y, time.Month(mo), day)
	if d.Month() != time.Month(mo) { // 2 月 30 日 rolled into March
		return date.Date{}, false, false
	}
	return d, monthOnly, true
}

// dateProblem is why a date cell could not be read, as a message key.
const (
	dateBad          = "roster.date_format"
	dateNumericMonth = "roster.date_numeric_month"
)

// cellDate reads a date cell. Numeric cells are Excel serial numbers, except
// the numbers people type into a General cell that Excel keeps as numbers:
// 19850312 (a date without separators) and 1985.03 (year and month, which
// Excel stores as the decimal 1985.03 — and 1985.10 as 1985.1, which can no
// longer be told from January and is refused).
func cellDate(c cell, date1904 bool) (d date.Date, monthOnly bool, problem string) {
	if !c.numeric {
		d, monthOnly, ok := ParseDate(c.text)
		if !ok {
			return date.Date{}, false, dateBad
		}
		return d, monthOnly, ""
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(c.text), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return date.Date{}, false, dateBad
	}
	switch {
	case v >= 1e7 && v < 1e8 && v == math.Trunc(v): // 19850312
		d, monthOnly, ok := ParseDate(strconv.FormatInt(int64(v), 10))
		if !ok {
			return date.Date{}, false, dateBad
		}
		return d, monthOnly, ""
	case v >= 1900 && v < 2200 && v != math.Trunc(v): // 1985.03 typed as a number
		frac := strings.TrimRight(strings.SplitN(strconv.FormatFloat(v, 'f', -1, 64), ".", 2)[1], "0")
		if frac == "1" {
			return date.Date{}, false, dateNumericMonth
		}
		d, monthOnly, ok := ParseDate(strconv.Itoa(int(v)) + "." + frac)
		if !ok {
			return date.Date{}, false, dateBad
		}
		return d, monthOnly, ""
	case v < 3000: // a bare year or a small number, not a plausible serial date
		return date.Date{}, false, dateBad
	case v > 2958465: // beyond 9999-12-31
		return date.Date{}, false, dateBad
	}
	// Serials carry the time of day as a fraction: DateOf drops it.
	t, ok := xlsx.DateOf(v, date1904)
	if !ok {
		return date.Date{}, false, dateBad
	}
	return date.Of(t.Year(), t.Month(), t.Day()), false, ""
}

// halfWidth turns full-width ASCII (１９８５．０３) into ordinary characters,
// as Chinese input methods often type digits and punctuation full-width.
func halfWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= '！' && r <= '～' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		return r
	}, s)
}
