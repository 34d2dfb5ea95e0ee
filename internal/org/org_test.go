package org

import (
	"testing"

	"dangjian/internal/date"
)

func TestKindsUnderParents(t *testing.T) {
	for _, tc := range []struct {
		kind, parent Kind
		ok           bool
	}{
		{Committee, "", true}, {Branch, Committee, true}, {Group, Branch, true}, {Group, Committee, false},
		{Village, Township, true}, {Grid, Village, true}, {Branch, "", false}, {Unit, Committee, true},
	} {
		if got := tc.kind.MayBeUnder(tc.parent); got != tc.ok {
			t.Errorf("%s under %q: %v, want %v", tc.kind, tc.parent, got, tc.ok)
		}
	}
	branch := &Org{ID: 4, Kind: Branch, Path: "/1/4/"}
	group := &Org{ID: 9, Kind: Group, Path: "/1/4/9/"}
	if err := branch.CheckParent(group); err == nil {
		t.Error("a branch moved under its own group")
	}
	closed := &Org{ID: 2, Kind: Committee, Path: "/2/", ClosedOn: date.MustParse("2025-01-01")}
	if err := branch.CheckParent(closed); err == nil {
		t.Error("placed under a closed organisation")
	}
}

func TestTermComesDue(t *testing.T) {
	r := DefaultTermRules
	branch := &Org{Kind: Branch, TermStart: date.MustParse("2023-07-01")}
	village := &Org{Kind: Village, TermStart: date.MustParse("2023-07-01")}
	for _, tc := range []struct {
		o    *Org
		day  string
		want TermState
	}{
		{branch, "2026-01-01", TermCurrent}, {branch, "2026-04-15", TermDueSoon}, {branch, "2026-07-01", TermOverdue},
		{village, "2026-07-01", TermCurrent}, {village, "2028-07-01", TermOverdue}, {&Org{Kind: Branch}, "2026-07-01", TermNone},
	} {
		if got := r.Term(tc.o, date.MustParse(tc.day)); got != tc.want {
			t.Errorf("%s on %s: %q, want %q", tc.o.Kind, tc.day, got, tc.want)
		}
	}
}

// The defaults are the rule of 《关于党的基层组织任期的意见》 and 党章第三十一条:
// 基层委员会 (a 机关党委 is one) 5 years, 总支部 and 支部 3, anything of a 村
// or 社区 5 — the 机关党委 showed a 3-year term before.
func TestDefaultTermLengthsFollowTheRule(t *testing.T) {
	r := DefaultTermRules
	start := date.MustParse("2023-07-01")
	for _, tc := range []struct {
		name      string
		kind      Kind
		ancestors []Kind
		years     int
	}{
		{"机关党委", Committee, nil, 5},
		{"乡镇党委", Township, nil, 5},
		{"党总支", GeneralBranch, []Kind{Committee}, 3},
		{"机关党支部", Branch, []Kind{Committee}, 3},
		{"社区党组织", Village, []Kind{Township}, 5},
		{"村党支部", Branch, []Kind{Township, Village}, 5},
	} {
		o := &Org{Kind: tc.kind, TermStart: start}
		if got := r.TermYears(o, tc.ancestors...); got != tc.years {
			t.Errorf("%s: %d-year term, want %d", tc.name, got, tc.years)
		}
		if got, want := r.TermEnd(o, tc.ancestors...), start.AddDate(tc.years, 0, 0); got != want {
			t.Errorf("%s: term ends %s, want %s", tc.name, got, want)
		}
		// Every default lies within 党章第三十一条's three to five years.
		if tc.years < 3 || tc.years > 5 {
			t.Errorf("%s: %d years is outside 党章第三十一条", tc.name, tc.years)
		}
	}
	committee := &Org{Kind: Committee, TermStart: start}
	if got := r.Term(committee, date.MustParse("2026-07-01")); got != TermCurrent {
		t.Errorf("a 机关党委 elected 2023-07-01 is %q on 2026-07-01, want current (5-year term)", got)
	}
	if got := r.Term(committee, date.MustParse("2028-07-01")); got != TermOverdue {
		t.Errorf("a 机关党委 elected 2023-07-01 is %q on 2028-07-01, want overdue", got)
	}
}

func TestSortTreePutsChildrenAfterParents(t *testing.T) {
	list := []Org{
		{ID: 3, ParentID: 1, Kind: Branch, Name: "第二党支部"}, {ID: 5, ParentID: 2, Kind: Group, Name: "第一党小组"},
		{ID: 1, Kind: Committee, Name: "机关党委"}, {ID: 2, ParentID: 1, Kind: Branch, Name: "第一党支部"},
		{ID: 6, ParentID: 1, Kind: Unit, Name: "市法院"},
	}
	got := SortTree(list)
	var names []string
	for _, o := range got {
		names = append(names, o.Name)
	}
	want := []string{"机关党委", "第一党支部", "第一党小组", "第二党支部", "市法院"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order %v, want %v", names, want)
		}
	}
}
