package eventweb

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"dangjian/internal/errs"
	"dangjian/internal/event"
	"dangjian/internal/msg"
	"dangjian/internal/web"
)

// importReport is what an import of a paper sheet says: every problem with
// its row and column, or how many marks it brought in.
type importReport struct {
	Problems []string
	Changed  int
	Marks    int
}

// errSheet refuses a sheet; its report lists every bad row.
type errSheet struct{ report importReport }

func (e *errSheet) Error() string { return "attendance sheet refused" }

// uploaded reads the "file" part of a multipart request, at most limit bytes.
func uploaded(r *http.Request, limit int64) ([]byte, *multipart.FileHeader, error) {
	if err := r.ParseMultipartForm(limit); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, tooBig
		}
		return nil, nil, errs.Field("file", "event.no_file")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, nil, errs.Field("file", "event.no_file")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, &http.MaxBytesError{Limit: limit}
	}
	return data, h, nil
}

// importSheet checks every row of an uploaded sheet against the event's
// frozen list and imports all of it or nothing.
func (s *area) importSheet(r *http.Request, c *web.Call, id int64) (importReport, error) {
	ctx := r.Context()
	data, _, err := uploaded(r, maxSheet-1<<20)
	if err != nil {
		return importReport{}, err
	}
	e, err := s.st.Event(ctx, c.Scope, id)
	if err != nil {
		return importReport{}, err
	}
	rows, problem := readWorkbook(data)
	if problem != "" {
		return importReport{}, errs.Field("file", problem)
	}
	list, err := s.st.EventList(ctx, c.Scope, id)
	if err != nil {
		return importReport{}, err
	}
	kinds, err := s.st.EventKinds(ctx)
	if err != nil {
		return importReport{}, err
	}
	marks, problems := event.ParseSheet(rows, list, e.Days(), kindOf(kinds, e.KindID), sheetDate)
	if len(problems) > 0 {
		rep := importReport{}
		for _, p := range problems {
			text := msg.Format(p.Key, p.Args...)
			if p.Row > 0 {
				text = msg.Format("event.import.row", p.Row) + (map[bool]string{true: "（" + p.Column + "）", false: ""})[p.Column != ""] + "：" + text
			}
			rep.Problems = append(rep.Problems, text)
		}
		return rep, &errSheet{rep}
	}
	changed, err := s.st.MarkAttendance(ctx, c.Actor, c.Scope, id, marks, event.ByImport)
	return importReport{Changed: changed, Marks: len(marks)}, err
}

func (s *area) importPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.importSheet(r, c, id)
	var bad *errSheet
	if errors.As(err, &bad) || web.InvalidFields(err) != nil {
		p, perr := s.eventPage(r, c, id)
		if perr != nil {
			return perr
		}
		if bad != nil {
			p.Problems = bad.report.Problems
			p.Errors = map[string]string{"file": msg.Format("event.import.rejected", len(bad.report.Problems))}
		} else {
			p.Errors = web.InvalidFields(err)
		}
		return s.Render(w, r, http.StatusUnprocessableEntity, "event_show", p)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/events/"+strconv.FormatInt(id, 10)+"?notice=imported#attendance", http.StatusSeeOther)
	_ = rep
	return nil
}

func (s *area) apiImport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.importSheet(r, c, id)
	var bad *errSheet
	if errors.As(err, &bad) {
		fields := map[string]string{}
		for i, p := range bad.report.Problems {
			fields["rows."+strconv.Itoa(i)] = p
		}
		web.WriteJSON(w, http.StatusUnprocessableEntity, web.ErrorBody{Error: web.ErrorDetail{Code: "invalid",
			Message: msg.Format("event.import.rejected", len(bad.report.Problems)), Fields: fields}})
		return nil
	}
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, markedOut{Changed: rep.Changed, Marks: rep.Marks})
	return nil
}

// sheetTemplate is the attendance sheet of an event to print or fill in:
// one line per person and day of its list (empty before the list is taken).
func (s *area) sheetTemplate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.st.Event(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	list, err := s.st.EventAttendance(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	sh := sheet{Name: "考勤表", Title: e.OrgName + " " + e.Title + " 签到表",
		Header: []string{"序号", "姓名", "所在组织", "日期", "出勤情况", "请假事由", "补课日期", "补课方式"},
		Widths: []float64{6, 12, 18, 12, 10, 20, 12, 20}}
	for i, a := range list {
		mark := ""
		if a.Mark != event.Unmarked {
			mark = msg.Text("event_mark." + string(a.Mark))
		}
		sh.Rows = append(sh.Rows, []any{i + 1, a.Name, a.OrgName, a.Day.String(), mark, a.LeaveReason, a.MadeUpOn.String(), a.MakeupHow})
	}
	b, err := writeWorkbook([]sheet{sh})
	if err != nil {
		return err
	}
	s.Attachment(w, web.XLSXType, e.Title+"-考勤表.xlsx", len(b))
	_, err = w.Write(b)
	return err
}
