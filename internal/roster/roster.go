// Package roster reads and writes the 党员花名册 as an Excel workbook (.xlsx):
// the template offices download, the import that turns their sheets into
// people (all rows or none), and the export that imports again unchanged.
// It is an adapter around package people and the store; the rules of a
// person record stay in package people.
package roster

import "dangjian/internal/msg"

// The office workbooks the tests read are generated, byte for byte the same
// on every run, into testdata.
//go:generate go run ./testdata/gen

// Limits on what an upload may be. The HTTP layer uses MaxUploadSize for its
// request body limit; Import checks it again so no caller can forget it.
const (
	// MaxUploadSize is the largest .xlsx file accepted, in bytes.
	MaxUploadSize = 10 << 20
	// MaxRows is the largest number of people one file may hold; bigger
	// rosters are split, so one mistake does not hold up a whole province.
	MaxRows = 50000
	// MaxProblems caps the list of problems of one file: a sheet that is
	// wrong throughout does not need 100,000 lines to say so.
	MaxProblems = 2000

	// MaxMerges bounds the merged ranges of the sheet: offices merge a
	// branch's cell over its people, not each cell on its own.
	MaxMerges = 10000

	// maxUnzipSize bounds the unpacked size of the workbook (zip bombs),
	// and maxPartSize that of any one part: a full roster's sheet is about
	// 40 MB.
	maxUnzipSize = 200 << 20
	maxPartSize  = 100 << 20
	// maxZipEntries bounds the number of parts of the workbook.
	maxZipEntries = 1000
	// maxSheetRows bounds the rows of the sheet, empty ones included:
	// offices number some hundreds of rows in advance, not millions.
	maxSheetRows = 2 * MaxRows
	// maxSheetCells bounds its cells, blank ones included: forty columns
	// of the largest roster, and then some.
	maxSheetCells = 60 * MaxRows
)

// Problem is one bad cell or row, reported with its spreadsheet row number
// (1-based, as Excel shows it). Row 0 is a problem of the whole file.
type Problem struct {
	Row    int
	Column string // the column's header as written in the file, e.g. "身份证号"; "" for the whole row or file
	Key    string // message key
	Text   string // Chinese, ready to show
}

// Report is the outcome of an import. When it is Rejected nothing was
// written.
type Report struct {
	Mode     Mode
	Rows     int // data rows read (empty rows and the template's example row not counted)
	Imported int // people added (create mode)
	Updated  int // people changed (update mode, confirmed)
	Problems []Problem
	// Missing are the organisations and units the file names that the tree
	// lacks, each once with the rows naming it. When they are the only
	// problems, the importer may create or map them and run the file again.
	Missing []Missing
	// Changes are, in the update mode, the people the file changes, each
	// with its fields from what to what: the preview before the write, and
	// what was written once confirmed. Unchanged counts the rest.
	Changes   []PersonChange
	Unchanged int
	// Preview is true for an update checked and not yet confirmed;
	// Fingerprint identifies its changes, so the confirmation writes what
	// the user saw and nothing else. Stale says the data changed between
	// the preview and the confirmation: Changes are the new ones, unwritten.
	Preview     bool
	Fingerprint string
	Stale       bool
}

// Rejected reports whether the file was refused because of its content.
func (r Report) Rejected() bool { return len(r.Problems) > 0 || len(r.Missing) > 0 || r.Stale }

// OnlyMissing reports whether organisations and units the tree lacks are
// the file's only problems: creating or mapping them lets it import.
func (r Report) OnlyMissing() bool { return len(r.Problems) == 0 && len(r.Missing) > 0 }

func problem(row int, column, key string, args ...any) Problem {
	text := msg.Text(key)
	if len(args) > 0 {
		text = msg.Format(key, args...)
	}
	return Problem{Row: row, Column: column, Key: key, Text: text}
}

// fileProblem is a Report refusing the whole file.
func fileProblem(key string, args ...any) Report {
	return Report{Problems: []Problem{problem(0, "", key, args...)}}
}

// refuse is fileProblem for functions that return a report only when refusing.
func refuse(key string, args ...any) *Report { r := fileProblem(key, args...); return &r }
