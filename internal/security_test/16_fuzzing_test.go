package security_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

// SECURITY.md 16: parsers of outside input (imports, filters, query
// parameters) are fuzzed with `go test -fuzz`. This file cannot run the
// fuzzers for minutes; it checks that each parser of outside input has a
// target with a committed seed corpus (f.Add seeds in the target, or files
// under testdata/fuzz/<Target>), so `go test` replays the seeds every run
// and CI's brief -fuzz runs start from them.

// fuzzed is every parser of outside input and the target that fuzzes it.
var fuzzed = []struct{ dir, target, parser string }{
	{"internal/roster", "FuzzParseRow", "花名册导入的一行"},
	{"internal/roster", "FuzzParseDate", "花名册里的日期（各种写法）"},
	{"internal/xlsx", "FuzzOpen", "xlsx 工作簿读取（整个文件）"},
	{"internal/xlsx", "FuzzSheet", "xlsx 工作表读取"},
	{"internal/event", "FuzzParseSheet", "签到表导入"},
	{"internal/event", "FuzzCheckCode", "扫码签到的动态码"},
	{"internal/event", "FuzzDecodeHeldMonths", "按月保存的组织生活次数（held_months）"},
	{"internal/people", "FuzzDecodeHeadcounts", "按组织保存的党员人数变化（roster_counts）"},
	{"internal/web/eventweb", "FuzzEventForm", "活动表单与 JSON"},
	{"internal/web/eventweb", "FuzzCalendarQuery", "活动日历的查询参数"},
	{"internal/web/eventweb", "FuzzFiguresQuery", "活动统计的查询参数"},
	{"internal/web/peopleweb", "FuzzRosterQuery", "花名册的查询参数"},
	{"internal/web/auditweb", "FuzzAuditQuery", "审计日志的查询参数"},
	{"internal/web/auditweb", "FuzzAuditChanges", "审计记录的变更内容"},
	{"internal/web/accountweb", "FuzzUserQuery", "账号列表的查询参数"},
	{"internal/web/dictweb", "FuzzSplitAliases", "字典别名"},
	{"internal/web", "FuzzReadJSON", "所有 API 的 JSON 请求体"},
	{"internal/people", "FuzzIDNumber", "身份证号"},
	{"internal/date", "FuzzParse", "日期字段"},
	{"internal/summary", "FuzzParseTemplate", "工作总结模板"},
	{"internal/summary", "FuzzReadBody", "工作总结正文（编辑后的文本）"},
	{"internal/web/ledgerweb", "FuzzLedgerFilter", "整改台账的查询参数"},
	{"internal/web/learningweb", "FuzzHoursQuery", "学习时长统计的查询参数"},
	{"internal/web/learningweb", "FuzzPlanForm", "学习计划表单（含日程的并列行）"},
	{"internal/web/summaryweb", "FuzzReportedForm", "手工填报的指标数值"},
}

func TestLine16EveryParserHasAFuzzTargetWithSeeds(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, f := range fuzzed {
		dir := filepath.Join(root, f.dir)
		files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		decl := regexp.MustCompile(`(?m)^func ` + f.target + `\(f \*testing\.F\) \{`)
		var body string
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if loc := decl.FindIndex(b); loc != nil {
				body = string(b[loc[1]:])
				if end := strings.Index(body, "\n}\n"); end > 0 {
					body = body[:end]
				}
			}
		}
		if body == "" {
			t.Errorf("%s (%s): no fuzz target %s", f.parser, f.dir, f.target)
			continue
		}
		corpus, _ := os.ReadDir(filepath.Join(dir, "testdata", "fuzz", f.target))
		if !strings.Contains(body, "f.Add(") && len(corpus) == 0 {
			t.Errorf("%s: %s.%s has no seed corpus (no f.Add, nothing in testdata/fuzz/%s)", f.parser, f.dir, f.target, f.target)
		}
	}
	// And no target is left off this list.
	listed := map[string]bool{}
	for _, f := range fuzzed {
		listed[f.dir+"."+f.target] = true
	}
	filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, m := range regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`).FindAllSubmatch(b, -1) {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			if !listed[filepath.ToSlash(rel)+"."+string(m[1])] {
				t.Errorf("fuzz target %s in %s is not in this file's list: say which parser it covers", m[1], rel)
			}
		}
		return nil
	})
}

// TestLine16WildQueryValuesOverHTTP replays, against the real server on both
// databases, the kind of address bar value the fuzzers try (FuzzUserQuery
// found a page number whose offset overflowed to a negative one; its seed is
// in internal/web/accountweb/testdata/fuzz/FuzzUserQuery): no 5xx, and a
// refusal in Chinese.
func TestLine16WildQueryValuesOverHTTP(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		clients := map[string]*webtest.Client{"sysadmin": w.Login(t, "sysadmin"), "secadmin": w.Login(t, "secadmin"),
			"committee": w.Login(t, "committee"), "auditor": w.Login(t, "auditor")}
		for _, tc := range []struct{ who, path string }{
			{"sysadmin", "/users?page=1000000000000000000"},
			{"sysadmin", "/api/v1/users?page=1000000000000000000"},
			{"secadmin", "/security?page=1000000000000000000"},
			{"committee", "/people?page=1000000000000000000&age=lt999999999999"},
			{"committee", "/api/v1/people?page=99999999999999999999&org=-1"},
			{"committee", "/events/figures?from=0001-01-01&to=9999-12-31"},
			{"committee", "/api/v1/events/calendar?quarter=99999-Q4"},
			{"committee", "/api/v1/events?from=2026-02-30&page=-1"},
			{"auditor", "/audit?page=1000000000000000000&from=9999-99-99"},
			{"auditor", "/api/v1/audit?limit=-1&offset=-5"},
		} {
			if res := clients[tc.who].Get(tc.path); res.Status >= 500 || (res.Status >= 400 && !hasChinese(res.Body)) {
				t.Errorf("GET %s as %s: %d %.200s", tc.path, tc.who, res.Status, res.Body)
			}
		}
	})
}
