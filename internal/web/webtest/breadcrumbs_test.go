package webtest_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

var crumbsRe = regexp.MustCompile(`(?s)<nav class="breadcrumbs" aria-label="当前位置"><ol>(.*?)</ol></nav>`)
var tagRe = regexp.MustCompile(`<[^>]+>`)

// crumbs are a page's breadcrumbs as a reader sees them ("工作台 › 党员花名册 › 张伟").
func crumbs(body string) string {
	m := crumbsRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	parts := strings.Split(m[1], "</li>")
	var out []string
	for _, p := range parts {
		if t := strings.TrimSpace(tagRe.ReplaceAllString(p, "")); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, " › ")
}

// Every page below the first level has breadcrumbs back to the 工作台 and
// its menu entry; a first-level page has none.
func TestBreadcrumbsBelowTheFirstLevel(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	c := w.Login(t, "committee")
	for path, want := range map[string]string{
		"/":                                     "",
		"/people":                               "",
		"/orgs":                                 "",
		fmt.Sprintf("/people/%d", w.P1.ID):      "工作台 › 党员花名册 › 张伟",
		fmt.Sprintf("/people/%d/edit", w.P1.ID): "工作台 › 党员花名册 › 编辑：张伟",
		"/people/new":                           "工作台 › 党员花名册 › 新增人员",
		fmt.Sprintf("/orgs/%d", w.Group1.ID):    "工作台 › 组织体系 › 市委政法委机关党委 › 第一党支部 › 第一党小组",
		"/orgs/new":                             "工作台 › 组织体系 › 新建组织",
		"/no-such-page":                         "工作台 › 出错了",
	} {
		res := c.Get(path)
		if got := crumbs(res.Body); got != want {
			t.Errorf("%s: breadcrumbs %q, want %q", path, got, want)
		}
	}
	if got := crumbs(w.Login(t, "member").Get("/me").Body); got != "" {
		t.Errorf("我的档案 (a first-level page) has breadcrumbs %q", got)
	}
}
