package xlsx

import (
	"math"
	"time"
)

// DateOf turns a serial date, as a date cell stores it, into the day it
// names (the time of day dropped). ok is false outside 1900-03-01 … 9999-12-31:
// below that, Excel's 1900 system counts a 29 February that never was.
func DateOf(serial float64, date1904 bool) (d time.Time, ok bool) {
	// Float error can leave a whole day at …692.9999999999: that is midnight.
	days := math.Floor(serial + 1e-6)
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if math.IsNaN(days) || (!date1904 && days < 61) || days < 0 || days > 2958465 {
		return time.Time{}, false
	}
	return epoch.AddDate(0, 0, int(days)), true
}
