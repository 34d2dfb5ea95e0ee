package people

import (
	"regexp"
	"strings"
)

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)
)

// NormalizePhone drops spaces and a +86 prefix.
func NormalizePhone(s string) string {
	s = strings.NewReplacer(" ", "", "　", "").Replace(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+86")
	return s
}

// CheckPhone accepts a mainland mobile number or a landline with area code.
func CheckPhone(p string) string {
	if mobileRe.MatchString(p) || landlineRe.MatchString(p) {
		return ""
	}
	return "phone.format"
}
