// Command dangjian is the whole platform in one binary: the web server, its
// demo, schema migrations and account administration for the operator.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"dangjian/internal/app"
	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/config"
	"dangjian/internal/date"
	"dangjian/internal/demo"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
	"dangjian/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `dangjian — 政法党建云平台

Usage:
  dangjian serve    [flags]   start the platform
  dangjian demo     [flags]   start with a realistic demo 政法委 (data in ./demo-data)
  dangjian migrate  [flags]   bring the database schema up to date and exit
  dangjian gen      [--people N] [--seed N] [--years N] [flags]   fill an empty database with a generated province (benchmarks)
  dangjian user create         --username NAME --role ROLE [--org ID] [--person ID] [--name 姓名]
  dangjian user reset-password --username NAME
  dangjian user reset-second-factor --username NAME
  dangjian user activate       --username NAME
  dangjian user unlock|disable|enable --username NAME
  dangjian backup   [--out DIR] [--keep N]   copy the running database (SQLite) to DIR
  dangjian restore  --from FILE              put a backup back (stop the service first)
  dangjian audit archive --before YYYY-MM-DD --out FILE   sign old audit records into FILE (HMAC-SM3)
  dangjian audit verify  --file FILE                     check an archive's signature
  dangjian audit prune   --file FILE                     remove an archive's records from the database
  dangjian keys generate [--next]                       print a new key file (or the next data key)
  dangjian keys rotate                                  seal every stored value under the newest key
  dangjian version

Passwords for "user create" and "user reset-password" are read from standard input;
the account must change it at its first login. "user activate" approves an account
the system administrator proposed and prints a temporary password, once.
Roles: system_admin security_admin audit_admin committee_admin branch_admin member.
Run "dangjian serve -h" for every setting; each flag also reads an environment variable.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dangjian:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, false)
	case "demo":
		return serve(ctx, args[1:], stdout, true)
	case "migrate":
		return migrate(ctx, args[1:], stdout)
	case "gen":
		return genCommand(ctx, args[1:], stdout)
	case "user":
		return userCommand(ctx, args[1:], stdin, stdout)
	case "backup":
		return backupCommand(ctx, args[1:], stdout)
	case "audit":
		return auditCommand(ctx, args[1:], stdout)
	case "keys":
		return keysCommand(ctx, args[1:], stdout)
	case "restore":
		return restoreCommand(ctx, args[1:], stdout)
	case "version":
		fmt.Fprintln(stdout, "dangjian", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

func buildVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// flags declares the settings shared by every command and parses args. The
// config is returned by pointer: the flag set writes into it, so a command
// that declares more flags and parses again (user) still fills it.
func flags(name string, args []string, demoMode bool) (*config.Config, *flag.FlagSet, error) {
	cfg := &config.Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg.Register(fs)
	if demoMode {
		// The demo keeps its data apart, so trying it never touches a real installation.
		fs.Lookup("data-dir").DefValue = "./demo-data"
		if os.Getenv("DANGJIAN_DATA_DIR") == "" {
			fs.Set("data-dir", "./demo-data")
		}
	}
	err := fs.Parse(args)
	return cfg, fs, err
}

func serve(ctx context.Context, args []string, stdout io.Writer, demoMode bool) error {
	cfg, _, err := flags("serve", args, demoMode)
	if err != nil {
		return err
	}
	if err := cfg.Check(); err != nil {
		return err
	}
	log := cfg.Logger(os.Stderr)
	a, err := app.Open(ctx, *cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	url, err := a.Listen()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "政法党建云平台已启动：%s\n", url)
	if demoMode {
		res, err := demo.Load(ctx, a.Store(), date.FromTime(time.Now()), 2026)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		where := "数据目录 " + cfg.DataDir
		if cfg.DatabaseURL != "" {
			where = "数据库 PostgreSQL"
		}
		fmt.Fprintf(stdout, "演示数据：%d 个组织，%d 名人员（%s）\n演示账号（用户名 密码 角色）：\n", res.Orgs, res.People, where)
		for _, acc := range res.Accounts {
			fmt.Fprintf(stdout, "  %-10s %-14s %s：%s\n", acc.Username, acc.Password, msg.Text("role."+string(acc.Role)), acc.Note)
		}
		fmt.Fprintf(stdout, "打开 %s/login 登录。\n", url)
		fmt.Fprintln(stdout, "三类管理员登录时须使用两步验证：首次登录按页面提示用手机身份验证器（如腾讯身份验证器、Microsoft Authenticator）扫码绑定。")
	} else {
		link, err := a.SetupLink(ctx)
		if err != nil {
			return err
		}
		if link != "" {
			fmt.Fprintf(stdout, "这是新安装，尚无任何账号。请在 24 小时内打开下面的一次性链接创建系统管理员：\n  %s\n", link)
			fmt.Fprintln(stdout, "（也可以用命令创建：dangjian user create --username NAME --role system_admin，密码从标准输入读取）")
		}
	}
	return a.Run(ctx)
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, _, err := flags("migrate", args, false)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := st.SeedDicts(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated %s: %d migration(s) applied\n", st.Dialect(), n)
	return nil
}

// userCommand administers accounts from the server's console: the way in
// before any administrator exists, and the way back when all are locked out.
// The operator owns the machine, so the console may create an account of any
// role that works at once. A password the operator typed is theirs too, not
// the owner's: the account must change it at its first login, is told there
// who set it, and the audit log marks the logins made with it.
func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: say create, reset-password, reset-second-factor, activate, unlock, disable or enable")
	}
	verb := args[0]
	cfg, fs, err := flags("user "+verb, nil, false)
	if err != nil {
		return err
	}
	username := fs.String("username", "", "account name")
	role := fs.String("role", "", "role (create)")
	orgID := fs.Int64("org", 0, "organisation id the account works in (create)")
	personID := fs.Int64("person", 0, "roster person id, for members (create)")
	name := fs.String("name", "", "display name (create)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("--username is required")
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	actor := audit.Actor{Username: "console:" + os.Getenv("USER"), IP: "local"}
	if verb == "create" {
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := cfg.Password.Check(*username, password); err != nil {
			return explain(err)
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		u := &auth.User{Username: *username, DisplayName: *name, Role: auth.Role(*role), OrgID: *orgID, PersonID: *personID,
			PasswordHash: hash, MustChange: true}
		if err := st.CreateUser(ctx, actor, u); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "已创建账号 %s（%s），首次登录须修改密码\n", u.Username, msg.Text("role."+*role))
		return nil
	}
	u, err := st.UserByUsername(ctx, *username)
	if err != nil {
		return explain(err)
	}
	switch verb {
	case "reset-password":
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		err = st.ChoosePassword(ctx, actor, u.ID, password, cfg.Password)
		if err == nil {
			fmt.Fprintln(stdout, "密码已重置，所有会话已结束；下次登录须修改密码")
		}
		return explain(err)
	case "activate":
		password, err := cfg.Password.Temporary(u.Username)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		if _, err := st.ActivateUser(ctx, actor, u.ID, hash); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "账号 %s 已激活，临时密码（只显示这一次，首次登录须修改）：\n%s\n", u.Username, password)
		return nil
	case "unlock":
		return explain(st.Unlock(ctx, actor, u.ID))
	case "reset-second-factor":
		// The way back when the only security administrator lost the phone
		// and the recovery codes.
		err := st.ResetSecondFactor(ctx, actor, u.ID)
		if err == nil {
			fmt.Fprintln(stdout, "两步验证已重置，所有会话已结束；下次登录时须重新绑定身份验证器")
		}
		return explain(err)
	case "disable", "enable":
		return explain(st.SetDisabled(ctx, actor, u.ID, verb == "disable"))
	}
	return fmt.Errorf("user: unknown action %q", verb)
}

// readPassword takes the first line of standard input, so scripts can pipe it.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("password: give it on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// explain turns a domain error into the Chinese message an operator reads.
func explain(err error) error {
	var inv *errs.Invalid
	var conflict *errs.Conflict
	switch {
	case err == nil:
		return nil
	case errors.As(err, &inv):
		var parts []string
		for f, k := range inv.Fields {
			parts = append(parts, f+": "+msg.Text(k))
		}
		return errors.New(strings.Join(parts, "; "))
	case errors.As(err, &conflict):
		return errors.New(msg.Text(conflict.Key))
	case errors.Is(err, errs.ErrNotFound):
		return errors.New("账号不存在")
	}
	return err
}
