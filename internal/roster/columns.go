package roster

import (
	"strings"
	"unicode"
)

// field is one column of the roster, whatever the file calls it.
type field int

const (
	fSeq field = iota
	fName
	fSex
	fEthnic
	fBirth
	fIDNumber
	fEducation
	fUnit
	fPosition
	fStatus
	fApplied
	fActivist
	fCandidate
	fJoined
	fFull
	fPhone
	fOrg
	// fPersonNo is the platform's own number of a person, written by the
	// export so that the update mode finds each row's person even where
	// the exporting role saw the ID number masked.
	fPersonNo
	numFields
)

// headers are the names offices give each column; the first is the one the
// template and the export write. Headers are the file format, so they live
// here and not in the message catalogue.
var headers = [numFields][]string{
	fSeq:       {"序号", "编号"},
	fName:      {"姓名"},
	fSex:       {"性别"},
	fEthnic:    {"民族"},
	fBirth:     {"出生日期", "出生年月", "出生年月日"},
	fIDNumber:  {"身份证号", "身份证号码", "公民身份号码", "身份证"},
	fEducation: {"学历", "文化程度", "最高学历"},
	fUnit:      {"工作单位", "单位", "所在单位"},
	fPosition:  {"职务", "职务职级", "职级"},
	fStatus:    {"人员类别", "政治面貌", "类别"},
	fApplied:   {"申请入党时间", "递交入党申请书时间", "入党申请时间", "申请入党日期", "递交申请时间"},
	fActivist:  {"确定积极分子时间", "确定入党积极分子时间", "列为积极分子时间", "积极分子时间", "确定积极分子日期"},
	fCandidate: {"确定发展对象时间", "列为发展对象时间", "发展对象时间", "确定发展对象日期"},
	fJoined:    {"入党时间", "入党日期"},
	fFull:      {"转正时间", "转正日期"},
	fPhone:     {"联系电话", "手机号码", "手机号", "手机", "电话", "联系方式"},
	fOrg:       {"所在支部", "所在党支部", "党支部", "支部", "所在党组织", "党组织", "所在组织"},
	fPersonNo:  {"人员编号", "系统编号"},
}

// requiredFields must be present as columns; without them no row can be read.
var requiredFields = []field{fName, fOrg, fStatus}

// headerScanRows is how far down the header row is looked for: real files
// have a merged title row, sometimes a date line or a unit line, above it.
const headerScanRows = 10

// fieldOfHeader maps a cleaned header text to its field.
var fieldOfHeader = func() map[string]field {
	m := map[string]field{}
	for f, names := range headers {
		for _, n := range names {
			m[n] = field(f)
		}
	}
	return m
}()

// cleanHeader strips what offices decorate headers with: spaces (also inside,
// "姓　名"), line breaks, required-marks and hints in brackets
// ("出生日期（1985-03-12）", "*姓名").
func cleanHeader(s string) string {
	if i := strings.IndexAny(s, "(（"); i >= 0 {
		s = s[:i]
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '*' || r == '＊' || r == ':' || r == '：' {
			return -1
		}
		return r
	}, s)
}

// layout says where each field sits in a file.
type layout struct {
	headerRow int               // 1-based
	col       [numFields]int    // 0-based column index, -1 when absent
	header    [numFields]string // the header as the file writes it
}

// column names a field for a problem: as the file calls it, or by its
// standard name when the file lacks it.
func (l *layout) column(f field) string {
	if l != nil && l.col[f] >= 0 {
		return l.header[f]
	}
	return headers[f][0]
}

// missing lists the required columns the layout lacks, by standard name.
func (l *layout) missing() []string {
	var out []string
	for _, f := range requiredFields {
		if l.col[f] < 0 {
			out = append(out, headers[f][0])
		}
	}
	return out
}

// matchHeader reads one row as a header row. It is one when it names 姓名 and
// at least two other known columns; a title or a data row does not.
func matchHeader(rowNum int, cells []string) (*layout, bool) {
	l := &layout{headerRow: rowNum}
	for i := range l.col {
		l.col[i] = -1
	}
	known := 0
	for i, c := range cells {
		f, ok := fieldOfHeader[cleanHeader(c)]
		if !ok || l.col[f] >= 0 { // the first of two synonyms wins
			continue
		}
		l.col[f], l.header[f] = i, strings.TrimSpace(c)
		known++
	}
	return l, l.col[fName] >= 0 && known >= 3
}
