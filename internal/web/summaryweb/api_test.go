package summaryweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
	"dangjian/internal/web/webtest"
)

func wantStatus(t *testing.T, what string, res webtest.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d: %.600s", what, res.Status, want, res.Body)
	}
}

// studies records n 集中学习 of 第一党支部 in the spring of a year through
// the API, as its secretary would: planned, held, 张伟 marked present.
func studies(t *testing.T, w *webtest.World, c *webtest.Client, year, n int) {
	t.Helper()
	kinds, err := w.Store.EventKinds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var kind int64
	for _, k := range kinds {
		if k.Code == "study_session" {
			kind = k.ID
		}
	}
	for i := 0; i < n; i++ {
		day := fmt.Sprintf("%d-03-%02d", year, 2+i)
		res := c.JSON("POST", "/api/v1/events", map[string]any{"org_id": w.Branch1.ID, "kind_id": kind,
			"planned_start": day + " 09:00", "planned_end": day + " 11:00", "place": "党员活动室"})
		wantStatus(t, "plan a study", res, http.StatusCreated)
		id := webtest.Itoa(int64(res.Decode(t)["id"].(float64)))
		wantStatus(t, "hold it", c.JSON("PATCH", "/api/v1/events/"+id, map[string]any{"status": "held", "version": 1}), http.StatusOK)
		wantStatus(t, "mark it", c.JSON("POST", "/api/v1/events/"+id+"/attendance", map[string]any{"marks": []map[string]any{
			{"person_id": w.P1.ID, "day": day, "mark": "present", "leave_reason": "", "made_up_on": "", "makeup_how": ""}}}), http.StatusOK)
	}
}

type summaryJSON struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Figures []struct {
		Code     string `json:"code"`
		Text     string `json:"text"`
		Change   string `json:"change"`
		Link     string `json:"link"`
		Reported bool   `json:"reported"`
	} `json:"figures"`
	Problems []struct {
		Text string `json:"text"`
	} `json:"problems"`
}

// TestSummaryThroughTheAPI: the committee's staff enter a figure from
// finance, generate the half-year summary, follow figures to their records,
// save an edit as a version, and download the Word file; another branch
// sees none of it; a template with a misspelt indicator is refused with its
// line.
func TestSummaryThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := webtest.NewWorld(t, d)
		c := w.Login(t, "committee")
		studies(t, w, c, 2026, 3)
		studies(t, w, c, 2025, 2)

		bad := c.JSON("POST", "/api/v1/reported-figures", map[string]any{"org_id": w.Root.ID, "code": "reported.reception_cost",
			"from": "2026-01-01", "to": "2026-06-30", "value": 85000})
		wantStatus(t, "no evidence", bad, http.StatusUnprocessableEntity)
		if !strings.Contains(bad.Body, "请写明数据来源和依据") {
			t.Fatalf("message: %s", bad.Body)
		}
		for _, e := range []map[string]any{
			{"org_id": w.Root.ID, "code": "reported.reception_cost", "from": "2025-01-01", "to": "2025-06-30", "value": 100000, "evidence": "财务处2025年上半年报表"},
			{"org_id": w.Root.ID, "code": "reported.reception_cost", "from": "2026-01-01", "to": "2026-06-30", "value": 85000, "evidence": "财务处2026年上半年报表"},
		} {
			wantStatus(t, "reported figure", c.JSON("POST", "/api/v1/reported-figures", e), http.StatusCreated)
		}

		res := c.JSON("POST", "/api/v1/summaries", map[string]any{"org_id": w.Root.ID, "period": "h1", "year": 2026})
		wantStatus(t, "generate", res, http.StatusCreated)
		var s summaryJSON
		if err := json.Unmarshal([]byte(res.Body), &s); err != nil {
			t.Fatal(err)
		}
		if s.Title != "市委政法委机关党委2026年上半年党建工作总结" {
			t.Fatalf("title %q", s.Title)
		}
		links := map[string]string{}
		for _, f := range s.Figures {
			links[f.Code] = f.Link
			switch f.Code {
			case "events.held.study_session":
				if f.Text != "3次" || f.Change != "较上年同期提升50%" {
					t.Errorf("集中学习: %s %s", f.Text, f.Change)
				}
			case "reported.reception_cost":
				if f.Text != "8.5万元" || f.Change != "较上年同期下降15%" || !f.Reported {
					t.Errorf("公务接待费用: %+v", f)
				}
			}
		}
		if !strings.Contains(s.Body, "组织集中学习{{3次|events.held.study_session}}") || !strings.Contains(s.Body, "公务接待费用{{8.5万元|reported.reception_cost}}，较上年同期下降15%") {
			t.Fatalf("body:\n%s", s.Body)
		}
		// The figures lead to their records: the events counted, the entries reported.
		events := c.Get(links["learning.person_times"])
		wantStatus(t, "drill-down of 参学人次", events, http.StatusOK)
		if !strings.Contains(links["learning.person_times"], "from=2026-01-01") || !strings.Contains(events.Body, "集中学习") {
			t.Fatalf("drill-down %s", links["learning.person_times"])
		}
		entries := c.Get(links["reported.reception_cost"])
		wantStatus(t, "drill-down of 公务接待费用", entries, http.StatusOK)
		if !strings.Contains(entries.Body, "财务处2026年上半年报表") || strings.Contains(entries.Body, "财务处2025年上半年报表") || !strings.Contains(entries.Body, "填报") {
			t.Fatalf("the reported figure's entries: %.2000s", entries.Body)
		}

		id := webtest.Itoa(s.ID)
		edited := strings.Replace(s.Body, "## 一、以思想建设为根基，筑牢政法队伍政治忠诚", "## 一、以思想建设为根基，锻造忠诚干净担当政法铁军", 1)
		wantStatus(t, "edit", c.JSON("POST", "/api/v1/summaries/"+id+"/versions", map[string]any{"base": 1, "body": edited}), http.StatusCreated)
		wantStatus(t, "stale edit", c.JSON("POST", "/api/v1/summaries/"+id+"/versions", map[string]any{"base": 1, "body": edited + "\n补充"}), http.StatusConflict)
		versions := c.Get("/api/v1/summaries/" + id + "/versions")
		if !strings.Contains(versions.Body, `"n":2`) || !strings.Contains(versions.Body, "锻造忠诚干净担当政法铁军") {
			t.Fatalf("versions: %.500s", versions.Body)
		}

		// A campaign's summary counts its days.
		camp := &ledger.Campaign{OrgID: w.Root.ID, Name: "党史学习教育", StartsOn: date.MustParse("2026-03-01"), EndsOn: date.MustParse("2026-03-03")}
		if err := w.Store.SaveCampaign(context.Background(), audit.System, auth.Everything, camp); err != nil {
			t.Fatal(err)
		}
		res = c.JSON("POST", "/api/v1/summaries", map[string]any{"org_id": w.Root.ID, "period": "campaign", "campaign_id": camp.ID})
		wantStatus(t, "a campaign's summary", res, http.StatusCreated)
		var cs summaryJSON
		if err := json.Unmarshal([]byte(res.Body), &cs); err != nil {
			t.Fatal(err)
		}
		if cs.Title != "市委政法委机关党委党史学习教育党建工作总结" || !strings.Contains(cs.Body, "组织集中学习{{2次|events.held.study_session}}") {
			t.Fatalf("campaign summary %q:\n%s", cs.Title, cs.Body)
		}
		res = c.JSON("POST", "/api/v1/summaries", map[string]any{"org_id": w.Root.ID, "period": "campaign", "campaign_id": 999})
		wantStatus(t, "an unknown campaign", res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.Body, "专项活动不存在") {
			t.Fatalf("unknown campaign: %s", res.Body)
		}

		// The dashboard: the key figures with their change, the months, each branch.
		dash := c.Get("/api/v1/dashboard?org=" + webtest.Itoa(w.Root.ID) + "&year=2026")
		wantStatus(t, "dashboard", dash, http.StatusOK)
		var db struct {
			Period struct{ From, To, Label string }
			Key    []struct{ Code, Text, Change, Link string }
			Months []struct {
				Label       string
				Held        int
				PersonTimes int `json:"person_times"`
				Link        string
			}
			ByChild bool `json:"by_child"`
			Rows    []struct {
				Name         string
				Branches     int
				Judged, Met  int
				CoverageText string `json:"coverage_text"`
				FiguresLink  string `json:"figures_link"`
			}
		}
		if err := json.Unmarshal([]byte(dash.Body), &db); err != nil {
			t.Fatal(err)
		}
		if db.Period.From != "2026-01-01" || db.Period.To != "2026-06-30" || len(db.Months) != 6 || db.Months[2].Held != 3 || db.Months[2].PersonTimes != 3 ||
			!strings.Contains(db.Months[2].Link, "from=2026-03-01") || !strings.Contains(db.Months[2].Link, "to=2026-03-31") {
			t.Fatalf("dashboard months: %+v %+v", db.Period, db.Months)
		}
		if db.Key[0].Code != "learning.events" || db.Key[0].Text != "3次" || db.Key[0].Change != "较上年同期提升50%" || db.Key[0].Link == "" {
			t.Fatalf("dashboard key figure: %+v", db.Key[0])
		}
		if db.ByChild || len(db.Rows) != 2 || db.Rows[0].Name != "第一党支部" || db.Rows[0].Branches != 1 || db.Rows[0].CoverageText != "100%" || db.Rows[1].CoverageText != "—" {
			t.Fatalf("dashboard branches: %v %+v", db.ByChild, db.Rows)
		}
		// 第一党支部 held only studies: each of its twelve meetings the rules
		// required in the half-year counts as missed; 第二党支部 holds
		// nothing yet, so the calendar has not started judging it.
		if db.Rows[0].Judged != 12 || db.Rows[0].Met != 0 || db.Rows[1].Judged != 0 {
			t.Fatalf("dashboard compliance: %+v", db.Rows)
		}

		// Another branch sees neither the summary nor its Word file.
		other := w.Login(t, "branch2")
		wantStatus(t, "another branch reads it", other.Get("/api/v1/summaries/"+id), http.StatusNotFound)
		wantStatus(t, "another branch downloads it", other.Get("/summaries/"+id+"/docx"), http.StatusNotFound)

		tpl := c.JSON("POST", "/api/v1/summary-templates", map[string]any{"name": "错字模板", "body": "# 总结\n\n覆盖{{参学人教}}。"})
		wantStatus(t, "bad template", tpl, http.StatusUnprocessableEntity)
		if !strings.Contains(tpl.Body, "第3行：未知指标“参学人教”") {
			t.Fatalf("template refusal: %s", tpl.Body)
		}

		if d == store.SQLite {
			word := c.Get("/summaries/" + id + "/docx")
			wantStatus(t, "Word", word, http.StatusOK)
			text := wordText(t, []byte(word.Body))
			at := 0
			for _, want := range []string{"市委政法委机关党委2026年上半年党建工作总结", "一、以思想建设为根基，锻造忠诚干净担当政法铁军",
				"（一）构建常态化学习机制，提升理论素养", "组织集中学习3次", "较上年同期提升50%", "二、以组织建设为核心",
				"公务接待费用8.5万元，较上年同期下降15%", "指标", "上年同期", "学习活动次数", "3次", "五、存在的主要问题", "六、下一步工作"} {
				i := strings.Index(text[at:], want)
				if i < 0 {
					t.Fatalf("the Word file's text lacks %q after position %d:\n%s", want, at, text)
				}
				at += i + len(want)
			}
		}
	})
}

// wordText converts a .docx with LibreOffice and returns its text.
func wordText(t *testing.T, docx []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		storetest.Missing(t, "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.docx")
	if err := os.WriteFile(path, docx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "txt:Text", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
