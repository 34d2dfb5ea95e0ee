package web

// Placeholders while the admin surfaces (users, security, dictionaries, audit)
// are being written in admin_*.go; this file is deleted when they land.

import "net/http"

import "dangjian/internal/errs"

func pending(w http.ResponseWriter, r *http.Request, c *call) error { return errs.ErrNotFound }

func (s *Server) userList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) rootOrgCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) securityList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) userReset(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) dictList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) dictSave(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) auditList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiDictItems(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiDictSave(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserReset(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserDisable(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserEnable(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiUserUnlock(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
func (s *Server) apiAuditList(w http.ResponseWriter, r *http.Request, c *call) error {
	return pending(w, r, c)
}
