package people

import (
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// Initials returns the pinyin initials of a Chinese name, lower case
// ("张晓伟" → "zxw"), so staff can search the roster by typing "zxw".
// Latin letters are kept; other characters are dropped.
func Initials(name string) string {
	args := pinyin.NewArgs()
	args.Style = pinyin.FirstLetter
	args.Fallback = func(r rune, _ pinyin.Args) []string {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return []string{strings.ToLower(string(r))}
		}
		return nil
	}
	var b strings.Builder
	for _, p := range pinyin.Pinyin(name, args) {
		if len(p) > 0 {
			b.WriteString(p[0])
		}
	}
	return b.String()
}
