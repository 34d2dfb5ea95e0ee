package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/roster"
	"dangjian/internal/store"
)

// maxUpload is the request body limit of import routes (middleware.go).
const maxUpload = roster.MaxUploadSize

type importPage struct {
	page
	Report *roster.Report
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.render(w, r, http.StatusOK, "import", importPage{page: s.base(c, "导入花名册", "/people/import")})
}

// upload reads the "file" part of a multipart request without keeping more
// than the limit in memory.
func upload(r *http.Request) (multipart.File, error) {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if asMaxBytes(err, &tooBig) {
			return nil, tooBig
		}
		return nil, errs.Field("file", "roster.no_file")
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, errs.Field("file", "roster.no_file")
	}
	return f, nil
}

// importFile runs a roster import into the caller's scope: every row is
// checked, and either all are written or none.
func (s *Server) importFile(r *http.Request, c *call) (roster.Report, error) {
	f, err := upload(r)
	if err != nil {
		return roster.Report{}, err
	}
	defer f.Close()
	return roster.Import(r.Context(), s.st, c.actor, c.scope, f, nil)
}

func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	rep, err := s.importFile(r, c)
	p := importPage{page: s.base(c, "导入花名册", "/people/import")}
	if fields := invalidFields(err); fields != nil {
		p.Errors = fields
		return s.render(w, r, http.StatusUnprocessableEntity, "import", p)
	}
	if err != nil {
		return err
	}
	p.Report = &rep
	status := http.StatusOK
	if rep.Rejected() {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import", p)
}

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, c *call) error {
	rep, err := s.importFile(r, c)
	if err != nil {
		return err
	}
	if rep.Rejected() {
		problems := make([]map[string]any, 0, len(rep.Problems))
		for _, p := range rep.Problems {
			problems = append(problems, map[string]any{"row": p.Row, "column": p.Column, "code": p.Key, "message": p.Text})
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{"code": "import_rejected",
			"message": msg.Format("roster.rejected", len(rep.Problems)), "fields": map[string]string{}, "problems": problems}})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"imported": rep.Imported, "rows": rep.Rows})
	return nil
}

// maxExport bounds one export; larger rosters are exported per organisation.
const maxExport = 100000

// peopleExport writes the filtered roster (every page of it) as .xlsx. ID
// numbers and phones are masked unless the role may see them in full; either
// way the export is audited, with the filter that produced it.
func (s *Server) peopleExport(w http.ResponseWriter, r *http.Request, c *call) error {
	q := parseRosterQuery(r.URL.Query())
	f := q.filter(s.today())
	f.Limit, f.Offset = 500, 0
	var rows []store.PersonRow
	for {
		page, err := s.st.People(r.Context(), c.scope, f)
		if err != nil {
			return err
		}
		rows = append(rows, page.Items...)
		if len(page.Items) < f.Limit || len(rows) >= maxExport {
			break
		}
		f.Offset += f.Limit
	}
	unmask := c.can(auth.PersonSeeFull)
	var buf bytes.Buffer
	if err := roster.Export(&buf, rows, unmask); err != nil {
		return err
	}
	change := store.Change{Action: "person.export", ObjectType: "person", OrgPath: c.scope.OrgPath,
		After: map[string]any{"count": len(rows), "unmasked": unmask, "filter": q.values().Encode()}}
	if err := s.st.LogEvent(r.Context(), c.actor, change); err != nil {
		return err
	}
	name := "党员花名册-" + s.st.Now().In(china).Format("20060102") + ".xlsx"
	attachment(w, name, buf.Len())
	_, err := buf.WriteTo(w)
	return err
}

func (s *Server) peopleTemplate(w http.ResponseWriter, r *http.Request, c *call) error {
	b, err := roster.Template()
	if err != nil {
		return err
	}
	attachment(w, "党员花名册导入模板.xlsx", len(b))
	_, err = w.Write(b)
	return err
}

// attachment sets the headers of a download: never shown inline, with a
// server-made file name (RFC 6266 with the UTF-8 form for Chinese names).
func attachment(w http.ResponseWriter, name string, size int) {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", `attachment; filename="export.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Content-Length", strconv.Itoa(size))
	h.Set("Cache-Control", "no-store")
	h.Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
}
