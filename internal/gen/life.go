package gen

import (
	"fmt"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
)

// gapPercent is how often a branch misses a required meeting in a period:
// enough for the compliance calendar and the summary's 存在的问题 to find
// real gaps across a province, few enough to look like one.
const gapPercent = 3

func firstOfMonth(d date.Date) date.Date { return date.Of(d.Year(), d.Month(), 1) }

func workday(d date.Date) date.Date {
	for d.Time().Weekday() == time.Saturday || d.Time().Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func at(d date.Date, hour int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, event.China)
}

var leaveReasons = []string{"出差办案", "参加上级培训", "值班备勤", "病假", "外出调研", "参加庭审", "下沉社区开展矛盾纠纷排查"}

var makeupWays = []string{"自学会议材料并撰写心得", "观看会议录像", "参加党小组集中补学", "书记单独谈话补课"}

var studyTopics = []string{"习近平新时代中国特色社会主义思想", "党的二十大报告", "《中国共产党政法工作条例》", "习近平法治思想",
	"《中国共产党纪律处分条例》", "平安建设和基层治理", "坚持和发展新时代“枫桥经验”"}

var themeDays = []string{"重温入党誓词", "走进社区办实事", "参观廉政教育基地", "学习英模事迹", "法治宣传进社区", "结对帮扶走访"}

var lectureTopics = []string{"坚持党对政法工作的绝对领导", "锻造忠诚干净担当的政法铁军", "以案促改，筑牢拒腐防变思想防线", "发扬传统、坚定信念、执法为民"}

// life writes every branch's organisational life month by month, through
// ImportEvents in batches: 支委会 and each 党小组会 monthly, 主题党日
// monthly, 集中学习 most months, the 支部党员大会 and 党课 quarterly, the
// 组织生活会 and 民主评议党员 each January; about gapPercent of them are
// missed. Only days before Today are written (held, with attendance).
func (g *generator) life() error {
	start := firstOfMonth(g.o.Today).AddDate(0, -12*g.o.Years+1, 0)
	months := 12 * g.o.Years
	g.bar.stage("组织生活", months*len(g.branches))
	var batch []store.EventImport
	began, refreshAt := time.Now(), 1000
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := g.st.ImportEvents(g.ctx, audit.System, auth.Everything, batch); err != nil {
			return fmt.Errorf("gen: events: %w", err)
		}
		for _, e := range batch {
			g.res.Events++
			g.res.Marks += len(e.Marks)
		}
		if g.res.Events >= refreshAt { // the tables doubled since the last look
			if err := g.st.RefreshStatistics(g.ctx); err != nil {
				return err
			}
			refreshAt *= 2
		}
		secs := max(time.Since(began).Seconds(), 0.001)
		g.bar.note = fmt.Sprintf("活动 %d（%.0f/s）考勤 %d（%.0f/s）", g.res.Events, float64(g.res.Events)/secs, g.res.Marks, float64(g.res.Marks)/secs)
		batch = batch[:0]
		return nil
	}
	for m := start; !m.After(g.o.Today); m = m.AddDate(0, 1, 0) {
		for _, b := range g.branches {
			batch = append(batch, g.branchMonth(b, m)...)
			if len(batch) >= eventBatch {
				if err := flush(); err != nil {
					return err
				}
			}
			g.bar.add(1)
		}
	}
	return flush()
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) missed() bool { return g.rng.IntN(100) < gapPercent }

// held is an event of a kind held on a day, its marks asked of g.mark.
func (g *generator) held(orgID int64, code string, day date.Date, hour int, title, topics string) (store.EventImport, bool) {
	if !day.Before(g.o.Today) {
		return store.EventImport{}, false
	}
	k := g.kinds[code]
	s, e := at(day, hour), at(day, hour).Add(2*time.Hour)
	ev := event.Event{OrgID: orgID, KindID: k.ID, Title: title, Status: event.Held, PlannedStart: s, PlannedEnd: e,
		HeldStart: s, HeldEnd: e, Place: "党员活动室", Recorder: "组织委员", Topics: topics, Minutes: "会议按议程进行，与会党员逐一发言。"}
	makeup := k.AllowsMakeup
	return store.EventImport{Event: ev, MarkFor: func(_ int64, d date.Date) (event.MarkInput, bool) {
		return g.mark(d, makeup), true
	}}, true
}

// mark is one row's mark: most present, a few on leave with a reason, one
// or two absent; where make-ups are allowed most who missed made it up
// within ten days.
func (g *generator) mark(day date.Date, makeup bool) event.MarkInput {
	m := event.MarkInput{Mark: event.Present}
	switch r := g.rng.IntN(100); {
	case r < 5:
		m.Mark, m.LeaveReason = event.Leave, g.pick(leaveReasons)
	case r < 7:
		m.Mark = event.Absent
	}
	if m.Mark != event.Present && makeup && g.rng.IntN(10) < 7 {
		if on := day.AddDate(0, 0, 1+g.rng.IntN(10)); on.Before(g.o.Today) {
			m.MadeUpOn, m.MakeupHow = on, g.pick(makeupWays)
		}
	}
	return m
}

func (g *generator) branchMonth(b *branch, m date.Date) []store.EventImport {
	var out []store.EventImport
	add := func(e store.EventImport, ok bool) {
		if ok {
			out = append(out, e)
		}
	}
	if !g.missed() && len(b.seats) > 0 {
		add(g.held(b.org.ID, "branch_committee", workday(m.AddDate(0, 0, 2)), 9, fmt.Sprintf("%d月支委会", m.Month()), "研究本月党建工作"))
	}
	for i, gr := range b.groups {
		if !g.missed() {
			add(g.held(gr.ID, "group_meeting", workday(m.AddDate(0, 0, 8+i)), 16, fmt.Sprintf("%d月党小组会", m.Month()), g.pick(studyTopics)))
		}
	}
	if !g.missed() {
		add(g.held(b.org.ID, "theme_day", workday(m.AddDate(0, 0, 18)), 9, fmt.Sprintf("%d月主题党日：%s", m.Month(), g.pick(themeDays)), "重温入党誓词；集中学习；交纳党费。"))
	}
	if g.rng.IntN(3) > 0 {
		topic := g.pick(studyTopics)
		add(g.held(b.org.ID, "study_session", workday(m.AddDate(0, 0, 12)), 15, "集中学习："+topic, topic))
	}
	if int(m.Month()-1)%3 == 1 { // the middle month of the quarter
		q := event.Quarter(m)
		if !g.missed() {
			add(g.held(b.org.ID, "branch_congress", workday(m.AddDate(0, 0, 14)), 14, fmt.Sprintf("%d年第%d季度支部党员大会", m.Year(), q), "通报支部工作；讨论发展党员事项"))
		}
		if !g.missed() {
			topic := g.pick(lectureTopics)
			e, ok := g.held(b.org.ID, "party_lecture", workday(m.AddDate(0, 0, 23)), 15, fmt.Sprintf("第%d季度党课：%s", q, topic), topic)
			if ok && len(b.seats) > 0 {
				e.Event.Speakers = []event.Speaker{{PersonID: b.seats[0], Topic: topic}}
			}
			add(e, ok)
		}
	}
	if m.Month() == time.January {
		add(g.held(b.org.ID, "org_life", workday(m.AddDate(0, 0, 20)), 9, fmt.Sprintf("%d年度组织生活会", m.Year()-1), "对照党章党规，开展批评和自我批评"))
		add(g.held(b.org.ID, "democratic_review", workday(m.AddDate(0, 0, 21)), 14, fmt.Sprintf("%d年度民主评议党员", m.Year()-1), "党员自评、互评、民主测评"))
	}
	return out
}

// notes writes, each quarter, about one note or reflection for every five
// members of a branch, by the members of its committee, on a day of that
// quarter, through RecordLearningNotes.
func (g *generator) notes() error {
	start := firstOfMonth(g.o.Today).AddDate(0, -12*g.o.Years+1, 0)
	g.bar.stage("学习笔记", len(g.branches))
	for _, b := range g.branches {
		if len(b.seats) == 0 {
			g.bar.add(1)
			continue
		}
		var notes []learning.Note
		for q := start; q.Before(g.o.Today); q = q.AddDate(0, 3, 0) {
			writers := (b.members + 4) / 5
			for range writers {
				on := q.AddDate(0, 0, g.rng.IntN(90))
				if !on.Before(g.o.Today) {
					continue
				}
				kind, title := learning.StudyNote, "学习"+g.pick(studyTopics)+"笔记"
				if g.rng.IntN(3) == 0 {
					kind, title = learning.Reflection, "学习"+g.pick(studyTopics)+"心得体会"
				}
				body := "通过学习，深刻认识到" + g.pick(lectureTopics) + "的重大意义。作为政法干警，要把学习成果转化为执法为民的实际行动，" +
					"坚持严格规范公正文明执法，不断提升履职能力。"
				notes = append(notes, learning.Note{PersonID: b.seats[g.rng.IntN(len(b.seats))], Kind: kind, Title: title, Body: body, WrittenOn: on})
			}
		}
		if len(notes) > 0 {
			if err := g.st.RecordLearningNotes(g.ctx, audit.System, auth.Everything, notes); err != nil {
				return fmt.Errorf("gen: notes of %s: %w", b.org.Name, err)
			}
			g.res.Notes += len(notes)
		}
		g.bar.add(1)
	}
	return nil
}

var problems = []string{"理论学习不够深入系统", "支部组织生活质量不高", "党员教育管理存在薄弱环节", "落实“三会一课”制度不够严格", "党建与业务融合不够紧密"}

// ledger opens a few rectification items (整改事项) a year in about one
// branch in ten; most are closed, some run past their deadline.
func (g *generator) ledger() error {
	g.bar.stage("整改台账", len(g.branches))
	for i, b := range g.branches {
		g.bar.add(1)
		if i%10 != 0 || len(b.seats) == 0 {
			continue
		}
		for y := range g.o.Years {
			opened := g.o.Today.AddDate(-y, -1-g.rng.IntN(10), -g.rng.IntN(28))
			item := &ledger.Item{OrgID: b.org.ID, Source: ledger.Manual, Problem: g.pick(problems), Measures: "制定整改措施，明确责任人和时限，按期销号。",
				OwnerID: b.seats[0], OpenedOn: opened, Deadline: opened.AddDate(0, 0, 30+g.rng.IntN(60))}
			if err := g.st.CreateLedgerItem(g.ctx, audit.System, auth.Everything, item); err != nil {
				return fmt.Errorf("gen: ledger item of %s: %w", b.org.Name, err)
			}
			g.res.LedgerItems++
			if closed := item.Deadline.AddDate(0, 0, -g.rng.IntN(20)); g.rng.IntN(4) > 0 && closed.Before(g.o.Today) {
				if _, err := g.st.CloseLedgerItem(g.ctx, audit.System, auth.Everything, item.ID, item.Version, closed, "已按措施完成整改"); err != nil {
					return fmt.Errorf("gen: closing a ledger item of %s: %w", b.org.Name, err)
				}
			}
		}
	}
	return nil
}
