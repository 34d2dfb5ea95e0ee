package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts an old .xls file, and a password-protected .xlsx,
	// which Excel wraps in the same compound-document format.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// archive is the workbook's zip with what may still be inflated from it.
type archive struct {
	parts map[string]*zip.File // by lower-case name: Excel treats part names case-insensitively
	lim   Limits
	left  int64 // bytes that may still be inflated, over all parts
}

// openArchive refuses, by content and before inflating anything, what is not
// a workbook or declares more than the limits allow.
func openArchive(r io.ReaderAt, size int64, lim Limits) (*archive, error) {
	switch {
	case size <= 0:
		return nil, &Error{Err: ErrEmpty}
	case size > lim.FileSize:
		return nil, &Error{Err: ErrFileSize, Limit: lim.FileSize}
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return nil, &Error{Err: ErrLegacy}
	case !bytes.HasPrefix(head, zipMagic):
		return nil, &Error{Err: ErrNotXLSX}
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are never used as paths here
		return nil, &Error{Err: ErrNotXLSX}
	}
	if len(zr.File) > lim.Parts {
		return nil, &Error{Err: ErrUnzipped, Limit: int64(lim.Parts)}
	}
	a := &archive{parts: make(map[string]*zip.File, len(zr.File)), lim: lim, left: lim.Unzipped}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		name := strings.ToLower(f.Name)
		if _, dup := a.parts[name]; dup {
			return nil, &Error{Err: ErrCorrupt, Part: f.Name}
		}
		a.parts[name] = f
	}
	// An honest bomb says what it is; a lying one is caught while inflating.
	if declared > uint64(lim.Unzipped) {
		return nil, &Error{Err: ErrUnzipped, Limit: lim.Unzipped}
	}
	return a, nil
}

func (a *archive) has(name string) bool { _, ok := a.parts[strings.ToLower(name)]; return ok }

// open starts reading a part. The reader inflates at most the part's share
// of the limits, counting the bytes it really produces, and fails with the
// context's error as soon as the context ends.
func (a *archive) open(ctx context.Context, name string) (*partReader, error) {
	f, ok := a.parts[strings.ToLower(name)]
	if !ok {
		return nil, &Error{Err: ErrCorrupt, Part: name}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Err: ErrCorrupt, Part: name}
	}
	return &partReader{ctx: ctx, a: a, rc: rc, name: name, left: a.lim.PartSize,
		maxToken: int64(a.lim.CellChars)*maxBytesPerChar + 64<<10}, nil
}

// maxBytesPerChar is the longest a character can be written in XML
// ("&#x10FFFF;"), so that a cell of CellChars characters is never mistaken
// for too long a token.
const maxBytesPerChar = 10

// errLongToken is a single piece of XML (a text, a tag, a comment) longer
// than any cell may be. The parser says what it was: a cell too long, or a
// damaged part.
var errLongToken = errors.New("xlsx: XML token too long")

// partReader is one part's inflated bytes, metered. It also bounds what the
// XML decoder may buffer for one token: the decoder asks for more bytes only
// after consuming all it has, so the bytes delivered since the end of the
// last token (mark, set by the parser) are the token being read.
type partReader struct {
	ctx       context.Context
	a         *archive
	rc        io.ReadCloser
	name      string
	left      int64 // bytes this part may still inflate
	delivered int64 // bytes handed to the decoder
	mark      int64 // where the last whole token ended
	maxToken  int64
	err       error // why reading stopped, kept: the decoder may report it otherwise
}

func (p *partReader) Read(b []byte) (n int, err error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err = p.read(b)
	if err != nil && err != io.EOF {
		p.err = err
	}
	return n, err
}

func (p *partReader) read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	if p.delivered-p.mark > p.maxToken {
		return 0, errLongToken
	}
	allow := min(p.left, p.a.left)
	if int64(len(b)) > allow+1 {
		b = b[:allow+1]
	}
	n, err := p.rc.Read(b)
	if int64(n) > allow { // one byte over: there is more than the limit
		limit := p.a.lim.PartSize
		if p.a.left < p.left {
			limit = p.a.lim.Unzipped
		}
		return 0, &Error{Err: ErrUnzipped, Part: p.name, Limit: limit}
	}
	p.left -= int64(n)
	p.a.left -= int64(n)
	p.delivered += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &Error{Err: ErrCorrupt, Part: p.name} // a bad checksum, a truncated entry
	}
	return n, err
}

func (p *partReader) Close() error { return p.rc.Close() }

// decoder is the XML token stream of a part.
type decoder struct {
	src *partReader
	d   *xml.Decoder
}

func newDecoder(src *partReader) *decoder {
	d := xml.NewDecoder(src)
	d.Strict = true // and no entities beyond XML's five: nothing to expand
	return &decoder{src: src, d: d}
}

// next returns the next token, raw: names keep their prefixes, and start and
// end tags are not matched, so no stack grows with the nesting. The token's
// data is valid until the next call.
func (x *decoder) next() (xml.Token, error) {
	t, err := x.d.RawToken()
	x.src.mark = x.d.InputOffset()
	return t, err
}

// fail turns a decoder error into what the caller returns: the context's
// error, a refusal already made, or inCell's verdict on a token too long
// (inCell is nil outside cells: then the part is damaged).
func (x *decoder) fail(err error, inCell func() *Error) error {
	if x.src.err != nil { // the decoder may report it as a syntax error
		err = x.src.err
	}
	if err := x.src.ctx.Err(); err != nil {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, errLongToken) && inCell != nil {
		if e := inCell(); e != nil {
			return e
		}
	}
	return &Error{Err: ErrCorrupt, Part: x.src.name}
}

// attr returns the value of the attribute with the given local name.
func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}
