package roster

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"dangjian/internal/auth"
	"dangjian/internal/org"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// Three branches each have a 第一党小组: the group is written with its
// branch, a unique name bare, and either way it is found again.
func TestNamesByShortestPath(t *testing.T) {
	orgs := []org.Org{
		{ID: 1, Kind: org.Committee, Name: "机关党委", Path: "/1/"},
		{ID: 2, Kind: org.Branch, Name: "第一党支部", Path: "/1/2/"},
		{ID: 3, Kind: org.Branch, Name: "第二党支部", Path: "/1/3/"},
		{ID: 4, Kind: org.Group, Name: "第一党小组", Path: "/1/2/4/"},
		{ID: 5, Kind: org.Group, Name: "第一党小组", Path: "/1/3/5/"},
		{ID: 6, Kind: org.Unit, Name: "市委政法委机关", Path: "/6/"},
	}
	n := NewNames(orgs, orgs, map[string]int64{"市委政法委": 6})
	for id, want := range map[int64]string{2: "第一党支部", 4: "第一党支部/第一党小组", 5: "第二党支部/第一党小组", 6: "市委政法委机关"} {
		if got := n.OrgLabel(id, ""); got != want {
			t.Errorf("label of %d: %q, want %q", id, got, want)
		}
	}
	for text, want := range map[string]struct {
		id  int64
		res findResult
	}{
		"第一党支部/第一党小组":      {4, found},
		"第二党支部 › 第一党小组":    {5, found},
		"机关党委／第二党支部／第一党小组": {5, found},
		"第一党小组":            {0, ambiguous},
		"第三党支部/第一党小组":      {0, unknown},
		"第二党支部":            {3, found},
	} {
		o, res := n.Org(text, nil)
		if res != want.res || res == found && o.ID != want.id {
			t.Errorf("%q: %v %v, want %+v", text, o, res, want)
		}
	}
	if u, res := n.Unit("市委政法委"); res != found || u.ID != 6 {
		t.Errorf("alias: %v %v", u, res)
	}
	if _, res := n.Unit("第一党支部"); res != notUnit {
		t.Errorf("a branch as a unit: %v", res)
	}
}

// A repeated ID number is reported on both rows and nothing else is read
// from it: no "入党时未满18周岁" computed from the other row's birth date.
func TestDuplicateIDNumberStopsThere(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		rows := [][]any{
			{"姓名", "出生日期", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间"},
			{"甲", "1989-07-04", "370102198907046858", "正式党员", "第一党支部", "2015-07-01", "2016-07-01"},
			{"乙", "1960-01-01", "370102198907046858", "正式党员", "第一党支部", "1985-07-01", "1986-07-01"},
		}
		rep := w.importBytes(t, sheet(t, rows))
		want := []problemLine{{2, "身份证号", "roster.duplicate_in_file"}, {3, "身份证号", "roster.duplicate_in_file"}}
		if got := lines(rep.Problems); !reflect.DeepEqual(got, want) {
			t.Fatalf("problems %+v", rep.Problems)
		}
	})
}

// Organisations and units the tree lacks are listed once each; mapped to
// existing ones (an organisation for this import, a unit by an alias kept
// for the next) the same file imports.
func TestMissingNamesMappedThenImported(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		ctx := context.Background()
		rows := [][]any{{"姓名", "身份证号", "人员类别", "所在支部", "工作单位"}}
		for i, id := range []string{"370102198503121233", "370102199004292702", "370102198310100807"} {
			rows = append(rows, []any{"张" + string(rune('甲'+i)), id, "群众", "第四党支部", "市委党校"})
		}
		data := sheet(t, rows)
		rep := w.importBytes(t, data)
		if !rep.OnlyMissing() || len(rep.Missing) != 2 || rep.Missing[0].Count != 3 || rep.Missing[1].Kind != "org" {
			t.Fatalf("missing %+v problems %+v", rep.Missing, rep.Problems)
		}
		if err := w.st.AddUnitAlias(ctx, tester, w.scope, "市委党校", w.units["市法学会"].ID); err != nil {
			t.Fatal(err)
		}
		rep, err := ImportWith(ctx, w.st, tester, w.scope, bytes.NewReader(data),
			Options{OrgMap: map[string]int64{"第四党支部": w.branches["第三党支部"].ID}}, nil)
		if err != nil || rep.Rejected() || rep.Imported != 3 {
			t.Fatalf("mapped: %v %+v %+v", err, rep.Problems, rep.Missing)
		}
		for _, p := range w.all(t) {
			if p.OrgID != w.branches["第三党支部"].ID || p.UnitID != w.units["市法学会"].ID {
				t.Fatalf("%s in %s / %s", p.Name, p.OrgName, p.UnitName)
			}
		}
		// An organisation mapped outside the scope is not found.
		sc := auth.Scope{OrgPath: w.branches["第一党支部"].Path}
		rep, _ = ImportWith(ctx, w.st, tester, sc, bytes.NewReader(data), Options{OrgMap: map[string]int64{"第四党支部": w.branches["第三党支部"].ID}}, nil)
		if len(rep.Missing) != 1 {
			t.Fatalf("mapped outside the scope: %+v", rep)
		}
	})
}
