package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// TestFreshInstallationHasNoDefaultPassword runs the binary's commands on a
// fresh data directory: the first start prints a one-time setup link, the
// link creates the first administrator once, and `user create` reads the
// password from standard input and refuses a weak one.
func TestFreshInstallationHasNoDefaultPassword(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DANGJIAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), w) }()
	lines := bufio.NewScanner(out)
	var link string
	for lines.Scan() {
		if m := regexp.MustCompile(`https?://\S+/setup\?token=\S+`).FindString(lines.Text()); m != "" {
			link = m
			break
		}
	}
	go io.Copy(io.Discard, out)
	if link == "" {
		t.Fatal("no setup link printed on first start")
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	res, err := c.Get(link)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("setup link: %v %v", err, res)
	}
	res.Body.Close()
	u, _ := url.Parse(link)
	base := u.Scheme + "://" + u.Host
	form := url.Values{"token": {u.Query().Get("token")}, "username": {"root1"}, "password": {"Kaifa#2026root"}, "confirm": {"Kaifa#2026root"}}
	res, err = c.PostForm(base+"/setup", form)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("setup: %v %v", err, res)
	}
	// The first administrator sets up an authenticator there and then.
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindSubmatch(body)
	secret := regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`).FindSubmatch(body)
	if challenge == nil || secret == nil {
		t.Fatalf("setup does not lead to the authenticator:\n%s", body)
	}
	code, err := auth.TOTPCode(strings.ReplaceAll(string(secret[1]), " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res, err = c.PostForm(base+"/login/code", url.Values{"challenge": {string(challenge[1])}, "code": {code}, "next": {"/users"}})
	if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(readAll(res), "恢复码") {
		t.Fatalf("the first administrator's code: %v %v", err, res)
	}
	// The link works once.
	form.Set("username", "root2")
	res, _ = http.PostForm(base+"/setup", form)
	if res.StatusCode == http.StatusOK {
		t.Fatal("the setup link worked twice")
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	var sb strings.Builder
	err = run(context.Background(), []string{"user", "create", "--username", "secops", "--role", "security_admin"}, strings.NewReader("123456\n"), &sb)
	if err == nil || !strings.Contains(err.Error(), "密码") {
		t.Fatalf("weak password accepted: %v", err)
	}
	err = run(context.Background(), []string{"user", "create", "--username", "secops", "--role", "security_admin"}, strings.NewReader("Kaifa#2026sec\n"), &sb)
	if err != nil || !strings.Contains(sb.String(), "已创建账号 secops") {
		t.Fatalf("user create: %v %s", err, sb.String())
	}
	err = run(context.Background(), []string{"user", "create", "--username", "secops", "--role", "security_admin"}, strings.NewReader("Kaifa#2026sec\n"), &sb)
	if err == nil || !strings.Contains(err.Error(), "用户名已被使用") {
		t.Fatalf("duplicate account: %v", err)
	}
	if err := run(context.Background(), []string{"user", "disable", "--username", "secops"}, nil, &sb); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"user", "unlock", "--username", "nobody"}, nil, &sb); err == nil || !strings.Contains(err.Error(), "账号不存在") {
		t.Fatalf("unknown account: %v", err)
	}
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestCommandsHonourFlagsAndEnvironment runs `migrate` and `user create` with
// the database chosen by a flag and by an environment variable, and checks
// that the account lands where it was sent and nowhere else.
func TestCommandsHonourFlagsAndEnvironment(t *testing.T) {
	ctx := context.Background()
	accounts := func(t *testing.T, cfg store.Config) int {
		t.Helper()
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := st.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	create := func(t *testing.T, args ...string) {
		t.Helper()
		var out strings.Builder
		args = append([]string{"user", "create", "--username", "ops1", "--role", "security_admin"}, args...)
		if err := run(ctx, args, strings.NewReader("Kaifa#2026ops\n"), &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	t.Run("data-dir flag beats the environment", func(t *testing.T) {
		flagDir, envDir := t.TempDir(), t.TempDir()
		t.Setenv("DANGJIAN_DATA_DIR", envDir)
		t.Setenv("DATABASE_URL", "")
		var out strings.Builder
		if err := run(ctx, []string{"migrate", "--data-dir", flagDir}, nil, &out); err != nil || !strings.Contains(out.String(), "sqlite") {
			t.Fatalf("migrate: %v %s", err, out.String())
		}
		create(t, "--data-dir", flagDir)
		if n := accounts(t, store.Config{DataDir: flagDir}); n != 1 {
			t.Fatalf("%d accounts in the --data-dir database, want 1", n)
		}
		if n := accounts(t, store.Config{DataDir: envDir}); n != 0 {
			t.Fatalf("%d accounts in DANGJIAN_DATA_DIR's database, want 0", n)
		}
	})
	t.Run("data-dir from the environment", func(t *testing.T) {
		envDir := t.TempDir()
		t.Setenv("DANGJIAN_DATA_DIR", envDir)
		t.Setenv("DATABASE_URL", "")
		create(t)
		if n := accounts(t, store.Config{DataDir: envDir}); n != 1 {
			t.Fatalf("%d accounts in DANGJIAN_DATA_DIR's database, want 1", n)
		}
	})
	t.Run("database-url flag", func(t *testing.T) {
		pg := storetest.PostgresDatabase(t)
		dir := t.TempDir()
		t.Setenv("DANGJIAN_DATA_DIR", dir)
		t.Setenv("DATABASE_URL", "")
		create(t, "--database-url", pg)
		if n := accounts(t, store.Config{DatabaseURL: pg}); n != 1 {
			t.Fatalf("%d accounts in the --database-url database, want 1", n)
		}
		if n := accounts(t, store.Config{DataDir: dir}); n != 0 {
			t.Fatalf("%d accounts in the SQLite file, want 0", n)
		}
	})
	t.Run("DATABASE_URL from the environment", func(t *testing.T) {
		pg := storetest.PostgresDatabase(t)
		t.Setenv("DANGJIAN_DATA_DIR", t.TempDir())
		t.Setenv("DATABASE_URL", pg)
		create(t)
		if n := accounts(t, store.Config{DatabaseURL: pg}); n != 1 {
			t.Fatalf("%d accounts in DATABASE_URL's database, want 1", n)
		}
	})
}

// TestConsoleAccountsFollowTheRules: an account the operator creates on the
// console works at once but must change the typed password first, which is
// marked as set by the console; a console reset may not bring back one of
// the last passwords; and `user activate` approves what the system
// administrator proposed, printing a temporary password once.
func TestConsoleAccountsFollowTheRules(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("DANGJIAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "")
	t.Setenv("USER", "ops")
	console := func(stdin string, args ...string) (string, error) {
		var out strings.Builder
		err := run(ctx, append([]string{"user"}, args...), strings.NewReader(stdin), &out)
		return out.String(), err
	}
	if out, err := console("Kaifa#2026first\n", "create", "--username", "chief", "--role", "system_admin"); err != nil || !strings.Contains(out, "已创建账号 chief（系统管理员），首次登录须修改密码") {
		t.Fatalf("create: %v %s", err, out)
	}
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, "chief")
	if err != nil || u.Pending() || !u.MustChange || u.IssuedBy != "console:ops" {
		t.Fatalf("console account: %+v %v", u, err)
	}
	// The owner chooses a password; the console cannot hand the old one back.
	if err := st.ChoosePassword(ctx, audit.Actor{UserID: u.ID, Username: "chief"}, u.ID, "Kaifa#2026second", auth.DefaultPasswordPolicy); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"Kaifa#2026first", "Kaifa#2026second"} {
		if _, err := console(pw+"\n", "reset-password", "--username", "chief"); err == nil || !strings.Contains(err.Error(), "password: 新密码不能") {
			t.Fatalf("console reset to %s: %v", pw, err)
		}
	}
	if out, err := console("Kaifa#2026third\n", "reset-password", "--username", "chief"); err != nil || !strings.Contains(out, "密码已重置") {
		t.Fatalf("console reset: %v %s", err, out)
	}
	// The system administrator proposes; the console activates.
	chief, _ := st.UserByUsername(ctx, "chief")
	prop := &auth.User{Username: "sec1", Role: auth.SecurityAdmin}
	if err := st.ProposeUser(ctx, audit.Actor{UserID: chief.ID, Username: "chief"}, prop); err != nil {
		t.Fatal(err)
	}
	out, err := console("", "activate", "--username", "sec1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 || !strings.Contains(lines[0], "账号 sec1 已激活") {
		t.Fatalf("activate: %v %s", err, out)
	}
	sec, err := st.UserByUsername(ctx, "sec1")
	if err != nil || sec.Pending() || !sec.MustChange || !auth.VerifyPassword(sec.PasswordHash, lines[1]) {
		t.Fatalf("activated account: %+v %v", sec, err)
	}
	if _, err := console("", "activate", "--username", "sec1"); err == nil || !strings.Contains(err.Error(), "该账号已激活或已被驳回") {
		t.Fatalf("activate twice: %v", err)
	}
	// The only security administrator lost the phone and the recovery
	// codes: the console resets the second factor.
	if err := st.Enrol(ctx, audit.System, store.Enrolment{UserID: sec.ID, Secret: "JBSWY3DPEHPK3PXP"}); err != nil {
		t.Fatal(err)
	}
	if out, err := console("", "reset-second-factor", "--username", "sec1"); err != nil || !strings.Contains(out, "两步验证已重置") {
		t.Fatalf("console reset of the second factor: %v %s", err, out)
	}
	if sec, err = st.UserByUsername(ctx, "sec1"); err != nil || sec.Enrolled() {
		t.Fatalf("after the console reset: %+v %v", sec, err)
	}
	if _, err := console("", "reset-second-factor", "--username", "sec1"); err == nil || !strings.Contains(err.Error(), "尚未绑定") {
		t.Fatalf("reset of an account without one: %v", err)
	}
}
