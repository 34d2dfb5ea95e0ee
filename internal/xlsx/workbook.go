package xlsx

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
)

// Workbook is an opened .xlsx file: its sheets, its date system and its
// shared strings. It reads the file through the io.ReaderAt it was opened
// with; it is not safe for concurrent use.
type Workbook struct {
	a        *archive
	Sheets   []Sheet // in the order of the workbook's tabs
	Date1904 bool    // serial dates count from 1904 (old Mac workbooks), not 1900
	strings  sharedStrings
}

// Sheet is one worksheet of a workbook.
type Sheet struct {
	Name string
	part string
}

// Open reads a workbook's directory, its list of sheets and its shared
// strings, within the limits (zero fields take DefaultLimits).
func Open(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	lim = lim.orDefault()
	a, err := openArchive(r, size, lim)
	if err != nil {
		return nil, err
	}
	wb := &Workbook{a: a}
	book := officeDocument(ctx, a)
	if !a.has(book) {
		return nil, &Error{Err: ErrNotXLSX}
	}
	ids, err := wb.readBook(ctx, book)
	if err != nil {
		return nil, err
	}
	rels, err := readRels(ctx, a, relsOf(book))
	if err != nil {
		return nil, err
	}
	dir := path.Dir(book)
	shared := ""
	for _, rel := range rels {
		if strings.HasSuffix(rel.typ, "/sharedStrings") && shared == "" {
			shared = rel.target(dir)
		}
	}
	for i := range wb.Sheets {
		rel, ok := rels[ids[i]]
		switch {
		case !ok:
			return nil, &Error{Err: ErrCorrupt, Part: book}
		case !strings.HasSuffix(rel.typ, "/worksheet"): // a chart sheet, a macro sheet: no cells
			continue
		}
		wb.Sheets[i].part = rel.target(dir)
		if !a.has(wb.Sheets[i].part) {
			return nil, &Error{Err: ErrCorrupt, Part: wb.Sheets[i].part}
		}
	}
	sheets := wb.Sheets[:0]
	for _, s := range wb.Sheets {
		if s.part != "" {
			sheets = append(sheets, s)
		}
	}
	wb.Sheets = sheets
	if shared == "" && a.has("xl/sharedStrings.xml") {
		shared = "xl/sharedStrings.xml"
	}
	if shared != "" {
		if wb.strings, err = readSharedStrings(ctx, a, shared); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

// officeDocument finds the workbook part through the package's
// relationships, as Excel does; files that lack them name it as usual.
func officeDocument(ctx context.Context, a *archive) string {
	if rels, err := readRels(ctx, a, "_rels/.rels"); err == nil {
		for _, rel := range rels {
			if strings.HasSuffix(rel.typ, "/officeDocument") {
				return rel.target("")
			}
		}
	}
	return "xl/workbook.xml"
}

// readBook reads the sheets' names and relationship ids, and the date system.
func (wb *Workbook) readBook(ctx context.Context, part string) (ids []string, err error) {
	src, err := wb.a.open(ctx, part)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	x := newDecoder(src)
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return ids, nil
		}
		if err != nil {
			return nil, x.fail(err, nil)
		}
		se, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v, _ := attr(se, "date1904")
			wb.Date1904 = v == "1" || v == "true"
		case "sheet":
			if len(wb.Sheets) == wb.a.lim.Parts { // each sheet needs a part
				return nil, &Error{Err: ErrCorrupt, Part: part}
			}
			name, _ := attr(se, "name")
			id, _ := attr(se, "id") // r:id
			wb.Sheets = append(wb.Sheets, Sheet{Name: name})
			ids = append(ids, id)
		}
	}
}

// rel is one relationship of a part.
type rel struct {
	typ, to string
}

// target is the part a relationship points to, relative to dir unless absolute.
func (r rel) target(dir string) string {
	if strings.HasPrefix(r.to, "/") {
		return path.Clean(r.to[1:])
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, r.to)), "/")
}

// relsOf names the relationships part of a part: xl/workbook.xml → xl/_rels/workbook.xml.rels.
func relsOf(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// readRels reads a relationships part, internal targets only, by id.
func readRels(ctx context.Context, a *archive, part string) (map[string]rel, error) {
	out := map[string]rel{}
	if !a.has(part) {
		return out, nil
	}
	src, err := a.open(ctx, part)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	x := newDecoder(src)
	for {
		t, err := x.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, x.fail(err, nil)
		}
		se, ok := t.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if mode, _ := attr(se, "TargetMode"); mode == "External" {
			continue
		}
		if len(out) == a.lim.Parts { // each internal relationship points to a part
			return nil, &Error{Err: ErrCorrupt, Part: part}
		}
		id, _ := attr(se, "Id")
		typ, _ := attr(se, "Type")
		to, _ := attr(se, "Target")
		out[id] = rel{typ: typ, to: to}
	}
}
