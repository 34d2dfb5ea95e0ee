package roster

import (
	"io"

	"dangjian/internal/date"
	"dangjian/internal/msg"
	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/xlsx"
)

// Exporter writes people as .xlsx with the columns of the template, so an
// exported file imports again. Unless unmask is set (the role may see them,
// and the caller logs the full view), ID numbers and phones are masked. It
// streams: people are added a page at a time and the rows wait in a
// temporary file, so a province's roster does not sit in memory.
type Exporter struct {
	t     *xlsx.Table
	names *Names
}

// NewExporter starts an export. names writes each organisation and unit
// so the import finds it again (its path where its name alone is shared);
// nil writes bare names. The caller closes it.
func NewExporter(unmask bool, names *Names) (*Exporter, error) {
	cols := make([]xlsx.Column, numFields)
	for f := range numFields {
		cols[f] = xlsx.Column{Header: headers[f][0], Width: widths[f]}
	}
	for _, f := range textFields {
		cols[f].Format = xlsx.AsText
	}
	for _, f := range dateFields {
		cols[f].Format = xlsx.AsDate
	}
	cols[fIDNumber].Mask, cols[fPhone].Mask = people.MaskIDNumber, people.MaskPhone
	t, err := xlsx.NewTable(sheetName, cols, !unmask)
	if err != nil {
		return nil, err
	}
	return &Exporter{t: t, names: names}, nil
}

// Add writes people, numbered on from those added before.
func (e *Exporter) Add(rows ...store.PersonRow) error {
	for i := range rows {
		if err := e.t.Add(personCells(&rows[i], e.t.Rows()+1, e.names)...); err != nil {
			return err
		}
	}
	return nil
}

// WriteTo finishes the workbook and writes it out.
func (e *Exporter) WriteTo(w io.Writer) (int64, error) { return e.t.WriteTo(w) }

// Close releases the temporary file.
func (e *Exporter) Close() error { return e.t.Close() }

// Export writes rows as one .xlsx file.
func Export(w io.Writer, rows []store.PersonRow, unmask bool, names *Names) error {
	e, err := NewExporter(unmask, names)
	if err != nil {
		return err
	}
	defer e.Close()
	if err := e.Add(rows...); err != nil {
		return err
	}
	_, err = e.WriteTo(w)
	return err
}

// personCells is one roster line, in column order.
func personCells(p *store.PersonRow, seq int, names *Names) []any {
	var cells [numFields]any
	cells[fSeq] = seq
	cells[fName] = p.Name
	if p.Sex != "" {
		cells[fSex] = msg.Text("sex." + string(p.Sex))
	}
	cells[fEthnic] = p.Ethnic
	cells[fBirth] = dateCell(p.BirthDate)
	cells[fIDNumber] = p.IDNumber
	cells[fEducation] = p.Education
	cells[fUnit] = p.UnitName
	if names != nil && p.UnitID != 0 {
		cells[fUnit] = names.UnitLabel(p.UnitID, p.UnitName)
	}
	cells[fPosition] = p.Position
	if p.Status != "" {
		cells[fStatus] = msg.Text("status." + string(p.Status))
	}
	cells[fApplied] = dateCell(p.AppliedOn)
	cells[fActivist] = dateCell(p.ActivistOn)
	cells[fCandidate] = dateCell(p.CandidateOn)
	cells[fJoined] = dateCell(p.JoinedOn)
	cells[fFull] = dateCell(p.FullOn)
	cells[fPhone] = p.Phone
	cells[fOrg] = p.OrgName
	cells[fPersonNo] = p.ID
	if names != nil {
		cells[fOrg] = names.OrgLabel(p.OrgID, p.OrgName)
	}
	return cells[:]
}

// dateCell is a real date cell, so the office can sort and filter by it.
func dateCell(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}
