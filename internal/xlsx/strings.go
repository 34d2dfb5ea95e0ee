package xlsx

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// sharedStrings is the workbook's table of texts that cells point to by
// number. All texts sit in one string, each ending at ends[i], so a table
// of a million short texts costs one allocation and four bytes apiece, and
// a cell's text is a slice of it.
type sharedStrings struct {
	all  string
	ends []uint32
}

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.all[start:s.ends[i]], true
}

// readSharedStrings streams the shared strings part. Each string is the
// text of its runs (<t>, <r><t>), without the phonetic guide (<rPh>) that
// East Asian Excel adds, and may be no longer than a cell.
func readSharedStrings(ctx context.Context, a *archive, part string) (sharedStrings, error) {
	src, err := a.open(ctx, part)
	if err != nil {
		return sharedStrings{}, err
	}
	defer src.Close()
	x := newDecoder(src)
	var b strings.Builder
	var ss sharedStrings
	var text cellText
	inSI, inT, inPh := false, false, false
	tooLong := func() *Error { return &Error{Err: ErrCellLength, Part: part, Limit: int64(a.lim.CellChars)} }
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sharedStrings{}, x.fail(err, func() *Error {
				if inSI {
					return tooLong()
				}
				return nil
			})
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				if n, ok := atoi(attrOr(t, "uniqueCount")); ok && ss.ends == nil {
					ss.ends = make([]uint32, 0, min(n, 1<<16)) // a hint, never trusted beyond that
				}
			case "si":
				if len(ss.ends) == a.lim.Cells { // more texts than cells could show
					return sharedStrings{}, &Error{Err: ErrCells, Part: part, Limit: int64(a.lim.Cells)}
				}
				inSI, inT, inPh = true, false, false
				text.reset(a.lim.CellChars)
			case "rPh":
				inPh = true
			case "t":
				inT = inSI && !inPh
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if !inSI {
					continue
				}
				inSI = false
				b.Write(text.b)
				if int64(b.Len()) > int64(^uint32(0)) {
					return sharedStrings{}, &Error{Err: ErrUnzipped, Part: part, Limit: a.lim.PartSize}
				}
				ss.ends = append(ss.ends, uint32(b.Len()))
			case "rPh":
				inPh = false
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT && !text.add(t) {
				return sharedStrings{}, tooLong()
			}
		}
	}
	ss.all = b.String()
	return ss, nil
}

func attrOr(se xml.StartElement, local string) string { v, _ := attr(se, local); return v }

// atoi reads a non-negative decimal number of at most nine digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// cellText gathers one cell's text from its pieces, refusing to grow past
// the limit.
type cellText struct {
	b     []byte
	chars int
	limit int
}

func (c *cellText) reset(limit int) { c.b, c.chars, c.limit = c.b[:0], 0, limit }

// add appends a piece and reports whether the text is still within the limit.
func (c *cellText) add(p []byte) bool {
	c.chars += utf16Len(p)
	if c.chars > c.limit {
		return false
	}
	c.b = append(c.b, p...)
	return true
}

func (c *cellText) String() string { return string(c.b) }

func (c *cellText) empty() bool { return len(c.b) == 0 }

// utf16Len is how many characters Excel counts in UTF-8 text: one per
// character, two for those outside the Basic Multilingual Plane.
func utf16Len[T string | []byte](p T) int {
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c&0xC0 != 0x80 { // not a continuation byte: a character starts
			n++
		}
		if c >= 0xF0 { // a four-byte character: a surrogate pair in UTF-16
			n++
		}
	}
	return n
}
