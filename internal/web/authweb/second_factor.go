package authweb

// The second factor (SECURITY.md 3): after a right password an account with
// an authenticator, or whose role needs one, gives a six-digit code (or one
// of its recovery codes) before its session starts. An account whose role
// needs one and has none sets it up there and then: a QR code, the first
// code proving the phone has it, recovery codes shown once. Any account may
// set one up from its own page; a lost phone is reset by the security
// administrator (accountweb).

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

var (
	errChallengeGone = &web.Refusal{Status: http.StatusUnauthorized, Key: "login.challenge_gone"}
	errCodeLocked    = &web.Refusal{Status: http.StatusUnauthorized, Key: "login.locked"}
)

// secondStep is the second step a login waits for.
type secondStep struct {
	Challenge string // its token: the form and the API carry it back
	Enrol     bool   // the account sets up its authenticator first
	Secret    string // while enrolling: the key offered
	Username  string
	ExpiresAt time.Time
}

// startSecondStep records the second step of a login (or of an owner's
// enrolment from their own page, signedIn) and returns what the next page
// or answer needs.
func (s *area) startSecondStep(ctx context.Context, actor audit.Actor, u *auth.User, signedIn bool) (*secondStep, error) {
	token, hash := auth.NewToken()
	ch := &auth.Challenge{TokenHash: hash, UserID: u.ID, Enrol: !u.Enrolled(), SignedIn: signedIn,
		ExpiresAt: s.st.Now().Add(auth.ChallengeTTL)}
	if ch.Enrol {
		var err error
		if ch.Secret, err = auth.NewTOTPSecret(u.Username); err != nil {
			return nil, err
		}
	}
	if err := s.st.StartChallenge(ctx, actor, ch); err != nil {
		return nil, err
	}
	return &secondStep{Challenge: token, Enrol: ch.Enrol, Secret: ch.Secret, Username: u.Username, ExpiresAt: ch.ExpiresAt}, nil
}

// passSecondStep checks the code of a waiting second step and completes it:
// a session for a login (with recovery codes, once, for an enrolment), or
// the authenticator stored for an owner enrolling from their own page. A
// wrong code counts towards the lockout like a wrong password; a code in
// the wrong form or one already used does not (it proves nothing either way).
func (s *area) passSecondStep(ctx context.Context, r *http.Request, challenge, code string, login bool) (*loggedIn, error) {
	if strings.TrimSpace(code) == "" {
		return nil, errs.Field("code", "required")
	}
	ch, u, err := s.st.Challenge(ctx, auth.HashToken(challenge))
	if errors.Is(err, store.ErrChallengeGone) {
		return nil, errChallengeGone
	}
	if err != nil {
		return nil, err
	}
	actor := audit.Actor{UserID: u.ID, Username: u.Username, IP: s.ClientIP(r)}
	out := &loggedIn{user: u}
	var sess *auth.Session
	if login {
		out.token, sess = s.newSession(r, u.ID)
	}
	if !ch.Enrol && auth.LooksLikeRecoveryCode(code) {
		if !login {
			return nil, errs.Field("code", "totp.format")
		}
		left, err := s.st.PassChallengeWithRecovery(ctx, actor, ch.TokenHash, auth.HashRecoveryCode(code), sess)
		if web.InvalidFields(err) != nil {
			return nil, s.codeFailed(ctx, actor, u, err)
		}
		out.recoveryLeft = &left
		return out, err
	}
	after := u.TOTPStep
	if ch.Enrol {
		after = 0
	}
	step, err := auth.CheckTOTP(ch.Secret, code, s.st.Now(), after)
	if err != nil {
		return nil, s.codeFailed(ctx, actor, u, err)
	}
	if ch.Enrol {
		codes, hashes := auth.NewRecoveryCodes()
		err = s.st.Enrol(ctx, actor, store.Enrolment{UserID: u.ID, Secret: ch.Secret, Step: step, Recovery: hashes,
			Challenge: ch.TokenHash, Session: sess})
		out.recovery = codes
		return out, err
	}
	return out, s.st.PassChallenge(ctx, actor, ch.TokenHash, step, sess)
}

// codeFailed counts a wrong code (not a malformed or reused one) towards
// the account's lockout and passes the refusal on.
func (s *area) codeFailed(ctx context.Context, actor audit.Actor, u *auth.User, refusal error) error {
	if f := web.InvalidFields(refusal); f == nil || (f["code"] != msg.Text("totp.wrong") && f["code"] != msg.Text("totp.recovery_wrong")) {
		return refusal
	}
	locked, err := s.st.SecondFactorFailed(ctx, actor, u.ID, s.Config().Lockout)
	if err != nil {
		return err
	}
	if locked {
		return errCodeLocked
	}
	return refusal
}

// --- the login's second step as pages ---

type codePage struct {
	web.Layout
	Action    string // where the form goes
	Challenge string
	Next      string
	Enrol     bool
	QR        template.URL
	Secret    string // in groups of four, for typing by hand
}

// renderCode shows the form of a second step (again, with errors).
func (s *area) renderCode(w http.ResponseWriter, r *http.Request, c *web.Call, status int, step *secondStep, action, next string, errors map[string]string) error {
	title := "两步验证"
	if step.Enrol {
		title = "绑定身份验证器"
	}
	p := codePage{Layout: s.Base(c, title, ""), Action: action, Challenge: step.Challenge, Next: next, Enrol: step.Enrol}
	p.Errors = errors
	if step.Enrol {
		var err error
		if p.QR, err = web.QRImage(auth.TOTPURL(step.Username, step.Secret), 240); err != nil {
			return err
		}
		p.Secret = groupsOfFour(step.Secret)
	}
	return s.Render(w, r, status, "login_code", p)
}

func groupsOfFour(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// recoveryPage shows freshly issued recovery codes, once.
type recoveryPage struct {
	web.Layout
	Codes []string
	Next  string
}

func (s *area) loginCodeSubmit(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	next := safeNext(in.Str("next"))
	res, err := s.passSecondStep(r.Context(), r, in.Str("challenge"), in.Str("code"), true)
	if err == errChallengeGone || err == errCodeLocked {
		p := loginPage{Layout: s.Base(c, "登录", ""), Next: next}
		p.Errors = map[string]string{"": web.Message(err)}
		return s.Render(w, r, web.Status(err), "login", p)
	}
	if fields := web.InvalidFields(err); fields != nil {
		// The same step again, with its secret when enrolling.
		ch, u, cerr := s.st.Challenge(r.Context(), auth.HashToken(in.Str("challenge")))
		if cerr != nil {
			return cerr
		}
		step := &secondStep{Challenge: in.Str("challenge"), Enrol: ch.Enrol, Secret: ch.Secret, Username: u.Username}
		return s.renderCode(w, r, c, web.Status(err), step, "/login/code", next, fields)
	}
	if err != nil {
		return err
	}
	s.SetSessionCookie(w, res.token)
	switch {
	case res.recovery != nil:
		return s.Render(w, r, http.StatusOK, "recovery_codes", recoveryPage{Layout: s.Base(c, "恢复码", ""), Codes: res.recovery, Next: next})
	case res.recoveryLeft != nil:
		http.Redirect(w, r, "/account/second-factor?notice=recovery_used", http.StatusSeeOther)
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
	return nil
}

// --- the login's second step in the API ---

// secondStepOut tells an API client what the login waits for.
type secondStepOut struct {
	// Kind is "totp" (send a code from the authenticator, or a recovery
	// code) or "totp_enrol" (add Secret to an authenticator first, then
	// send its code).
	Kind       string    `json:"kind"`
	Challenge  string    `json:"challenge"` // send it back with the code to POST /api/v1/auth/second-step
	ExpiresAt  time.Time `json:"expires_at"`
	Message    string    `json:"message"`
	Secret     string    `json:"secret,omitempty"`
	OTPAuthURL string    `json:"otpauth_url,omitempty"`
}

func newSecondStepOut(st *secondStep) *secondStepOut {
	out := &secondStepOut{Kind: "totp", Challenge: st.Challenge, ExpiresAt: st.ExpiresAt, Message: msg.Text("login.second_step")}
	if st.Enrol {
		out.Kind, out.Message = "totp_enrol", msg.Text("login.second_step_enrol")
		out.Secret, out.OTPAuthURL = st.Secret, auth.TOTPURL(st.Username, st.Secret)
	}
	return out
}

func (s *area) apiSecondStep(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	res, err := s.passSecondStep(r.Context(), r, in.Str("challenge"), in.Str("code"), true)
	if err != nil {
		return err
	}
	s.SetSessionCookie(w, res.token)
	out := s.loginOut(res.user)
	out.RecoveryCodes, out.RecoveryCodesLeft = res.recovery, res.recoveryLeft
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

// --- one's own authenticator ---

type ownFactorPage struct {
	web.Layout
	Enrolled   bool
	EnrolledAt time.Time
	Required   bool // the role needs it
	Left       int  // unused recovery codes
	Step       *secondStep
	QR         template.URL
	Secret     string
	Codes      []string // just issued, shown once
}

func (s *area) ownFactor(r *http.Request, c *web.Call) (*ownFactorPage, error) {
	policy, err := s.st.SecondFactorPolicy(r.Context())
	if err != nil {
		return nil, err
	}
	p := &ownFactorPage{Layout: s.Base(c, "两步验证", "/account/second-factor"), Enrolled: c.User.Enrolled(),
		EnrolledAt: c.User.TOTPEnrolledAt, Required: policy.Requires(c.User.Role)}
	if p.Enrolled {
		if p.Left, err = s.st.RecoveryCodesLeft(r.Context(), c.User.ID); err != nil {
			return nil, err
		}
	}
	p.Notice = web.Notice(r)
	return p, nil
}

func (s *area) ownFactorView(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	p, err := s.ownFactor(r, c)
	if err != nil {
		return err
	}
	return s.Render(w, r, http.StatusOK, "second_factor", p)
}

// ownFactorRefused shows the page again with the reason.
func (s *area) ownFactorRefused(w http.ResponseWriter, r *http.Request, c *web.Call, err error, fields map[string]string) error {
	p, perr := s.ownFactor(r, c)
	if perr != nil {
		return perr
	}
	p.Errors = fields
	return s.Render(w, r, web.Status(err), "second_factor", p)
}

// enrolOwn is the owner setting up an authenticator: without a challenge it
// offers a new key; with one and a code it stores the key and issues
// recovery codes. An account that has one already keeps it (a new phone
// goes through the security administrator's reset).
func (s *area) enrolOwn(r *http.Request, c *web.Call, in web.Input) (*secondStep, []string, error) {
	if c.User.Enrolled() {
		return nil, nil, errs.NewConflict("", "second_factor.enrolled")
	}
	if in.Str("challenge") == "" {
		step, err := s.startSecondStep(r.Context(), c.Actor, c.User, true)
		return step, nil, err
	}
	res, err := s.passSecondStep(r.Context(), r, in.Str("challenge"), in.Str("code"), false)
	if err != nil {
		return nil, nil, err
	}
	return nil, res.recovery, nil
}

func (s *area) ownFactorEnrol(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	step, codes, err := s.enrolOwn(r, c, in)
	if fields := web.InvalidFields(err); fields != nil && in.Str("challenge") != "" {
		// The same key again with the reason, while its step lasts.
		ch, _, cerr := s.st.Challenge(r.Context(), auth.HashToken(in.Str("challenge")))
		if cerr == nil {
			step = &secondStep{Challenge: in.Str("challenge"), Enrol: true, Secret: ch.Secret, Username: c.User.Username}
			return s.renderOwnFactor(w, r, c, web.Status(err), step, nil, fields)
		}
		err = errChallengeGone
	}
	if fields := refused(err); fields != nil {
		return s.ownFactorRefused(w, r, c, err, fields)
	}
	if err != nil {
		return err
	}
	return s.renderOwnFactor(w, r, c, http.StatusOK, step, codes, nil)
}

// refused is what a form shows of a refusal: the field problems, or the
// one reason of a refused step; nil for any other error.
func refused(err error) map[string]string {
	if fields := web.InvalidFields(err); fields != nil {
		return fields
	}
	var r *web.Refusal
	if errors.As(err, &r) {
		return map[string]string{"": web.Message(err)}
	}
	return nil
}

// renderOwnFactor shows the page with a key to scan, or with recovery codes
// just issued.
func (s *area) renderOwnFactor(w http.ResponseWriter, r *http.Request, c *web.Call, status int, step *secondStep, codes []string, fields map[string]string) error {
	if codes != nil {
		// The account changed: read it again for the page's status.
		u, err := s.st.User(r.Context(), c.User.ID)
		if err != nil {
			return err
		}
		c.User = u
	}
	p, err := s.ownFactor(r, c)
	if err != nil {
		return err
	}
	p.Step, p.Codes, p.Errors = step, codes, fields
	if step != nil {
		if p.QR, err = web.QRImage(auth.TOTPURL(step.Username, step.Secret), 240); err != nil {
			return err
		}
		p.Secret = groupsOfFour(step.Secret)
	}
	return s.Render(w, r, status, "second_factor", p)
}

// newRecoveryCodes replaces the owner's recovery codes, proved by a code
// from the authenticator.
func (s *area) newRecoveryCodes(r *http.Request, c *web.Call, code string) ([]string, error) {
	if !c.User.Enrolled() {
		return nil, errs.NewConflict("", "second_factor.not_enrolled")
	}
	secret, err := s.st.TOTPSecret(r.Context(), c.User.ID)
	if err != nil {
		return nil, err
	}
	step, err := auth.CheckTOTP(secret, code, s.st.Now(), c.User.TOTPStep)
	if err != nil {
		return nil, s.codeFailed(r.Context(), c.Actor, c.User, err)
	}
	codes, hashes := auth.NewRecoveryCodes()
	return codes, s.st.NewRecoveryCodes(r.Context(), c.Actor, c.User.ID, step, hashes)
}

func (s *area) ownRecoveryCodes(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	codes, err := s.newRecoveryCodes(r, c, in.Str("code"))
	if fields := refused(err); fields != nil {
		return s.ownFactorRefused(w, r, c, err, fields)
	}
	if err != nil {
		return err
	}
	return s.renderOwnFactor(w, r, c, http.StatusOK, nil, codes, nil)
}

// ownFactorOut is one's own second factor in the API.
type ownFactorOut struct {
	Enrolled          bool     `json:"enrolled"`
	EnrolledAt        web.Time `json:"enrolled_at"`
	Required          bool     `json:"required"` // the role needs it
	RecoveryCodesLeft int      `json:"recovery_codes_left"`
	// While enrolling: the key offered and the challenge to send back with
	// its first code.
	SecondStep *secondStepOut `json:"second_step,omitempty"`
	// Just issued, shown this once.
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

func (s *area) apiOwnFactorOut(w http.ResponseWriter, r *http.Request, c *web.Call, step *secondStep, codes []string) error {
	u, err := s.st.User(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	c.User = u
	p, err := s.ownFactor(r, c)
	if err != nil {
		return err
	}
	out := ownFactorOut{Enrolled: p.Enrolled, EnrolledAt: web.Time{Time: p.EnrolledAt}, Required: p.Required,
		RecoveryCodesLeft: p.Left, RecoveryCodes: codes}
	if step != nil {
		out.SecondStep = newSecondStepOut(step)
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiOwnFactor(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	return s.apiOwnFactorOut(w, r, c, nil, nil)
}

func (s *area) apiOwnFactorEnrol(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	step, codes, err := s.enrolOwn(r, c, in)
	if err != nil {
		return err
	}
	return s.apiOwnFactorOut(w, r, c, step, codes)
}

func (s *area) apiOwnRecoveryCodes(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in, err := web.ReadInput(r)
	if err != nil {
		return err
	}
	codes, err := s.newRecoveryCodes(r, c, in.Str("code"))
	if err != nil {
		return err
	}
	return s.apiOwnFactorOut(w, r, c, nil, codes)
}
