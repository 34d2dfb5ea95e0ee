package event

import (
	"strings"

	"dangjian/internal/date"
)

// A paper sign-in sheet typed into Excel comes back as rows of text. The
// columns are found by their Chinese names in any order; every row is
// checked against the event's frozen list, and every bad row is reported
// with its number, so nothing is half imported.

// Column names an attendance sheet may use, by the field they fill.
var sheetColumns = map[string][]string{
	"name":         {"姓名"},
	"id_number":    {"身份证号", "身份证号码", "公民身份号码", "证件号码"},
	"day":          {"日期", "签到日期", "学习日期", "会议日期"},
	"mark":         {"出勤情况", "出勤", "到会情况", "签到情况", "状态"},
	"leave_reason": {"请假事由", "请假原因", "事由"},
	"made_up_on":   {"补课日期", "补学日期"},
	"makeup_how":   {"补课方式", "补学方式"},
}

// markWords are what offices write in the attendance column.
var markWords = map[string]Mark{
	"出席": Present, "参加": Present, "到会": Present, "已到": Present, "到": Present, "√": Present, "✓": Present, "签到": Present, "实到": Present,
	"请假": Leave, "假": Leave,
	"缺席": Absent, "未到": Absent, "缺": Absent, "×": Absent, "✗": Absent, "无故缺席": Absent,
}

// Rows a sheet may hold at most, and rows scanned for its header.
const (
	MaxSheetRows   = MaxBatch
	sheetHeaderRow = 5
)

// ListPerson is one person of the frozen list, as an import matches rows to it.
type ListPerson struct {
	PersonID int64
	Name     string
	IDNumber string
}

// RowProblem is what is wrong with one row (0 for the file as a whole):
// a message key and its arguments.
type RowProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Key    string `json:"-"`
	Args   []any  `json:"-"`
}

// ParseSheet reads the rows of an attendance sheet into marks. parseDate
// reads a date cell (text or an Excel serial). Either every row is good and
// the marks come back, or the problems of every bad row do.
func ParseSheet(rows [][]string, list []ListPerson, days []date.Date, k *Kind, parseDate func(string) (date.Date, bool)) ([]MarkInput, []RowProblem) {
	header, cols := -1, map[string]int{}
	for i := 0; i < len(rows) && i < sheetHeaderRow && header < 0; i++ {
		found := map[string]int{}
		for j, cell := range rows[i] {
			name := strings.Join(strings.Fields(cell), "")
			for field, names := range sheetColumns {
				if oneOf(name, names) {
					if _, dup := found[field]; !dup {
						found[field] = j
					}
				}
			}
		}
		if _, ok := found["name"]; ok {
			if _, ok := found["mark"]; ok {
				header, cols = i, found
			}
		}
	}
	if header < 0 {
		return nil, []RowProblem{{Key: "event.import.no_header"}}
	}
	if len(rows)-header-1 > MaxSheetRows {
		return nil, []RowProblem{{Key: "event.import.too_many_rows", Args: []any{MaxSheetRows}}}
	}
	if _, ok := cols["day"]; !ok && len(days) > 1 {
		return nil, []RowProblem{{Key: "event.import.day_column"}}
	}
	byName := map[string][]ListPerson{}
	for _, p := range list {
		byName[p.Name] = append(byName[p.Name], p)
	}
	cell := func(row []string, field string) string {
		j, ok := cols[field]
		if !ok || j >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[j])
	}
	var marks []MarkInput
	var problems []RowProblem
	seen := map[[2]int64]int{}
	for i := header + 1; i < len(rows); i++ {
		row, n := rows[i], i+1
		name := strings.Join(strings.Fields(strings.ReplaceAll(cell(row, "name"), "\u3000", " ")), "")
		if name == "" && strings.Join(row, "") == "" {
			continue // a blank line
		}
		bad := func(column, key string, args ...any) {
			problems = append(problems, RowProblem{Row: n, Column: column, Key: key, Args: args})
		}
		if name == "" {
			bad("姓名", "event.import.name_missing")
			continue
		}
		candidates := byName[name]
		if id := strings.ToUpper(cell(row, "id_number")); id != "" && len(candidates) > 0 {
			var kept []ListPerson
			for _, p := range candidates {
				if p.IDNumber != "" && strings.HasSuffix(p.IDNumber, id) && len(id) >= 4 {
					kept = append(kept, p)
				}
			}
			candidates = kept
		}
		switch len(candidates) {
		case 0:
			bad("姓名", "event.import.not_on_list", name)
			continue
		case 1:
		default:
			bad("身份证号", "event.import.ambiguous", name)
			continue
		}
		m := MarkInput{PersonID: candidates[0].PersonID, LeaveReason: cell(row, "leave_reason"), MakeupHow: cell(row, "makeup_how")}
		word := strings.Join(strings.Fields(cell(row, "mark")), "")
		mark, ok := markWords[word]
		if !ok {
			bad("出勤情况", "event.import.mark_unknown", word)
			continue
		}
		m.Mark = mark
		if s := cell(row, "day"); s != "" {
			d, ok := parseDate(s)
			if !ok {
				bad("日期", "event.import.date_format")
				continue
			}
			m.Day = d
		} else if len(days) > 0 {
			m.Day = days[0]
		}
		if s := cell(row, "made_up_on"); s != "" {
			d, ok := parseDate(s)
			if !ok {
				bad("补课日期", "event.import.date_format")
				continue
			}
			m.MadeUpOn = d
		}
		if err := m.Validate(days, k, ""); err != nil {
			for field, key := range fieldsOf(err) {
				bad(columnName[field], key)
			}
			continue
		}
		key := [2]int64{m.PersonID, m.Day.Time().Unix()}
		if first, dup := seen[key]; dup {
			bad("姓名", "event.import.duplicate", first)
			continue
		}
		seen[key] = n
		marks = append(marks, m)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(marks) == 0 {
		return nil, []RowProblem{{Key: "event.import.no_rows"}}
	}
	return marks, nil
}

// columnName is the sheet column a mark's field comes from.
var columnName = map[string]string{"person_id": "姓名", "day": "日期", "mark": "出勤情况", "leave_reason": "请假事由",
	"made_up_on": "补课日期", "makeup_how": "补课方式"}
