package gen

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// bar is the progress bar on stderr: the stage, how far it is, the rows a
// second, and the time since the start. It redraws at most five times a
// second, so it costs nothing beside the writes it reports.
type bar struct {
	w           io.Writer
	name        string
	done_, all  int
	note        string // what the stage wrote so far, in rows (活动 64400 考勤 682606)
	stageStart  time.Time
	start, last time.Time
}

func newBar(w io.Writer) *bar {
	now := time.Now()
	return &bar{w: w, start: now, last: now}
}

func (b *bar) stage(name string, total int) {
	if b.w != nil && b.name != "" {
		b.draw(true)
	}
	b.name, b.done_, b.all, b.stageStart, b.note = name, 0, total, time.Now(), ""
}

func (b *bar) add(n int) {
	b.done_ += n
	if b.w != nil && (time.Since(b.last) > 200*time.Millisecond || b.done_ == b.all) {
		b.draw(false)
	}
}

func (b *bar) draw(final bool) {
	b.last = time.Now()
	const width = 30
	filled := width
	if b.all > 0 {
		filled = min(width, width*b.done_/b.all)
	}
	rate := float64(b.done_) / max(time.Since(b.stageStart).Seconds(), 0.001)
	end := "\r"
	if final {
		end = "\n"
	}
	fmt.Fprintf(b.w, "\r%-6s [%s%s] %d/%d  %.0f/s  %s  %s   %s", b.name, strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
		b.done_, b.all, rate, b.note, time.Since(b.start).Round(time.Second), end)
}

func (b *bar) done() {
	if b.w != nil && b.name != "" {
		b.draw(true)
	}
}
