package bare

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"
)

// caller is who asks: the account's role and organisation subtree (the load
// signs in a branch secretary and a committee administrator only).
type caller struct {
	role    string
	orgPath string
	orgName string
}

var errNoSession = errors.New("no session")

// session reads the caller with the store's own session query (session and
// account in one statement) and the same checks: expiry, idleness, disabled.
func (s *Server) session(r *http.Request) (caller, error) {
	ck, err := r.Cookie("dangjian_session")
	if err != nil || ck.Value == "" {
		return caller{}, errNoSession
	}
	sum := sha256.Sum256([]byte(ck.Value))
	var (
		token, ip, agent, username, display, hash     string
		sessUser, uid, orgID, personID, failures, ver int64
		created, lastSeen, expires, changed, uCreated time.Time
		mustChange, disabled                          bool
		locked, enrolled                              *time.Time
		c                                             caller
	)
	err = s.stmts["session"].QueryRowContext(r.Context(), hex.EncodeToString(sum[:])).Scan(&token, &sessUser, &created, &lastSeen,
		&expires, &ip, &agent, &uid, &username, &display, &c.role, &orgID, &c.orgPath, &c.orgName, &personID, &hash, &changed, &mustChange,
		&failures, &locked, &disabled, &enrolled, &ver, &uCreated)
	if err != nil {
		return caller{}, err
	}
	now := s.now()
	if !now.Before(expires) || now.Sub(lastSeen) >= s.idle || disabled {
		return caller{}, errNoSession
	}
	if c.role != "committee_admin" && c.role != "branch_admin" {
		return caller{}, errNoSession
	}
	return c, nil
}

// pathRange is the store's half-open range of a subtree's paths.
func pathRange(p string) (lo, hi string) { return p, p[:len(p)-1] + "0" }
