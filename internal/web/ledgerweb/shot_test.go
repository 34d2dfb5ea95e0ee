package ledgerweb_test

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

func TestShots(t *testing.T) {
	b := webtest.StartBrowser(t)
	w := webtest.NewWorld(t, store.SQLite)
	e := lifeMeeting(t, w)
	tab := b.NewTab(t, w.URL)
	tab.LoginOK("branch1")
	tab.Step("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile))
	tab.Open("/events/" + webtest.Itoa(e.ID) + "/life")
	tab.Choose("#f-person_id", w.P1.Name+"（第一党支部）")
	tab.TypeInto("#f-self_criticism", "理论学习不够系统")
	tab.ClickTo(webtest.Button("保存记录"))
	tab.TypeInto(`section.life-record input[name=content]`, "理论学习不够系统深入")
	tab.ClickTo(webtest.Button("登记问题"))
	shot := func(name string) {
		var buf []byte
		tab.Step("shot", chromedp.FullScreenshot(&buf, 80))
		os.WriteFile("/tmp/ledger-shot-"+name+".jpg", buf, 0o644)
	}
	shot("life")
	tab.ClickTo(webtest.Button("列入整改台账"))
	tab.TypeInto("#f-note", "制定计划")
	tab.ClickTo(webtest.Button("登记进展"))
	shot("item")
	tab.Open("/ledger")
	shot("list")
	tab.Open("/campaigns")
	shot("campaigns")
}
