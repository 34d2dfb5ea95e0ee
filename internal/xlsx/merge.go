package xlsx

import (
	"cmp"
	"slices"
)

// FillDown serves tables where a value written once stands for the block of
// rows merged below it (所在支部 written once over its people): Excel keeps
// the value in the merged range's top cell only.
//
// rows are the numbers of the rows the caller kept, ascending. For each
// column in cols (1-based) and each merged range spanning several rows of
// it whose top row was kept, fill(col, i, top) is called for every kept row
// i (an index into rows) below the top row (index top) and inside the range.
// Ranges that overlap one already taken in the same column are ignored, as
// Excel itself refuses them.
//
// It takes O(len(merges)·log len(merges) + len(cols)·(len(rows) + len(merges))):
// never a row range walked per merge, whatever the merges say.
func FillDown(merges []Range, rows []int, cols []int, fill func(col, i, top int)) {
	down := make([]Range, 0, len(merges))
	for _, m := range merges {
		if m.Bottom > m.Top {
			down = append(down, m)
		}
	}
	slices.SortFunc(down, func(a, b Range) int { return cmp.Compare(a.Top, b.Top) })
	for _, col := range cols {
		i := 0          // first kept row not yet passed
		lastBottom := 0 // the bottom of the range last taken in this column
		for _, m := range down {
			if col < m.Left || col > m.Right || m.Top <= lastBottom {
				continue
			}
			lastBottom = m.Bottom
			for i < len(rows) && rows[i] < m.Top {
				i++
			}
			if i == len(rows) {
				break
			}
			if rows[i] != m.Top {
				continue // the top row was not kept: nothing to copy
			}
			top := i
			for i++; i < len(rows) && rows[i] <= m.Bottom; i++ {
				fill(col, i, top)
			}
		}
	}
}
