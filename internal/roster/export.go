package roster

import (
	"io"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/date"
	"dangjian/internal/msg"
	"dangjian/internal/people"
	"dangjian/internal/store"
)

// Export writes rows as .xlsx with the columns of the template, so an
// exported file imports again. Unless unmask is set (the role may see them,
// and the caller logs the full view), ID numbers and phones are masked.
// It streams, so a province's roster does not sit in memory twice.
func Export(w io.Writer, rows []store.PersonRow, unmask bool) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheetName); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	for fld := range numFields {
		c := int(fld) + 1
		if err := sw.SetColWidth(c, c, widths[fld]); err != nil {
			return err
		}
		if s := st.columnStyle(fld); s != 0 {
			if err := sw.SetColStyle(c, c, s); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", styled(headerRow(), st.header)); err != nil {
		return err
	}
	for i := range rows {
		cells := personCells(&rows[i], i+1, unmask, st)
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// personCells is one roster line, in column order.
func personCells(p *store.PersonRow, seq int, unmask bool, st styles) []any {
	id, phone := p.IDNumber, p.Phone
	if !unmask {
		id, phone = people.MaskIDNumber(id), people.MaskPhone(phone)
	}
	var cells [numFields]any
	cells[fSeq] = seq
	cells[fName] = p.Name
	if p.Sex != "" {
		cells[fSex] = msg.Text("sex." + string(p.Sex))
	}
	cells[fEthnic] = p.Ethnic
	cells[fBirth] = dateCell(p.BirthDate, st)
	cells[fIDNumber] = excelize.Cell{StyleID: st.text, Value: id}
	cells[fEducation] = p.Education
	cells[fUnit] = p.UnitName
	cells[fPosition] = p.Position
	if p.Status != "" {
		cells[fStatus] = msg.Text("status." + string(p.Status))
	}
	cells[fJoined] = dateCell(p.JoinedOn, st)
	cells[fFull] = dateCell(p.FullOn, st)
	cells[fPhone] = excelize.Cell{StyleID: st.text, Value: phone}
	cells[fOrg] = p.OrgName
	return cells[:]
}

// dateCell is a real date cell, so the office can sort and filter by it.
func dateCell(d date.Date, st styles) any {
	if d.IsZero() {
		return nil
	}
	return excelize.Cell{StyleID: st.date, Value: d.Time()}
}

func styled(values []any, style int) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}
