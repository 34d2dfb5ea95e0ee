package learningweb

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/learning"
	"dangjian/internal/org"
	"dangjian/internal/web"
)

// The materials library (指定学习材料): files checked by their content,
// never by their name or the type the browser claims, and always sent as a
// download; or links to the published original.

// materialName is an uploaded file's name as web.DocumentName keeps it,
// its base cut to 100 characters.
func materialName(name, ext string) string {
	base := strings.TrimSuffix(web.DocumentName(name, ext, "学习资料"), ext)
	if utf8.RuneCountInString(base) > 100 {
		base = string([]rune(base)[:100])
	}
	return base + ext
}

type materialsPage struct {
	web.Layout
	Items    []learning.Material
	Orgs     web.OrgTree
	CanWrite bool
	Form     learning.Material
}

func (s *area) renderMaterials(w http.ResponseWriter, r *http.Request, c *web.Call, status int, form learning.Material, fields map[string]string) error {
	p := materialsPage{Layout: s.Base(c, "学习资料", "/learning/materials"), CanWrite: c.Can(auth.EventWrite), Form: form}
	p.Notice, p.Errors = web.Notice(r), fields
	var err error
	if p.Items, err = s.st.LearningMaterials(r.Context(), c.Scope); err != nil {
		return err
	}
	if p.Orgs, err = s.OrgTree(r.Context(), c, form.OrgID, org.Committee, org.GeneralBranch, org.Branch, org.Group); err != nil {
		return err
	}
	return s.Render(w, r, status, "materials", p)
}

func (s *area) materialsPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.renderMaterials(w, r, c, http.StatusOK, learning.Material{OrgID: c.User.OrgID}, nil)
}

// addMaterial reads a material from a multipart form (a file) or a form or
// JSON body (a link), checks a file by its content, and adds it.
func (s *area) addMaterial(r *http.Request, c *web.Call) (*learning.Material, error) {
	m := &learning.Material{}
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return m, errs.Field("file", "learning.file_too_large")
		}
	}
	var file []byte
	var fileName string
	if r.MultipartForm != nil {
		if fh := r.MultipartForm.File["file"]; len(fh) > 0 {
			f, err := fh[0].Open()
			if err != nil {
				return m, err
			}
			defer f.Close()
			if file, err = io.ReadAll(io.LimitReader(f, learning.MaxFile+1)); err != nil {
				return m, err
			}
			fileName = fh[0].Filename
		}
	}
	var in web.Input
	if r.MultipartForm != nil {
		in = web.Input{Values: r.MultipartForm.Value}
	} else {
		var err error
		if in, err = web.ReadInput(r); err != nil {
			return m, err
		}
	}
	var v errs.Invalid
	m.OrgID, m.Title = in.ID("org_id", &v), in.Text("title", learning.MaxMaterialTitle, &v)
	m.Summary, m.URL = in.Text("summary", learning.MaxSummary, &v), in.Text("url", learning.MaxURL, &v)
	if len(file) > 0 {
		if len(file) > learning.MaxFile {
			v.Add("file", "learning.file_too_large")
		} else if ct, ext := web.SniffDocument(file); ct == "" {
			v.Add("file", "learning.file_type")
		} else {
			m.Data, m.ContentType, m.FileName = file, ct, materialName(fileName, ext)
		}
	}
	if err := v.Err(); err != nil {
		return m, err
	}
	return m, s.st.AddLearningMaterial(r.Context(), c.Actor, c.Scope, m)
}

func (s *area) materialAddPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	m, err := s.addMaterial(r, c)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		m.Data = nil
		return s.renderMaterials(w, r, c, status, *m, fields)
	}, "/learning/materials?notice=material_added")
}

// materialDownload sends an uploaded material, always as a download (never
// inline, so a file that is HTML in disguise cannot run as a page).
func (s *area) materialDownload(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	sc := c.Scope
	if !c.Can(auth.EventRead) { // a member: the materials of their organisations
		if err := noPerson(c); err != nil {
			return err
		}
		sc = selfScope(c)
	}
	m, err := s.st.LearningMaterialFile(r.Context(), sc, id)
	if err != nil {
		return err
	}
	s.Attachment(w, m.ContentType, m.FileName, len(m.Data))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(m.Data)
	return err
}

// materialOut is a material as the API answers it (without its content).
type materialOut struct {
	learning.Material
	Download string `json:"download,omitempty"` // the file's address, for an upload
}

func newMaterialOut(m learning.Material) materialOut {
	out := materialOut{Material: m}
	if m.URL == "" {
		out.Download = "/learning/materials/" + itoa(m.ID) + "/file"
	}
	return out
}

func (s *area) apiMaterials(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	sc := c.Scope
	if !c.Can(auth.EventRead) {
		if err := noPerson(c); err != nil {
			return err
		}
		sc = selfScope(c)
	}
	list, err := s.st.LearningMaterials(r.Context(), sc)
	if err != nil {
		return err
	}
	out := web.Items[materialOut]{Items: []materialOut{}}
	for _, m := range list {
		out.Items = append(out.Items, newMaterialOut(m))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiMaterialAdd(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	m, err := s.addMaterial(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, newMaterialOut(*m))
	return nil
}
