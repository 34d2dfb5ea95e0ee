package eventweb

import (
	"net/http"
	"strconv"

	"dangjian/internal/errs"
	"dangjian/internal/web"
)

// settingOut is an organisation's QR sign-in switch.
type settingOut struct {
	OrgID    int64 `json:"org_id"`
	QRSignIn bool  `json:"qr_signin"`
}

// 为基层减负: an organisation may switch QR sign-in off for itself and its
// subtree; members then need not scan, and the secretary marks attendance.
func (s *area) setting(r *http.Request, c *web.Call) (settingOut, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return settingOut{}, err
	}
	in, err := web.ReadInput(r)
	if err != nil {
		return settingOut{}, err
	}
	var v errs.Invalid
	on := in.Bool("qr_signin", &v)
	if err := v.Err(); err != nil {
		return settingOut{}, err
	}
	return settingOut{OrgID: id, QRSignIn: on}, s.st.SetQRSignIn(r.Context(), c.Actor, c.Scope, id, on)
}

func (s *area) settingPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	out, err := s.setting(r, c)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/events?org="+strconv.FormatInt(out.OrgID, 10)+"&notice=setting_saved", http.StatusSeeOther)
	return nil
}

func (s *area) apiSetting(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	out, err := s.setting(r, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}
