package peopleweb

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/org"
	"dangjian/internal/roster"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// liveProgress is how far this instance's running imports have come. On
// SQLite the import's transaction is the only writer while it writes the
// rows, so the runner cannot record the progress in the database until it
// ends; the page of this instance reads it here meanwhile.
type liveProgress struct {
	mu sync.Mutex
	m  map[int64][2]int
}

func newLiveProgress() *liveProgress { return &liveProgress{m: map[int64][2]int{}} }

func (l *liveProgress) set(id int64, done, total int) {
	l.mu.Lock()
	l.m[id] = [2]int{done, total}
	l.mu.Unlock()
}

func (l *liveProgress) get(id int64) (done, total int, ok bool) {
	l.mu.Lock()
	v, ok := l.m[id]
	l.mu.Unlock()
	return v[0], v[1], ok
}

func (l *liveProgress) end(id int64) {
	l.mu.Lock()
	delete(l.m, id)
	l.mu.Unlock()
}

// jobReport reads the outcome of a finished import job of the caller.
func (s *area) jobReport(r *http.Request, c *web.Call) (*store.Job, importJob, *roster.Report, error) {
	job, who, err := s.loadJob(r, c)
	if err != nil {
		return nil, who, nil, err
	}
	if job.Status != "done" {
		return nil, who, nil, &web.Refusal{Status: http.StatusConflict, Key: "roster.job_not_done"}
	}
	var rep roster.Report
	if err := json.Unmarshal([]byte(job.Result), &rep); err != nil {
		return nil, who, nil, err
	}
	return job, who, &rep, nil
}

// importConfirm writes an update the user has seen previewed: the same file
// runs again, and writes only if its changes are still the previewed ones.
func (s *area) importConfirm(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	job, who, rep, err := s.jobReport(r, c)
	if err != nil {
		return err
	}
	if !rep.Preview || who.Upload == 0 {
		return &web.Refusal{Status: http.StatusConflict, Key: "roster.no_preview"}
	}
	next, err := s.enqueueImport(r.Context(), c, job.Label, importJob{Upload: who.Upload, Mode: roster.Update, Confirm: true,
		Expect: rep.Fingerprint, OrgMap: who.OrgMap})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(next.ID, 10), http.StatusSeeOther)
	return nil
}

// resolveChoices is what the report offers for names the tree lacks: to
// create each under a chosen parent, or to take an existing one for it.
type resolveChoices struct {
	// CanChange: the user may create organisations and name units' aliases
	// (组织管理); without it a name may only stand for an organisation.
	CanChange bool
	Items     []resolveItem
}

type resolveItem struct {
	Index  int
	Kind   string // org, unit
	Name   string
	Count  int
	Rows   string // the first rows, for the eye
	Text   string
	Action string // create, map
	Parent int64
	Target int64
	// The organisations that may hold it, and that it may stand for: each
	// a tree opened down to the choice (a province's would otherwise list
	// fifteen thousand in every select).
	Parents, Targets web.OrgTree
	parentKind       org.Kind // once checked
}

// parentKinds are the kinds of organisation a missing name ("org", "unit")
// may be created under; targetKinds those it may stand for (群众 staff sit
// in a unit, so an "org" may be a unit too).
func parentKinds(missing string) []org.Kind {
	var out []org.Kind
	for _, k := range org.Kinds {
		if newKind(missing, k) != "" {
			out = append(out, k)
		}
	}
	return out
}

func targetKinds(missing string) []org.Kind {
	var out []org.Kind
	for _, k := range org.Kinds {
		if k != org.Grid && (!k.IsParty() || missing == "org") {
			out = append(out, k)
		}
	}
	return out
}

// resolveChoices lists the missing names, each to be created under the
// user's own organisation where it may go there (resolveTrees adds what a
// page offers for each).
func (s *area) resolveChoices(ctx context.Context, c *web.Call, missing []roster.Missing) (*resolveChoices, error) {
	rc := &resolveChoices{CanChange: c.Can(auth.OrgWrite)}
	own, err := s.st.Org(ctx, c.Scope, c.User.OrgID)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return nil, err
	}
	for i, m := range missing {
		rows := make([]string, len(m.Rows))
		for j, r := range m.Rows {
			rows[j] = strconv.Itoa(r)
		}
		it := resolveItem{Index: i, Kind: m.Kind, Name: m.Name, Count: m.Count, Rows: strings.Join(rows, "、"), Text: m.Text, Action: "create"}
		if !rc.CanChange {
			it.Action = "map"
		}
		if own != nil && newKind(m.Kind, own.Kind) != "" {
			it.Parent = own.ID
		}
		rc.Items = append(rc.Items, it)
	}
	return rc, nil
}

// resolveTrees opens each item's trees of the scope's organisations that
// may hold or stand for it down to its choices, for the page.
func (s *area) resolveTrees(ctx context.Context, c *web.Call, rc *resolveChoices) error {
	for i := range rc.Items {
		it := &rc.Items[i]
		var err error
		if it.Parents, err = s.OrgTree(ctx, c, it.Parent, parentKinds(it.Kind)...); err != nil {
			return err
		}
		if it.Targets, err = s.OrgTree(ctx, c, it.Target, targetKinds(it.Kind)...); err != nil {
			return err
		}
	}
	return nil
}

// chosen is the open organisation of the scope with this ID whose kind is
// one of kinds; false when there is none.
func (s *area) chosen(ctx context.Context, c *web.Call, id int64, kinds []org.Kind) (*org.Org, bool, error) {
	if id == 0 {
		return nil, false, nil
	}
	o, err := s.st.Org(ctx, c.Scope, id)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return o, o.ClosedOn.IsZero() && slices.Contains(kinds, o.Kind), nil
}

// newKind is the kind a missing name becomes under a parent of kind p: a
// 党小组 under a branch, a branch under a committee, a unit under a unit or
// committee; "" where it may not go.
func newKind(missing string, p org.Kind) org.Kind {
	var k org.Kind
	switch {
	case missing == "org" && p == org.Branch:
		k = org.Group
	case missing == "org":
		k = org.Branch
	default:
		k = org.Unit
	}
	if !k.MayBeUnder(p) {
		return ""
	}
	return k
}

// importResolve creates or maps each name the tree lacks, as the user chose
// in the report, then runs the same file again. Organisations are created
// (each audited) under the chosen parents; a unit taken for another name
// keeps that name as its alias; an organisation taken for another name is
// so for this file.
func (s *area) importResolve(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	job, who, rep, err := s.jobReport(r, c)
	if err != nil {
		return err
	}
	if !rep.OnlyMissing() || who.Upload == 0 {
		return &web.Refusal{Status: http.StatusConflict, Key: "roster.nothing_to_resolve"}
	}
	if err := r.ParseForm(); err != nil {
		return web.ErrBadRequest
	}
	rc, err := s.resolveChoices(r.Context(), c, rep.Missing)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	for i := range rc.Items {
		it := &rc.Items[i]
		n := strconv.Itoa(i)
		it.Action = r.PostForm.Get("action_" + n)
		it.Parent, _ = strconv.ParseInt(r.PostForm.Get("parent_"+n), 10, 64)
		it.Target, _ = strconv.ParseInt(r.PostForm.Get("target_"+n), 10, 64)
		parent, parentOK, err := s.chosen(r.Context(), c, it.Parent, parentKinds(it.Kind))
		if err != nil {
			return err
		}
		_, targetOK, err := s.chosen(r.Context(), c, it.Target, targetKinds(it.Kind))
		if err != nil {
			return err
		}
		switch {
		case !rc.CanChange && (it.Action == "create" || it.Kind == "unit"):
			fields["action_"+n] = "roster.resolve_needs_org_write"
		case it.Action == "create" && !parentOK:
			fields["parent_"+n] = "roster.resolve_parent"
		case it.Action == "map" && !targetOK:
			fields["target_"+n] = "roster.resolve_target"
		case it.Action != "create" && it.Action != "map":
			fields["action_"+n] = "roster.resolve_choose"
		case it.Action == "create":
			it.parentKind = parent.Kind
		}
	}
	if len(fields) == 0 {
		err = s.applyResolve(r.Context(), c, rc, &who)
		if inv := web.InvalidFields(err); inv != nil {
			for k, v := range inv {
				fields[k] = v
			}
			err = nil
		} else if err != nil {
			return err
		}
	} else {
		for k, key := range fields {
			fields[k] = msg.Text(key)
		}
	}
	if len(fields) > 0 {
		if err := s.resolveTrees(r.Context(), c, rc); err != nil { // opened down to what was chosen
			return err
		}
		p, err := s.newImportPage(r.Context(), c)
		if err != nil {
			return err
		}
		p.Job = &jobView{ID: job.ID, FileName: job.Label, Status: "rejected"}
		p.Report, p.Resolve, p.Errors, p.Mode = rep, rc, fields, who.Mode
		return s.Render(w, r, http.StatusUnprocessableEntity, "import", p)
	}
	next, err := s.enqueueImport(r.Context(), c, job.Label, importJob{Upload: who.Upload, Mode: who.Mode, OrgMap: who.OrgMap})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/imports/"+strconv.FormatInt(next.ID, 10), http.StatusSeeOther)
	return nil
}

// applyResolve does what the user chose, name by name; a refusal names the
// item's field.
func (s *area) applyResolve(ctx context.Context, c *web.Call, rc *resolveChoices, who *importJob) error {
	if who.OrgMap == nil {
		who.OrgMap = map[string]int64{}
	}
	for _, it := range rc.Items {
		n := strconv.Itoa(it.Index)
		switch {
		case it.Action == "create":
			name := roster.LastName(it.Name)
			o := org.Org{ParentID: it.Parent, Kind: newKind(it.Kind, it.parentKind), Name: name}
			if err := s.st.CreateOrg(ctx, c.Actor, c.Scope, &o); err != nil {
				return renameField(err, "parent_"+n)
			}
			if it.Kind == "org" {
				who.OrgMap[it.Name] = o.ID
			} else if name != it.Name {
				if err := s.st.AddUnitAlias(ctx, c.Actor, c.Scope, it.Name, o.ID); err != nil {
					return renameField(err, "parent_"+n)
				}
			}
		case it.Kind == "unit":
			if err := s.st.AddUnitAlias(ctx, c.Actor, c.Scope, it.Name, it.Target); err != nil {
				return renameField(err, "target_"+n)
			}
		default:
			who.OrgMap[it.Name] = it.Target
		}
	}
	return nil
}

// renameField puts a refusal of the store beside the item's field.
func renameField(err error, field string) error {
	var inv *errs.Invalid
	var conflict *errs.Conflict
	switch {
	case errors.As(err, &inv):
		for _, key := range inv.Fields {
			return errs.Field(field, key)
		}
	case errors.As(err, &conflict):
		return errs.Field(field, conflict.Key)
	}
	return err
}

// importErrors is the uploaded sheet with a 错误说明 column.
func (s *area) importErrors(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	job, who, rep, err := s.jobReport(r, c)
	if err != nil {
		return err
	}
	if !rep.Rejected() || who.Upload == 0 {
		return &web.Refusal{Status: http.StatusConflict, Key: "roster.no_error_list"}
	}
	u, err := s.st.ImportUploadOf(r.Context(), c.Scope, c.User.ID, who.Upload)
	if err != nil {
		return err
	}
	b, ok, err := roster.ErrorList(r.Context(), u.Data, *rep)
	if err != nil {
		return err
	}
	if !ok {
		return &web.Refusal{Status: http.StatusConflict, Key: "roster.no_error_list"}
	}
	name := strings.TrimSuffix(job.Label, ".xlsx") + "-错误说明.xlsx"
	s.Attachment(w, web.XLSXType, name, len(b))
	_, err = w.Write(b)
	return err
}

// importRecordOut is one import of the history.
type importRecordOut struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Username string    `json:"username"`
	FileName string    `json:"file_name"`
	Mode     string    `json:"mode"`
	Rows     int       `json:"rows"`
	Created  int       `json:"created"`
	Updated  int       `json:"updated"`
	Problems int       `json:"problems"`
	Outcome  string    `json:"outcome"`
}

func (s *area) apiImportHistory(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	list, err := s.st.ImportHistory(r.Context(), c.Scope, 100)
	if err != nil {
		return err
	}
	out := web.Items[importRecordOut]{Items: make([]importRecordOut, 0, len(list))}
	for _, h := range list {
		out.Items = append(out.Items, importRecordOut{ID: h.ID, At: h.At, Username: h.Username, FileName: h.FileName, Mode: h.Mode,
			Rows: h.Rows, Created: h.Created, Updated: h.Updated, Problems: h.Problems, Outcome: h.Outcome})
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
