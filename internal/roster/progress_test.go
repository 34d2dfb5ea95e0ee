package roster

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"dangjian/internal/people"
	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// progressLog records what an import reports.
type progressLog struct{ done, total []int }

func (p *progressLog) note(done, total int) {
	p.done, p.total = append(p.done, done), append(p.total, total)
}

// writing counts the reports of the write phase that are neither its start
// nor its end: rows written while the rest are still being written.
func (p *progressLog) writing(n int) int {
	k := 0
	for _, d := range p.done {
		if d > n && d < 2*n {
			k++
		}
	}
	return k
}

// While the rows are written, the import reports how many are written, in
// both modes, and ends at its total.
func TestProgressReportsRowsWritten(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		w := newWorld(t, d)
		const n = 1200
		rows := [][]any{{"姓名", "身份证号", "人员类别", "所在支部", "入党时间", "转正时间", "职务"}}
		for i := range n {
			first := fmt.Sprintf("370102%04d%02d%02d%03d", 1950+i%40, 1+i%12, 1+i%28, i%1000)
			rows = append(rows, []any{"测试", first + string(people.IDCheckChar(first)), "正式党员", "第一党支部", "2010-07-01", "2011-07-01", "科员"})
		}
		ctx := context.Background()
		var created progressLog
		rep, err := ImportWith(ctx, w.st, tester, w.scope, bytes.NewReader(sheet(t, rows)), Options{}, created.note)
		if err != nil || rep.Imported != n {
			t.Fatalf("create: %v %+v", err, rep.Problems[:min(3, len(rep.Problems))])
		}
		if created.writing(n) < 2 || created.done[len(created.done)-1] != 2*n || created.total[0] != 2*n {
			t.Fatalf("create mode reported %v of %v", created.done[len(created.done)-5:], created.total[0])
		}
		for i := 1; i < len(rows); i++ {
			rows[i][6] = "副科长"
		}
		data := sheet(t, rows)
		preview, err := ImportWith(ctx, w.st, tester, w.scope, bytes.NewReader(data), Options{Mode: Update}, nil)
		if err != nil || len(preview.Changes) != n {
			t.Fatalf("preview: %v %d changes", err, len(preview.Changes))
		}
		var updated progressLog
		rep, err = ImportWith(ctx, w.st, tester, w.scope, bytes.NewReader(data), Options{Mode: Update, Confirm: true, Expect: preview.Fingerprint}, updated.note)
		if err != nil || rep.Updated != n {
			t.Fatalf("update: %v %+v", err, rep)
		}
		if updated.writing(n) < 5 || updated.done[len(updated.done)-1] != 2*n {
			t.Fatalf("update mode reported %v", updated.done[len(updated.done)-15:])
		}
	})
}
