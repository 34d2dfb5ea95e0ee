package people

import (
	"strings"
	"unicode/utf8"
)

// MaskIDNumber keeps the region's first 3 and the last 4 characters:
// 370***********444X. Enough to tell two people apart on a list, not to use it.
func MaskIDNumber(id string) string { return maskMiddle(id, 3, 4) }

// MaskPhone keeps the first 3 and last 4 digits: 138****5678.
func MaskPhone(p string) string { return maskMiddle(p, 3, 4) }

func maskMiddle(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if n <= head+tail {
		head, tail = 1, 0
		if n == 1 {
			return "*"
		}
	}
	r := []rune(s)
	out := make([]rune, 0, n)
	out = append(out, r[:head]...)
	for i := head; i < n-tail; i++ {
		out = append(out, '*')
	}
	return string(append(out, r[n-tail:]...))
}

// IsMasked reports a value that went through a mask: a form or client that
// only ever saw 370***********444X cannot send the number back, and a
// masked value stored as the number would lose it for good.
func IsMasked(s string) bool { return strings.Contains(s, "*") }

// Unmask resolves a sensitive value sent back by a form or client that was
// shown it masked: the mask of the stored value, unchanged, means "keep the
// stored value"; anything else is what was sent. So a role that may not see
// the full ID number can still save an edit of the same person without
// erasing it.
func Unmask(sent, stored string, mask func(string) string) string {
	if stored != "" && sent == mask(stored) {
		return stored
	}
	return sent
}
