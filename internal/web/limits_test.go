package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/dict"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/web/webtest"
)

// bodyAreas are the tags of the API whose writes document their bodies.
var bodyAreas = map[string]bool{"people": true, "orgs": true, "groups": true, "dicts": true}

// noBody are write routes of those areas that take no JSON body of fields.
var noBody = map[string]bool{"/api/v1/people/import": true, "/api/v1/people/{id}/reveal": true, "/api/v1/people/{id}/account": true}

// TestEveryDocumentedTextFieldIsCapped reads the OpenAPI document the server
// publishes and, for every text field of every write body it describes,
// sends one character more than its maxLength: the answer must be 422 with
// the limit beside that field. So the document cannot promise a limit the
// server does not keep, and a text field without a limit fails here.
func TestEveryDocumentedTextFieldIsCapped(t *testing.T) {
	w := webtest.NewWorld(t, store.SQLite)
	ctx := context.Background()
	g := &org.WorkingGroup{OrgID: w.Root.ID, Name: "平安建设领导小组", SetUpOn: date.MustParse("2026-01-01")}
	if err := w.Store.SaveWorkingGroup(ctx, audit.System, auth.Everything, g); err != nil {
		t.Fatal(err)
	}
	seat := &org.CommitteeMember{OrgID: w.Branch1.ID, PersonID: w.P1.ID, Position: "书记", From: date.MustParse("2026-01-01")}
	if err := w.Store.AddCommitteeMember(ctx, audit.System, auth.Everything, seat); err != nil {
		t.Fatal(err)
	}
	items, err := w.Store.DictItems(ctx, dict.Education)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"people": webtest.Itoa(w.P1.ID), "orgs": webtest.Itoa(w.Branch1.ID), "groups": webtest.Itoa(g.ID), "dicts": webtest.Itoa(items[0].ID)}
	committee, sysadmin := w.Login(t, "committee"), w.Login(t, "sysadmin")

	doc := committee.Get("/api/v1/openapi.json").Decode(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	checked := 0
	for path, ops := range doc["paths"].(map[string]any) {
		tag := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
		for method, op := range ops.(map[string]any) {
			if !bodyAreas[tag] {
				continue
			}
			if method == "put" {
				t.Errorf("PUT %s: updates are PATCH", path)
			}
			if (method != "post" && method != "patch") || noBody[path] {
				continue
			}
			props := bodyProperties(op.(map[string]any), schemas)
			if len(props) == 0 {
				t.Errorf("%s %s: the body is not documented", method, path)
				continue
			}
			target := strings.NewReplacer("{id}", ids[tag], "{mid}", webtest.Itoa(seat.ID), "{name}", dict.Education).Replace(path)
			c := committee
			if tag == "dicts" {
				c = sysadmin
			}
			for name, raw := range props {
				prop := raw.(map[string]any)
				max, limited := prop["maxLength"].(float64)
				item, _ := prop["items"].(map[string]any)
				if itemMax, ok := item["maxLength"].(float64); ok {
					max, limited = itemMax, true
				}
				if prop["type"] != "string" && item["type"] != "string" {
					continue
				}
				if prop["format"] == "date" {
					continue
				}
				if !limited {
					t.Errorf("%s %s: text field %s has no maxLength", method, path, name)
					continue
				}
				checked++
				long := strings.Repeat("字", int(max)+1)
				body := map[string]any{name: long, "version": 1}
				if item != nil {
					body[name] = []string{long}
				}
				res := c.JSON(strings.ToUpper(method), target, body)
				got, _ := fieldMessages(t, res)[name].(string)
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(got, strconv.Itoa(int(max))) {
					t.Errorf("%s %s with %s of %d characters: %d %q", method, path, name, int(max)+1, res.Status, got)
				}
				body[name] = strings.Repeat("字", int(max))
				if item != nil {
					body[name] = []string{strings.Repeat("字", int(max))}
				}
				res = c.JSON(strings.ToUpper(method), target, body)
				if got, _ := fieldMessages(t, res)[name].(string); strings.Contains(got, "不超过") || strings.Contains(got, "不能超过") {
					t.Errorf("%s %s with %s of exactly %d characters: %q", method, path, name, int(max), got)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d text fields checked; the document lost its bodies", checked)
	}
}

// bodyProperties are the fields of an operation's JSON body, $ref followed.
func bodyProperties(op map[string]any, schemas map[string]any) map[string]any {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	schema, _ := js["schema"].(map[string]any)
	if ref, ok := schema["$ref"].(string); ok {
		schema, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	props, _ := schema["properties"].(map[string]any)
	return props
}

// fieldMessages are the per-field messages of an error answer; none for success.
func fieldMessages(t *testing.T, res webtest.Response) map[string]any {
	t.Helper()
	if res.Status < 400 {
		return nil
	}
	return webtest.Fields(t, res)
}
