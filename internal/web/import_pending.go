package web

// Placeholders while the roster import/export (package roster) lands.

import (
	"net/http"

	"dangjian/internal/errs"
)

const maxUpload = 10 << 20

func (s *Server) peopleExport(w http.ResponseWriter, r *http.Request, c *call) error {
	return errs.ErrNotFound
}
func (s *Server) peopleTemplate(w http.ResponseWriter, r *http.Request, c *call) error {
	return errs.ErrNotFound
}
func (s *Server) importForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return errs.ErrNotFound
}
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, c *call) error {
	return errs.ErrNotFound
}
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, c *call) error {
	return errs.ErrNotFound
}
