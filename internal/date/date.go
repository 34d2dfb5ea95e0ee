// Package date is a calendar date without time or zone: birth dates, join dates,
// term ends. Stored as 'YYYY-MM-DD' text so both databases compare it the same way.
package date

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day. The zero value means "no date".
type Date struct{ t time.Time }

const layout = "2006-01-02"

// Of returns the date of y-m-d.
func Of(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// FromTime returns the calendar date of t in its own location.
func FromTime(t time.Time) Date { return Of(t.Year(), t.Month(), t.Day()) }

// Parse reads 'YYYY-MM-DD'; the empty string is the zero Date.
func Parse(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	// The stored form, read for every date of every row: without
	// time.Parse's general machinery. Anything else, or a day the month
	// lacks, goes the general way, which also words the error.
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m)) {
			return Of(y, time.Month(m), d), nil
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// MustParse is Parse for literals in tests and demo data.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool             { return d.t.IsZero() }
func (d Date) Time() time.Time          { return d.t }
func (d Date) Year() int                { return d.t.Year() }
func (d Date) Month() time.Month        { return d.t.Month() }
func (d Date) Day() int                 { return d.t.Day() }
func (d Date) Before(o Date) bool       { return d.t.Before(o.t) }
func (d Date) After(o Date) bool        { return d.t.After(o.t) }
func (d Date) AddDate(y, m, n int) Date { return Date{d.t.AddDate(y, m, n)} }

// String is 'YYYY-MM-DD', or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendText(make([]byte, 0, 10)))
}

// appendText appends YYYY-MM-DD.
func (d Date) appendText(b []byte) []byte {
	y, m, day := d.t.Date()
	if y < 0 || y > 9999 {
		return d.t.AppendFormat(b, layout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of a month.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// YearsUntil is the number of whole years from d to o (an age, a party standing).
func (d Date) YearsUntil(o Date) int {
	y := o.Year() - d.Year()
	if o.Month() < d.Month() || (o.Month() == d.Month() && o.Day() < d.Day()) {
		y--
	}
	return y
}

// Value stores the zero Date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan accepts text (SQLite) and time.Time (PostgreSQL DATE).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = FromTime(v)
	case string:
		p, err := Parse(v)
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		return d.Scan(string(v))
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
	return nil
}

// MarshalText writes the date straight into its bytes (one allocation, not
// a string and its copy: a roster page marshals a few per person).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return d.appendText(make([]byte, 0, 10)), nil
}

func (d *Date) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
