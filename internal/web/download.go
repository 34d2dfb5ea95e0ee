package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// XLSXType is the media type of an .xlsx download.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Attachment sets the headers of a download: never shown inline, with a
// server-made file name (RFC 6266 with the UTF-8 form for Chinese names).
// size is the length in bytes, or -1 when it is not known beforehand.
func (s *Server) Attachment(w http.ResponseWriter, contentType, name string, size int) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="download`+extension(name)+`"; filename*=UTF-8''`+url.PathEscape(name))
	if size >= 0 {
		h.Set("Content-Length", strconv.Itoa(size))
	}
	h.Set("Cache-Control", "no-store")
	h.Set("Last-Modified", s.st.Now().Format(http.TimeFormat))
}

func extension(name string) string {
	for i := len(name) - 1; i >= 0 && name[i] != '/'; i-- {
		if name[i] == '.' {
			return name[i:]
		}
	}
	return ""
}
