package peopleweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
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

// upload reads the "file" part of a multipart request without keeping more
// than the limit in memory.
func upload(r *http.Request) (multipart.File, *multipart.FileHeader, error) {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, tooBig
		}
		return nil, nil, errs.Field("file", "roster.no_file")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, nil, errs.Field("file", "roster.no_file")
	}
	return f, h, nil
}

// importSubmit starts the import of an uploaded file in the background and
// sends the browser to the job's page, which shows its progress until the
// outcome: every problem with its row and column, or the number imported.
func (s *area) importSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	f, h, err := upload(r)
	if fields := web.InvalidFields(err); fields != nil {
		p := importPage{Layout: s.Base(c, "导入花名册", "/people/import")}
		p.Errors = fields
		return s.Render(w, r, http.StatusUnprocessableEntity, "import", p)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		return err
	}
	job, err := s.st.StartImportJob(r.Context(), c.User.ID, h.Filename)
	if err != nil {
		return err
	}
	s.Go(func(ctx context.Context) { s.runImport(ctx, job.ID, data, c.Actor, c.Scope) })
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
	return nil
}

// progressEvery is how often a running import writes how far it has come.
const progressEvery = 300 * time.Millisecond

// runImport imports in the background of the instance that took the upload.
// Progress goes to the database on a ticker, never from inside the import's
// own transaction (SQLite has one writer), so any instance can report it.
func (s *area) runImport(ctx context.Context, id int64, data []byte, a audit.Actor, sc auth.Scope) {
	var done, total atomic.Int64
	stop := make(chan struct{})
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if err := s.st.ImportProgress(ctx, id, int(done.Load()), int(total.Load())); err != nil {
					s.Log().Warn("import progress", "job", id, "err", err)
				}
			}
		}
	}()
	rep, err := roster.Import(ctx, s.st, a, sc, bytes.NewReader(data), func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	})
	close(stop)
	<-flushed
	if err := s.st.ImportProgress(context.Background(), id, int(done.Load()), int(total.Load())); err != nil {
		s.Log().Warn("import progress", "job", id, "err", err)
	}
	status := "done"
	switch {
	case err != nil:
		s.Log().Error("import failed", "job", id, "err", err)
		status = "failed"
	case rep.Rejected():
		status = "rejected"
	}
	b, _ := json.Marshal(rep)
	if err := s.st.FinishImportJob(context.Background(), id, status, string(b)); err != nil {
		s.Log().Error("import outcome", "job", id, "err", err)
	}
}

// jobView is an import job as its page shows it.
type jobView struct {
	ID       int64
	FileName string
	Status   string // running, done, rejected, failed (also a running job that stopped moving)
	Percent  int
	Writing  bool // past the checks, writing the rows
}

func (s *area) importStatus(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	job, err := s.st.ImportJobOf(r.Context(), c.User.ID, id)
	if err != nil {
		return err
	}
	v := &jobView{ID: job.ID, FileName: job.FileName, Status: job.Status}
	if job.Stale(s.st.Now()) {
		v.Status = "failed"
	}
	if job.Total > 0 {
		v.Percent, v.Writing = job.Done*100/job.Total, job.Done*2 > job.Total
	}
	p := importPage{Layout: s.Base(c, "导入花名册", "/people/import"), Job: v}
	status := http.StatusOK
	if job.Status == "done" || job.Status == "rejected" {
		var rep roster.Report
		if err := json.Unmarshal([]byte(job.Report), &rep); err != nil {
			return err
		}
		p.Report = &rep
	}
	if v.Status == "rejected" {
		status = http.StatusUnprocessableEntity
	}
	return s.Render(w, r, status, "import", p)
}

// importFile runs a roster import within the request (the JSON API: a program
// waits for the answer): every row is checked, and all are written or none.
func (s *area) importFile(r *http.Request, c *web.Call) (roster.Report, error) {
	f, _, err := upload(r)
	if err != nil {
		return roster.Report{}, err
	}
	defer f.Close()
	return roster.Import(r.Context(), s.st, c.Actor, c.Scope, f, nil)
}

func (s *area) apiImport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	rep, err := s.importFile(r, c)
	if err != nil {
		return err
	}
	if rep.Rejected() {
		problems := make([]map[string]any, 0, len(rep.Problems))
		for _, p := range rep.Problems {
			problems = append(problems, map[string]any{"row": p.Row, "column": p.Column, "code": p.Key, "message": p.Text})
		}
		web.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": map[string]any{"code": "import_rejected",
			"message": msg.Format("roster.rejected", len(rep.Problems)), "fields": map[string]string{}, "problems": problems}})
		return nil
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"imported": rep.Imported, "rows": rep.Rows})
	return nil
}

// maxExport bounds one export; larger rosters are exported per organisation.
const maxExport = 100000

// peopleExport writes the filtered roster (every page of it) as .xlsx. ID
// numbers and phones are masked unless the role may see them in full; either
// way the export is audited, with the filter that produced it.
func (s *area) peopleExport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	q := parseRosterQuery(r.URL.Query())
	f := q.filter(s.Today())
	f.Limit, f.Offset, f.After, f.Before = 500, 0, "", "" // the whole list, page by page through the cursors
	var rows []store.PersonRow
	for {
		page, err := s.st.People(r.Context(), c.Scope, f)
		if err != nil {
			return err
		}
		rows = append(rows, page.Items...)
		if page.Next == "" || len(rows) >= maxExport {
			break
		}
		f.After = page.Next
	}
	unmask := c.Can(auth.PersonSeeFull)
	var buf bytes.Buffer
	if err := roster.Export(&buf, rows, unmask); err != nil {
		return err
	}
	change := store.Change{Action: "person.export", ObjectType: "person", OrgPath: c.Scope.OrgPath,
		After: map[string]any{"count": len(rows), "unmasked": unmask, "filter": q.values().Encode()}}
	if err := s.st.LogEvent(r.Context(), c.Actor, change); err != nil {
		return err
	}
	name := "党员花名册-" + s.st.Now().In(web.China).Format("20060102") + ".xlsx"
	s.Attachment(w, web.XLSXType, name, buf.Len())
	_, err := buf.WriteTo(w)
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
