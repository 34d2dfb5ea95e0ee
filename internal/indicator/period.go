package indicator

import (
	"fmt"
	"time"

	"dangjian/internal/date"
)

// Period is the span of days a figure is computed over, both ends included,
// with the name the summary writes (上半年, 2026年第二季度 …).
type Period struct {
	From, To date.Date
	Label    string
}

// Year is a calendar year (全年).
func Year(y int) Period {
	return Period{date.Of(y, time.January, 1), date.Of(y, time.December, 31), fmt.Sprintf("%d年", y)}
}

// HalfYear is the first (1) or second (2) half of a year.
func HalfYear(y, half int) Period {
	if half == 1 {
		return Period{date.Of(y, time.January, 1), date.Of(y, time.June, 30), fmt.Sprintf("%d年上半年", y)}
	}
	return Period{date.Of(y, time.July, 1), date.Of(y, time.December, 31), fmt.Sprintf("%d年下半年", y)}
}

// Quarter is quarter q (1–4) of a year.
func Quarter(y, q int) Period {
	from := date.Of(y, time.Month(3*(q-1)+1), 1)
	return Period{from, from.AddDate(0, 3, -1), fmt.Sprintf("%d年第%s季度", y, []string{"一", "二", "三", "四"}[q-1])}
}

// Month is one month of a year.
func Month(y int, m time.Month) Period {
	from := date.Of(y, m, 1)
	return Period{from, from.AddDate(0, 1, -1), fmt.Sprintf("%d年%d月", y, int(m))}
}

// Span is any days from–to.
func Span(from, to date.Date) Period {
	return Period{from, to, from.String() + "至" + to.String()}
}

// Contains reports whether day falls in the period.
func (p Period) Contains(day date.Date) bool { return !day.Before(p.From) && !day.After(p.To) }

// YearEarlier is the same days a year before: the period every figure is
// compared with (较上年同期). 29 February becomes 28 February.
func (p Period) YearEarlier() Period {
	back := func(d date.Date) date.Date {
		e := date.Of(d.Year()-1, d.Month(), d.Day())
		if e.Month() != d.Month() { // 29 Feb of a leap year rolled into March
			e = date.Of(d.Year()-1, d.Month()+1, 0)
		}
		return e
	}
	return Period{back(p.From), back(p.To), "上年同期"}
}

// Valid reports whether the period is a real span of days.
func (p Period) Valid() bool { return !p.From.IsZero() && !p.To.IsZero() && !p.To.Before(p.From) }
