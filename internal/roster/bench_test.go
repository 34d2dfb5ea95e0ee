package roster

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/people"
)

// bigRoster is a full-width roster of n valid people, as Export writes it.
func bigRoster(b testing.TB, n int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", headerRow())
	for i := range n {
		first := "3701021985031" + strconv.Itoa(2000+i%8000)
		id := first + string(people.IDCheckChar(first))
		sw.SetRow("A"+strconv.Itoa(i+2), []any{i + 1, "张伟", "", "汉族", "", id, "本科", "市委政法委", "科员", "正式党员",
			"2008.07.01", "2009年7月1日", 13800138000, "第一党支部"})
	}
	sw.Flush()
	buf, _ := f.WriteToBuffer()
	return buf.Bytes()
}

// BenchmarkReadAndCheck measures reading and checking a 10,000-row roster,
// the part of an import that runs before the database is touched.
func BenchmarkReadAndCheck(b *testing.B) {
	data := bigRoster(b, 10000)
	e := testEnv()
	b.ResetTimer()
	for range b.N {
		sd, rep, err := readSheet(context.Background(), bytes.NewReader(data), int64(len(data)))
		if err != nil || rep != nil {
			b.Fatal(err, rep)
		}
		for i := range sd.rows {
			if _, probs := parseRow(e, sd.layout, &sd.rows[i], nil); len(probs) > 0 {
				b.Fatal(probs)
			}
		}
	}
}
