package people

import (
	"strings"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// ID number rules of GB 11643-1999: 17 digits (6 region, 8 birth date, 3 sequence)
// and a check character computed with ISO 7064 MOD 11-2.

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDInfo is what an ID number says about its holder.
type IDInfo struct {
	BirthDate date.Date
	Sex       Sex
}

// NormalizeIDNumber trims spaces and upper-cases the check character, so
// "37010219740118444x " and "37010219740118444X" are the same number.
func NormalizeIDNumber(s string) string {
	// Stray bytes go first: removing a full-width space from between two
	// halves of a broken character would otherwise join them into one.
	return strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(s, ""), "　", "")))
}

// CheckIDNumber validates a normalized 18-character ID number and derives
// birth date and sex. The error is a message key. A 15-digit number of the
// first generation (still in older members' files) is refused with a
// message that offers its 18-digit form, which the holder's card has shown
// since 2004.
func CheckIDNumber(id string) (IDInfo, string) {
	if len(id) == 15 && allDigits(id) {
		if full, ok := UpgradeIDNumber(id); ok {
			return IDInfo{}, errs.Keyed("id_number.old15", full)
		}
		return IDInfo{}, "id_number.birth"
	}
	if len(id) != 18 {
		return IDInfo{}, "id_number.length"
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return IDInfo{}, "id_number.chars"
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := id[17]
	if !(last >= '0' && last <= '9') && last != 'X' {
		return IDInfo{}, "id_number.chars"
	}
	birth, err := date.Parse(id[6:10] + "-" + id[10:12] + "-" + id[12:14])
	if err != nil || birth.Year() < 1900 {
		return IDInfo{}, "id_number.birth"
	}
	if last != idCheckChars[sum%11] {
		return IDInfo{}, "id_number.checksum"
	}
	sex := Female
	if (id[16]-'0')%2 == 1 {
		sex = Male
	}
	return IDInfo{BirthDate: birth, Sex: sex}, ""
}

// IDCheckChar returns the check character for 17 digits; demo data and tests
// use it to make valid numbers.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// UpgradeIDNumber turns a 15-digit first-generation number (6 region, YYMMDD,
// 3 sequence) into the 18-digit one of GB 11643-1999: "19" inserted before
// the year and the check character computed. It is false for anything else,
// or a birth date that does not exist.
func UpgradeIDNumber(id15 string) (string, bool) {
	if len(id15) != 15 || !allDigits(id15) {
		return "", false
	}
	first17 := id15[:6] + "19" + id15[6:]
	if _, err := date.Parse(first17[6:10] + "-" + first17[10:12] + "-" + first17[12:14]); err != nil {
		return "", false
	}
	return first17 + string(IDCheckChar(first17)), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
