package eventweb

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// fileTypes are the attachments an event takes, recognised by their content
// (never by the name or the type the browser claims), each with the
// extension its download gets.
var fileTypes = []struct {
	magic       []byte
	contentType string
	ext         string
}{
	{[]byte("%PDF-"), "application/pdf", ".pdf"},
	{[]byte{0xFF, 0xD8, 0xFF}, "image/jpeg", ".jpg"},
	{[]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, "image/png", ".png"},
}

// officeTypes are the Office Open XML documents, told apart by the part
// their package holds.
var officeTypes = []struct{ part, contentType, ext string }{
	{"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
	{"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
	{"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"},
}

// sniff returns the type and extension of an attachment by its content, or
// "" for a type the platform does not take.
func sniff(data []byte) (contentType, ext string) {
	for _, t := range fileTypes {
		if bytes.HasPrefix(data, t.magic) {
			return t.contentType, t.ext
		}
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "", ""
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > 5000 {
		return "", ""
	}
	for _, t := range officeTypes {
		for _, f := range zr.File {
			if f.Name == t.part {
				return t.contentType, t.ext
			}
		}
	}
	return "", ""
}

// cleanName keeps the base of an uploaded file's name and gives it the
// extension of its real type.
func cleanName(name, ext string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`"<>|:*?`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSuffix(name, path.Ext(name))
	if name == "" || name == "." {
		name = "附件"
	}
	return name + ext
}

// upload checks and stores an attachment from the request.
func (s *area) upload(r *http.Request, c *web.Call, id int64) (*store.EventFile, error) {
	// The event first: outside the scope it does not exist, whatever was sent.
	if _, err := s.st.Event(r.Context(), c.Scope, id); err != nil {
		return nil, err
	}
	data, h, err := uploaded(r, maxFile)
	if err != nil {
		var tooBig *http.MaxBytesError
		if ok := asMaxBytes(err, &tooBig); ok {
			return nil, errs.Field("file", "event.file_too_large")
		}
		return nil, err
	}
	ct, ext := sniff(data)
	if ct == "" {
		return nil, errs.Field("file", "event.file_type")
	}
	name := cleanName(h.Filename, ext)
	if utf8.RuneCountInString(name) > 120 {
		return nil, errs.Field("file", "event.file_name_too_long")
	}
	f := &store.EventFile{EventID: id, Name: name, ContentType: ct, Data: data}
	return f, s.st.AddEventFile(r.Context(), c.Actor, c.Scope, f)
}

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	e, ok := err.(*http.MaxBytesError)
	if ok {
		*target = e
	}
	return ok
}

func (s *area) uploadPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.upload(r, c, id)
	return web.Submitted(w, r, err, func(status int, fields map[string]string) error {
		p, err := s.eventPage(r, c, id)
		if err != nil {
			return err
		}
		p.Errors = fields
		return s.Render(w, r, status, "event_show", p)
	}, "/events/"+strconv.FormatInt(id, 10)+"?notice=file_added#files")
}

// download sends an attachment, always as a download (never shown inline,
// so a file that is HTML in disguise cannot run as a page of the site).
func (s *area) download(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	f, err := s.st.EventFile(r.Context(), c.Scope, id, fid)
	if err != nil {
		return err
	}
	s.Attachment(w, f.ContentType, f.Name, len(f.Data))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(f.Data)
	return err
}

func (s *area) deleteFilePage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	if err := s.st.DeleteEventFile(r.Context(), c.Actor, c.Scope, id, fid); err != nil {
		return err
	}
	http.Redirect(w, r, "/events/"+strconv.FormatInt(id, 10)+"?notice=file_deleted#files", http.StatusSeeOther)
	return nil
}

func (s *area) apiFiles(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.st.EventFiles(r.Context(), c.Scope, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Items[store.EventFile]{Items: orEmpty(list)})
	return nil
}

func (s *area) apiUpload(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.upload(r, c, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, f)
	return nil
}
