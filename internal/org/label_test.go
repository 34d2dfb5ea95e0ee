package org

import "testing"

func TestPathLabelsTellSameNamesApart(t *testing.T) {
	tree := []Org{
		{ID: 1, Name: "市委政法委机关党委"},
		{ID: 2, ParentID: 1, Name: "第一党支部"}, {ID: 3, ParentID: 1, Name: "第二党支部"},
		{ID: 4, ParentID: 2, Name: "第一党小组"}, {ID: 5, ParentID: 2, Name: "第二党小组"},
		{ID: 6, ParentID: 3, Name: "第一党小组"},
		{ID: 7, ParentID: 1, Name: "市中级人民法院"},
		// a second committee with its own 第一党支部 and 第一党小组
		{ID: 8, ParentID: 7, Name: "法院机关党委"},
		{ID: 9, ParentID: 8, Name: "第一党支部"}, {ID: 10, ParentID: 9, Name: "第一党小组"},
	}
	want := map[int64]string{
		1: "市委政法委机关党委", 7: "市中级人民法院", 8: "法院机关党委", 3: "第二党支部", 5: "第二党小组",
		2:  "市委政法委机关党委 › 第一党支部",
		9:  "法院机关党委 › 第一党支部",
		4:  "市委政法委机关党委 › 第一党支部 › 第一党小组",
		10: "法院机关党委 › 第一党支部 › 第一党小组",
		6:  "第二党支部 › 第一党小组",
	}
	got := PathLabels(tree)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%d: %q, want %q", id, got[id], w)
		}
	}
	seen := map[string]int64{}
	for id, l := range got {
		if other, dup := seen[l]; dup {
			t.Errorf("%d and %d both read %q", id, other, l)
		}
		seen[l] = id
	}
}
