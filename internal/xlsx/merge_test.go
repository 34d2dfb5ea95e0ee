package xlsx_test

import (
	"fmt"
	"reflect"
	"testing"

	"dangjian/internal/xlsx"
)

func TestFillDown(t *testing.T) {
	rng := func(s string) xlsx.Range {
		var r xlsx.Range
		var c1, c2 rune
		fmt.Sscanf(s, "%c%d:%c%d", &c1, &r.Top, &c2, &r.Bottom)
		r.Left, r.Right = int(c1-'A'+1), int(c2-'A'+1)
		return r
	}
	type fill struct{ col, i, top int }
	for _, c := range []struct {
		name   string
		merges []string
		rows   []int
		cols   []int
		want   []fill
	}{
		{"one block down a column", []string{"E4:E6"}, []int{4, 5, 6, 7}, []int{5}, []fill{{5, 1, 0}, {5, 2, 0}}},
		{"a title across the sheet fills nothing", []string{"A1:N1", "A3:N3"}, []int{3, 4}, []int{1, 5}, nil},
		{"two columns wide: each column from its own top", []string{"D2:E3"}, []int{2, 3}, []int{4, 5}, []fill{{4, 1, 0}, {5, 1, 0}}},
		{"rows the caller skipped", []string{"B2:B9"}, []int{2, 5, 9, 10}, []int{2}, []fill{{2, 1, 0}, {2, 2, 0}}},
		{"top row not kept", []string{"B2:B9"}, []int{3, 4}, []int{2}, nil},
		{"columns not asked for", []string{"C2:C4"}, []int{2, 3, 4}, []int{2}, nil},
		{"overlaps are ignored", []string{"B2:B9", "B3:B4", "B10:B11"}, []int{2, 3, 4, 10, 11}, []int{2},
			[]fill{{2, 1, 0}, {2, 2, 0}, {2, 4, 3}}},
		{"in any order", []string{"B6:B7", "B2:B3"}, []int{2, 3, 6, 7}, []int{2}, []fill{{2, 1, 0}, {2, 3, 2}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var merges []xlsx.Range
			for _, m := range c.merges {
				merges = append(merges, rng(m))
			}
			var got []fill
			xlsx.FillDown(merges, c.rows, c.cols, func(col, i, top int) { got = append(got, fill{col, i, top}) })
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

// Ranges that all reach to the bottom of the sheet are walked once, not
// once each: the number of rows looked at stays the number of rows.
func TestFillDownWalksEachRowOnce(t *testing.T) {
	rows := make([]int, 50_000)
	for i := range rows {
		rows[i] = i + 2
	}
	merges := make([]xlsx.Range, 10_000)
	for i := range merges {
		merges[i] = xlsx.Range{Top: i + 2, Left: 2, Bottom: 50_001, Right: 2}
	}
	calls := 0
	xlsx.FillDown(merges, rows, []int{2}, func(col, i, top int) { calls++ })
	if calls != len(rows)-1 {
		t.Fatalf("%d fills for %d rows", calls, len(rows))
	}
}
