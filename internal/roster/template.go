package roster

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/msg"
)

// fieldKeys name the columns in the message keys of the instructions.
var fieldKeys = [numFields]string{
	fSeq: "seq", fName: "name", fSex: "sex", fEthnic: "ethnic", fBirth: "birth_date", fIDNumber: "id_number",
	fEducation: "education", fUnit: "unit", fPosition: "position", fStatus: "status", fApplied: "applied_on", fActivist: "activist_on", fCandidate: "candidate_on", fJoined: "joined_on",
	fFull: "full_on", fPhone: "phone", fOrg: "org", fPersonNo: "person_no",
}

// example is the template's example row; its 序号 says 示例, so the import
// skips it. 11010519491231002X is the example number of GB 11643 itself.
var example = [numFields]string{
	fSeq: exampleMark, fName: "李红", fSex: "女", fEthnic: "汉族", fBirth: "1949-12-31",
	fIDNumber: "11010519491231002X", fEducation: "大学本科", fUnit: "市委政法委", fPosition: "科员",
	fStatus: "正式党员", fJoined: "1975-07-01", fFull: "1976-07-01", fPhone: "13800138000", fOrg: "第一党支部",
}

// generalHelp are the instruction lines above the column table.
var generalHelp = []string{"roster.help.general", "roster.help.all_or_nothing", "roster.help.example", "roster.help.limits"}

// Template returns an empty roster to download: the header, an example row
// the import skips, text-formatted ID and phone columns (so Excel cannot
// turn an ID number into a number), dropdowns for 性别 and 人员类别, and a
// second sheet that explains each column.
func Template() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheetName); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	last := strconv.Itoa(MaxRows + 1)
	for fld := range numFields {
		col := colName(fld)
		if err := f.SetColWidth(sheetName, col, col, widths[fld]); err != nil {
			return nil, err
		}
		if s := st.columnStyle(fld); s != 0 {
			if err := f.SetColStyle(sheetName, col, s); err != nil {
				return nil, err
			}
		}
	}
	for fld := range numFields {
		ref := colName(fld) + "1"
		if err := f.SetCellStr(sheetName, ref, headers[fld][0]); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(sheetName, colName(fld)+"2", example[fld]); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(sheetName, "A1", colName(numFields-1)+"1", st.header); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheetName, "A2", colName(numFields-1)+"2", st.example); err != nil {
		return nil, err
	}
	if err := f.SetPanes(sheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	lists := map[field][]string{
		fSex:    {"男", "女"},
		fStatus: {"正式党员", "预备党员", "发展对象", "入党积极分子", "入党申请人", "群众"},
	}
	for fld, values := range lists {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(colName(fld) + "2:" + colName(fld) + last)
		if err := dv.SetDropList(values); err != nil {
			return nil, err
		}
		if err := f.AddDataValidation(sheetName, dv); err != nil {
			return nil, err
		}
	}
	if err := writeHelp(f, st); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeHelp adds the 填写说明 sheet: what each column takes.
func writeHelp(f *excelize.File, st styles) error {
	name := msg.Text("roster.help.sheet")
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "A", "A", 14); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "B", "B", 100); err != nil {
		return err
	}
	r := 1
	put := func(a, b string, style int) error {
		n := strconv.Itoa(r)
		r++
		// An empty B cell lets a long line in A run on across the sheet.
		for ref, v := range map[string]string{"A" + n: a, "B" + n: b} {
			if v == "" {
				continue
			}
			if err := f.SetCellStr(name, ref, v); err != nil {
				return err
			}
		}
		if style != 0 {
			return f.SetCellStyle(name, "A"+n, "B"+n, style)
		}
		return nil
	}
	for _, k := range generalHelp {
		if err := put(msg.Text(k), "", 0); err != nil {
			return err
		}
	}
	r++
	if err := put(msg.Text("roster.help.column"), msg.Text("roster.help.rule"), st.header); err != nil {
		return err
	}
	for fld := range numFields {
		if err := put(headers[fld][0], msg.Text("roster.help."+fieldKeys[fld]), 0); err != nil {
			return err
		}
	}
	return nil
}
