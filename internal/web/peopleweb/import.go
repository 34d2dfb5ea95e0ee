package peopleweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/jobs"
	"dangjian/internal/msg"
	"dangjian/internal/roster"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// maxUpload is the largest file an import takes.
const maxUpload = roster.MaxUploadSize

type importPage struct {
	web.Layout
	Report *roster.Report
	Job    *jobView
}

func (s *area) importForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.Render(w, r, http.StatusOK, "import", importPage{Layout: s.Base(c, "导入花名册", "/people/import")})
}

// upload reads the "file" part of a multipart request straight into memory,
// once: at most the largest file an import takes and one byte more (which
// the import refuses as too large). Nothing goes to temporary files, and
// no second copy is made for the background job.
func upload(r *http.Request) (name string, data []byte, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errs.Field("file", "roster.no_file")
	}
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return "", nil, tooBig
		case err != nil: // the end, or a broken body
			return "", nil, errs.Field("file", "roster.no_file")
		}
		if part.FormName() != "file" || part.FileName() == "" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, maxUpload+1))
		part.Close()
		switch {
		case errors.As(err, &tooBig):
			return "", nil, tooBig
		case err != nil: // the upload broke off
			return "", nil, errs.Field("file", "roster.no_file")
		}
		return part.FileName(), data, nil
	}
}

// importKind is the job kind of a roster import uploaded from the page.
const importKind = "roster.import"

// importJob is what an import job carries besides the file: who asked and
// within which part of the tree, as they were when they asked.
type importJob struct {
	Actor audit.Actor `json:"actor"`
	Scope auth.Scope  `json:"scope"`
}

// Jobs are the area's background work: imports uploaded from the page.
func (s *area) Jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{importKind: s.runImport}
}

// importSubmit puts the import of an uploaded file on the durable job queue
// (the file with it, in the database, so any instance can run it and a
// restart does not lose it) and sends the browser to the job's page, which
// shows its progress until the outcome: every problem with its row and
// column, or the number imported.
func (s *area) importSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	name, data, err := upload(r)
	if fields := web.InvalidFields(err); fields != nil {
		p := importPage{Layout: s.Base(c, "导入花名册", "/people/import")}
		p.Errors = fields
		return s.Render(w, r, http.StatusUnprocessableEntity, "import", p)
	}
	if err != nil {
		return err
	}
	payload, _ := json.Marshal(importJob{Actor: c.Actor, Scope: c.Scope})
	job := &store.Job{Kind: importKind, UserID: c.User.ID, Label: name, Payload: string(payload), Input: data}
	if err := s.Enqueue(r.Context(), job); err != nil {
		return err
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
	return nil
}

// runImport is the job: the import, all rows or none, as the uploader. A
// job cut off (the server stopped, the instance died) writes nothing and is
// run again whole by whichever instance takes it up; the runner records its
// progress as it goes, so any instance's page can show it.
func (s *area) runImport(ctx context.Context, j *store.Job, progress jobs.Progress) (any, error) {
	var who importJob
	if err := json.Unmarshal([]byte(j.Payload), &who); err != nil {
		return nil, err
	}
	return roster.Import(ctx, s.st, who.Actor, who.Scope, bytes.NewReader(j.Input), progress)
}

// jobView is an import job as its page shows it.
type jobView struct {
	ID       int64
	FileName string
	Status   string // waiting, running, done, rejected, failed
	Percent  int
	Writing  bool // past the checks, writing the rows
}

func (s *area) importStatus(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	job, err := s.st.JobOf(r.Context(), c.User.ID, id)
	if err != nil || job.Kind != importKind {
		return errs.ErrNotFound
	}
	v := &jobView{ID: job.ID, FileName: job.Label, Status: job.Status}
	if job.Status == "pending" {
		v.Status = "waiting"
	}
	if job.Total > 0 {
		v.Percent, v.Writing = job.Done*100/job.Total, job.Done*2 > job.Total
	}
	p := importPage{Layout: s.Base(c, "导入花名册", "/people/import"), Job: v}
	status := http.StatusOK
	if job.Status == "done" {
		var rep roster.Report
		if err := json.Unmarshal([]byte(job.Result), &rep); err != nil {
			return err
		}
		p.Report = &rep
		if rep.Rejected() {
			v.Status, status = "rejected", http.StatusUnprocessableEntity
		}
	}
	return s.Render(w, r, status, "import", p)
}

// importFile runs a roster import within the request (the JSON API: a program
// waits for the answer): every row is checked, and all are written or none.
// It stops when the request's context ends: the client went away.
func (s *area) importFile(r *http.Request, c *web.Call) (roster.Report, error) {
	_, data, err := upload(r)
	if err != nil {
		return roster.Report{}, err
	}
	return roster.Import(r.Context(), s.st, c.Actor, c.Scope, bytes.NewReader(data), nil)
}

func (s *area) apiImport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	rep, err := s.importFile(r, c)
	if err != nil {
		return err
	}
	if rep.Rejected() {
		out := importRejected{Error: importRejectedDetail{ErrorDetail: web.ErrorDetail{Code: "import_rejected",
			Message: msg.Format("roster.rejected", len(rep.Problems)), Fields: map[string]string{}},
			Problems: make([]problemOut, 0, len(rep.Problems))}}
		for _, p := range rep.Problems {
			out.Error.Problems = append(out.Error.Problems, problemOut{Row: p.Row, Column: p.Column, Code: p.Key, Message: p.Text})
		}
		web.WriteJSON(w, http.StatusUnprocessableEntity, out)
		return nil
	}
	web.WriteJSON(w, http.StatusOK, importOut{Imported: rep.Imported, Rows: rep.Rows})
	return nil
}

// importOut answers an import that went in: how many people of how many rows.
type importOut struct {
	Imported int `json:"imported"`
	Rows     int `json:"rows"`
}

// importRejected answers a refused file: the usual error, with every problem
// of the file beside it, each with its row and column.
type importRejected struct {
	Error importRejectedDetail `json:"error"`
}

type importRejectedDetail struct {
	web.ErrorDetail
	Problems []problemOut `json:"problems"`
}

// problemOut is one bad cell or row of a refused file.
type problemOut struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// maxExport bounds one export; larger rosters are exported per organisation.
const maxExport = 100000

// peopleExport writes the filtered roster (every page of it) as .xlsx. ID
// numbers and phones are masked unless the role may see them in full; either
// way the export is audited, with the filter that produced it, before a byte
// of it leaves. Pages go into the workbook as they are read, so a large
// roster is never held in memory whole.
func (s *area) peopleExport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q := parseRosterQuery(r.URL.Query())
	f := q.filter(s.Today())
	f.Limit, f.Offset, f.After, f.Before = 500, 0, "", "" // the whole list, page by page through the cursors
	unmask := c.Can(auth.PersonSeeFull)
	names, err := roster.LoadNames(r.Context(), s.st, c.Scope)
	if err != nil {
		return err
	}
	x, err := roster.NewExporter(unmask, names)
	if err != nil {
		return err
	}
	defer x.Close()
	count := 0
	for {
		page, err := s.st.People(r.Context(), c.Scope, f)
		if err != nil {
			return err
		}
		n := min(len(page.Items), maxExport-count)
		if err := x.Add(page.Items[:n]...); err != nil {
			return err
		}
		count += n
		if page.Next == "" || count >= maxExport {
			break
		}
		f.After = page.Next
	}
	change := store.Change{Action: "person.export", ObjectType: "person", OrgPath: c.Scope.OrgPath,
		After: map[string]any{"count": count, "unmasked": unmask, "filter": q.values().Encode()}}
	if err := s.st.LogEvent(r.Context(), c.Actor, change); err != nil {
		return err
	}
	name := "党员花名册-" + s.st.Now().In(web.China).Format("20060102") + ".xlsx"
	s.Attachment(w, web.XLSXType, name, -1)
	_, err = x.WriteTo(w)
	return err
}

func (s *area) peopleTemplate(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	b, err := roster.Template()
	if err != nil {
		return err
	}
	s.Attachment(w, web.XLSXType, "党员花名册导入模板.xlsx", len(b))
	_, err = w.Write(b)
	return err
}
