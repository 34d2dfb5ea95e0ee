package eventweb

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"dangjian/internal/errs"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

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
	ct, ext := web.SniffDocument(data)
	if ct == "" {
		return nil, errs.Field("file", "event.file_type")
	}
	name := web.DocumentName(h.Filename, ext, "附件")
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
