package demo

import (
	"math/rand/v2"
	"strconv"

	"dangjian/internal/date"
	"dangjian/internal/people"
)

// Region codes of 济南 (GB/T 2260): 历下, 市中, 槐荫, 天桥, 历城, 长清, and
// 章丘 under its old county-level-city code, which older cards still carry.
var regions = newWeighted(`370102:22 370103:20 370104:14 370105:14 370112:20 370113:5 370181:5`)

// Mobile prefixes of the three carriers.
var mobilePrefixes = []string{
	"134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "187", "188", // 移动
	"130", "131", "132", "155", "156", "185", "186", "176", // 联通
	"133", "153", "177", "180", "181", "189", "199", // 电信
}

// idNumber returns a GB 11643 number for the birth date and sex that no one
// else in used holds. The sequence digits are drawn at random and retried on
// a clash; a region and birthday have 500 numbers per sex, so even 100,000
// people born over 40 years clash rarely.
func idNumber(rng *rand.Rand, birth date.Date, sex people.Sex, used map[string]struct{}) string {
	buf := make([]byte, 18)
	ymd := birth.Year()*10000 + int(birth.Month())*100 + birth.Day()
	for {
		copy(buf, regions.pick(rng))
		putDigits(buf[6:14], ymd)
		seq := 1 + rng.IntN(998) // 001 … 998, then the last digit carries the sex
		if (seq%2 == 1) != (sex == people.Male) {
			seq++
		}
		putDigits(buf[14:17], seq)
		key := string(buf[:17])
		if _, taken := used[key]; taken {
			continue
		}
		used[key] = struct{}{}
		buf[17] = people.IDCheckChar(key)
		return string(buf)
	}
}

// putDigits writes n right-aligned with leading zeros into b.
func putDigits(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// mobile returns an 11-digit mobile number not yet in used.
func mobile(rng *rand.Rand, used map[string]struct{}) string {
	for {
		n := mobilePrefixes[rng.IntN(len(mobilePrefixes))] + pad8(rng.IntN(100_000_000))
		if _, taken := used[n]; !taken {
			used[n] = struct{}{}
			return n
		}
	}
}

func pad8(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}
