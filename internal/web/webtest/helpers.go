package webtest

import (
	"bytes"
	"dangjian/internal/audit"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// admFields returns error.fields of a JSON error answer.
func Fields(t *testing.T, res Response) map[string]any {
	t.Helper()
	e, ok := res.Decode(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("not an error answer (%d): %s", res.Status, res.Body)
	}
	f, _ := e["fields"].(map[string]any)
	return f
}

func AuditFilter(username, action string) audit.Filter {
	return audit.Filter{Username: username, Action: action, Limit: 1000}
}

// rosterFile makes an .xlsx roster of n valid members of 第一党支部.
func RosterFile(t *testing.T, n int) []byte {
	t.Helper()
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"序号", "姓名", "身份证号", "人员类别", "入党时间", "转正时间", "所在支部"})
	for i := 0; i < n; i++ {
		birth := fmt.Sprintf("19%02d%02d%02d", 50+i%35, 1+i%12, 1+i%28)
		row := []any{i + 1, "测试" + string(rune('甲'+i%10)) + string(rune('子'+i/10%12)), ValidID(birth, fmt.Sprintf("%03d", i%1000)),
			"正式党员", "2010-07-01", "2011-07-01", "第一党支部"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a file as the multipart field "file".
func (c *Client) Upload(path, name string, data []byte) Response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// wrongCheck returns the ID number with a different, wrong check character.
func WrongCheck(id string) string {
	const chars = "0123456789X"
	return id[:17] + string(chars[(strings.IndexByte(chars, id[17])+1)%len(chars)])
}

func Itoa(n int64) string { return strconv.FormatInt(n, 10) }
