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
	Mode    roster.Mode // the mode the form offers first
	Report  *roster.Report
	Job     *jobView
	History []store.ImportRecord
	Resolve *resolveChoices // names the tree lacks, when they are the only problems
}

func (s *area) importForm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.newImportPage(r.Context(), c)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("mode") == string(roster.Update) {
		p.Mode = roster.Update
	}
	return s.Render(w, r, http.StatusOK, "import", p)
}

// historyShown is how many past imports the import page lists.
const historyShown = 20

func (s *area) newImportPage(ctx context.Context, c *web.Call) (importPage, error) {
	p := importPage{Layout: s.Base(c, "导入花名册", "/people/import"), Mode: roster.Create}
	var err error
	p.History, err = s.st.ImportHistory(ctx, c.Scope, historyShown)
	return p, err
}

// uploadForm is a multipart upload: the file and the small fields beside it.
type uploadForm struct {
	name   string
	data   []byte
	mode   roster.Mode
	expect string
}

// maxFormValue bounds a field beside the file (the mode, a fingerprint).
const maxFormValue = 256

// upload reads the "file" part of a multipart request straight into memory,
// once: at most the largest file an import takes and one byte more (which
// the import refuses as too large), and the mode and expect fields. Nothing
// goes to temporary files. A body over the route's limit is refused with
// the importer's own message, not the generic one.
func upload(r *http.Request) (uploadForm, error) {
	var f uploadForm
	mr, err := r.MultipartReader()
	if err != nil {
		return f, errs.Field("file", "roster.no_file")
	}
	for {
		part, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return f, errUploadTooLarge
		case err == io.EOF:
			if f.data == nil {
				return f, errs.Field("file", "roster.no_file")
			}
			return f, nil
		case err != nil: // a broken body
			return f, errs.Field("file", "roster.no_file")
		}
		switch name := part.FormName(); {
		case name == "file" && part.FileName() != "" && f.data == nil:
			f.data, err = io.ReadAll(io.LimitReader(part, maxUpload+1))
			f.name = part.FileName()
		case name == "mode" || name == "expect":
			var b []byte
			b, err = io.ReadAll(io.LimitReader(part, maxFormValue))
			if name == "mode" {
				f.mode = roster.Mode(b)
			} else {
				f.expect = string(b)
			}
		}
		part.Close()
		switch {
		case errors.As(err, &tooBig):
			return f, errUploadTooLarge
		case err != nil: // the upload broke off
			return f, errs.Field("file", "roster.no_file")
		}
		if len(f.data) > maxUpload {
			return f, errUploadTooLarge
		}
	}
}

// errUploadTooLarge is an upload over the importer's limit: the message
// says the limit and what to do, beside the file field.
var errUploadTooLarge = errs.Field("file", "roster.upload_too_large")

func (f *uploadForm) checkMode() error {
	switch f.mode {
	case "":
		f.mode = roster.Create
	case roster.Create, roster.Update:
	default:
		return errs.Field("mode", "roster.mode_unknown")
	}
	return nil
}

// importKind is the job kind of a roster import uploaded from the page.
const importKind = "roster.import"

// importJob is what an import job carries: who asked and within which part
// of the tree, as they were when they asked, the uploaded file it reads, and
// what to do with it.
type importJob struct {
	Actor   audit.Actor      `json:"actor"`
	Scope   auth.Scope       `json:"scope"`
	Upload  int64            `json:"upload,omitempty"`
	Mode    roster.Mode      `json:"mode,omitempty"`
	Confirm bool             `json:"confirm,omitempty"`
	Expect  string           `json:"expect,omitempty"`
	OrgMap  map[string]int64 `json:"org_map,omitempty"`
	Unmask  bool             `json:"unmask,omitempty"`
}

// Jobs are the area's background work: imports uploaded from the page.
func (s *area) Jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{importKind: s.runImport}
}

// importSubmit keeps the uploaded file in the database and puts its import
// on the durable job queue (so any instance can run it and a restart does
// not lose it), then sends the browser to the job's page, which shows its
// progress until the outcome: every problem with its row and column, the
// names the tree lacks, an update's preview, or the number imported.
func (s *area) importSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	f, err := upload(r)
	if err == nil {
		err = f.checkMode()
	}
	if fields := web.InvalidFields(err); fields != nil {
		p, perr := s.newImportPage(r.Context(), c)
		if perr != nil {
			return perr
		}
		p.Errors = fields
		if f.mode == roster.Update {
			p.Mode = roster.Update
		}
		return s.Render(w, r, http.StatusUnprocessableEntity, "import", p)
	}
	if err != nil {
		return err
	}
	id, err := s.st.SaveImportUpload(r.Context(), c.Actor, c.Scope, f.name, f.data)
	if err != nil {
		return err
	}
	job, err := s.enqueueImport(r.Context(), c, f.name, importJob{Upload: id, Mode: f.mode})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
	return nil
}

// enqueueImport puts an import of an uploaded file on the queue, as the
// caller.
func (s *area) enqueueImport(ctx context.Context, c *web.Call, label string, ij importJob) (*store.Job, error) {
	ij.Actor, ij.Scope, ij.Unmask = c.Actor, c.Scope, c.Can(auth.PersonSeeFull)
	payload, err := json.Marshal(ij)
	if err != nil {
		return nil, err
	}
	job := &store.Job{Kind: importKind, UserID: c.User.ID, Label: label, Payload: string(payload)}
	return job, s.Enqueue(ctx, job)
}

// runImport is the job: the import, all rows or none, as the uploader. A
// job cut off (the server stopped, the instance died) writes nothing and is
// run again whole by whichever instance takes it up; the runner records its
// progress as it goes, so any instance's page can show it. While the rows
// are written, SQLite's one writer is the import's, so the runner cannot
// record progress there: this instance's page reads it from memory.
func (s *area) runImport(ctx context.Context, j *store.Job, progress jobs.Progress) (any, error) {
	var who importJob
	if err := json.Unmarshal([]byte(j.Payload), &who); err != nil {
		return nil, err
	}
	data := j.Input
	if who.Upload != 0 {
		u, err := s.st.ImportUploadOf(ctx, who.Scope, who.Actor.UserID, who.Upload)
		if errors.Is(err, errs.ErrNotFound) {
			return roster.Report{Mode: who.Mode, Problems: []roster.Problem{{Key: "roster.job_gone", Text: msg.Text("roster.job_gone")}}}, nil
		}
		if err != nil {
			return nil, err
		}
		data = u.Data
	}
	defer s.live.end(j.ID)
	opt := roster.Options{Mode: who.Mode, Confirm: who.Confirm, Expect: who.Expect, OrgMap: who.OrgMap, Unmask: who.Unmask, FileName: j.Label}
	return roster.ImportWith(ctx, s.st, who.Actor, who.Scope, bytes.NewReader(data), opt, func(done, total int) {
		progress(done, total)
		s.live.set(j.ID, done, total)
	})
}

// jobView is an import job as its page shows it.
type jobView struct {
	ID       int64
	FileName string
	Status   string // waiting, running, done, rejected, failed
	Percent  int
	Writing  bool // past the checks, writing the rows
	Written  int  // rows written so far
	Rows     int  // rows of the file
}

// loadJob reads an import job of the caller.
func (s *area) loadJob(r *http.Request, c *web.Call) (*store.Job, importJob, error) {
	var who importJob
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, who, err
	}
	job, err := s.st.JobOf(r.Context(), c.User.ID, id)
	if err != nil || job.Kind != importKind {
		return nil, who, errs.ErrNotFound
	}
	if job.Payload != "" {
		if err := json.Unmarshal([]byte(job.Payload), &who); err != nil {
			return nil, who, err
		}
	}
	return job, who, nil
}

func (s *area) importStatus(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	job, who, err := s.loadJob(r, c)
	if err != nil {
		return err
	}
	v := &jobView{ID: job.ID, FileName: job.Label, Status: job.Status}
	if job.Status == "pending" {
		v.Status = "waiting"
	}
	done, total := job.Done, job.Total
	if d, t, ok := s.live.get(job.ID); ok && d > done {
		done, total = d, t
	}
	if total > 0 {
		v.Percent, v.Writing = done*100/total, done*2 > total
		v.Rows = total / 2
		if v.Writing {
			v.Written = done - v.Rows
		}
	}
	p, err := s.newImportPage(r.Context(), c)
	if err != nil {
		return err
	}
	p.Job, p.Mode = v, who.Mode
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
		if rep.OnlyMissing() {
			if p.Resolve, err = s.resolveChoices(r.Context(), c, rep.Missing); err != nil {
				return err
			}
			if err := s.resolveTrees(r.Context(), c, p.Resolve); err != nil {
				return err
			}
		}
	}
	return s.Render(w, r, status, "import", p)
}

// importFile runs a roster import within the request (the JSON API: a program
// waits for the answer): every row is checked, and all are written or none.
// It stops when the request's context ends: the client went away.
func (s *area) importFile(r *http.Request, c *web.Call) (roster.Report, error) {
	f, err := upload(r)
	if err == nil {
		err = f.checkMode()
	}
	if err != nil {
		return roster.Report{}, err
	}
	opt := roster.Options{Mode: f.mode, Confirm: f.expect != "", Expect: f.expect, Unmask: c.Can(auth.PersonSeeFull), FileName: f.name}
	return roster.ImportWith(r.Context(), s.st, c.Actor, c.Scope, bytes.NewReader(f.data), opt, nil)
}

func (s *area) apiImport(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	rep, err := s.importFile(r, c)
	if errors.Is(err, errUploadTooLarge) {
		return &web.Refusal{Status: http.StatusRequestEntityTooLarge, Key: "roster.upload_too_large"}
	}
	if err != nil {
		return err
	}
	if rep.Rejected() {
		key, args := "roster.rejected", []any{len(rep.Problems) + len(rep.Missing)}
		if rep.Stale {
			key, args = "roster.update_stale", nil
		}
		out := importRejected{Error: importRejectedDetail{ErrorDetail: web.ErrorDetail{Code: "import_rejected",
			Message: msg.Format(key, args...), Fields: map[string]string{}},
			Problems: make([]problemOut, 0, len(rep.Problems)), Missing: make([]missingOut, 0, len(rep.Missing)),
			Changes: changesOut(rep.Changes), Fingerprint: rep.Fingerprint}}
		if rep.Stale {
			out.Error.Code = "import_stale"
		}
		for _, p := range rep.Problems {
			out.Error.Problems = append(out.Error.Problems, problemOut{Row: p.Row, Column: p.Column, Code: p.Key, Message: p.Text})
		}
		for _, m := range rep.Missing {
			out.Error.Missing = append(out.Error.Missing, missingOut{Kind: m.Kind, Name: m.Name, Rows: m.Rows, Count: m.Count, Message: m.Text})
		}
		web.WriteJSON(w, http.StatusUnprocessableEntity, out)
		return nil
	}
	web.WriteJSON(w, http.StatusOK, importOut{Mode: string(rep.Mode), Imported: rep.Imported, Updated: rep.Updated, Rows: rep.Rows,
		Unchanged: rep.Unchanged, Preview: rep.Preview, Fingerprint: rep.Fingerprint, Changes: changesOut(rep.Changes)})
	return nil
}

// importOut answers an import that went in, or an update's preview: how
// many people of how many rows, and in the update mode each person's
// changes; a preview is confirmed by sending the same file again with its
// fingerprint as expect.
type importOut struct {
	Mode        string      `json:"mode"`
	Imported    int         `json:"imported"`
	Updated     int         `json:"updated"`
	Rows        int         `json:"rows"`
	Unchanged   int         `json:"unchanged"`
	Preview     bool        `json:"preview"`
	Fingerprint string      `json:"fingerprint,omitempty"`
	Changes     []changeOut `json:"changes"`
}

// changeOut is one person an update changes.
type changeOut struct {
	Row      int        `json:"row"`
	PersonID int64      `json:"person_id"`
	Name     string     `json:"name"`
	Fields   []fieldOut `json:"fields"`
}

// fieldOut is one field, from what to what, as the roster writes them.
type fieldOut struct {
	Column string `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
}

func changesOut(list []roster.PersonChange) []changeOut {
	out := make([]changeOut, 0, len(list))
	for _, c := range list {
		fs := make([]fieldOut, len(c.Fields))
		for i, f := range c.Fields {
			fs[i] = fieldOut(f)
		}
		out = append(out, changeOut{Row: c.Row, PersonID: c.PersonID, Name: c.Name, Fields: fs})
	}
	return out
}

// importRejected answers a refused file: the usual error, with every problem
// of the file beside it, each with its row and column, and the names the
// tree lacks, each once.
type importRejected struct {
	Error importRejectedDetail `json:"error"`
}

type importRejectedDetail struct {
	web.ErrorDetail
	Problems    []problemOut `json:"problems"`
	Missing     []missingOut `json:"missing"`
	Changes     []changeOut  `json:"changes"`
	Fingerprint string       `json:"fingerprint,omitempty"`
}

// problemOut is one bad cell or row of a refused file.
type problemOut struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// missingOut is an organisation ("org") or unit ("unit") the tree lacks.
type missingOut struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Rows    []int  `json:"rows"`
	Count   int    `json:"count"`
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
