package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/store"
)

// lifeMonths is how far back the demo's organisational life goes: a year and
// a half, so this half-year's figures have the same half-year a year earlier
// to be compared with.
const lifeMonths = 18

// life writes a year and a half of organisational life through the store's
// event APIs, modelled on the seeds' half-year (集中学习16次, 专题研讨4场,
// 授课5人次, 支部党员大会6次, 支委会18次, 书记办公会6次 with 15 decisions, a
// five-day 专题读书班): every branch's meetings at the frequencies the rules
// require, with a few real gaps so the compliance calendar has something to
// warn about, attendance with leave and make-ups, topics, minutes and speakers.
type life struct {
	ctx   context.Context
	st    *store.Store
	tr    *tree
	c     *cast
	rng   *rand.Rand
	today date.Date
	kinds map[string]int64
	// events recorded, and when next to refresh PostgreSQL's statistics
	// (store.RefreshStatistics): each time the events have doubled
	events, refreshAt int
}

// The real gaps: 第三党支部 held no 支部党员大会 in the last quarter that has
// ended, 第二党支部 skipped 主题党日 two months ago, and 第一党支部's second
// 党小组 skipped its meeting three months ago.
func (l *life) gap(branch int, code string, month date.Date) bool {
	lastQuarter := event.PeriodOf(event.Quarterly, l.today).Start.AddDate(0, -3, 0)
	switch {
	case branch == 2 && code == "branch_congress":
		return !month.Before(lastQuarter) && month.Before(lastQuarter.AddDate(0, 3, 0))
	case branch == 1 && code == "theme_day":
		return month == firstOfMonth(l.today).AddDate(0, -2, 0)
	case branch == 101 && code == "group_meeting": // branch 0's second group
		return month == firstOfMonth(l.today).AddDate(0, -3, 0)
	}
	return false
}

func firstOfMonth(d date.Date) date.Date { return date.Of(d.Year(), d.Month(), 1) }

// at is a time of a China day.
func at(d date.Date, hour, minute int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, event.China)
}

// workday moves a date forward off a weekend.
func workday(d date.Date) date.Date {
	for d.Time().Weekday() == time.Saturday || d.Time().Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// weekday is the first given weekday on or after d.
func weekday(d date.Date, w time.Weekday) date.Date {
	for d.Time().Weekday() != w {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func recordLife(ctx context.Context, st *store.Store, tr *tree, c *cast, today date.Date, rng *rand.Rand) error {
	if err := st.SeedEvents(ctx); err != nil {
		return fmt.Errorf("demo: event kinds: %w", err)
	}
	ks, err := st.EventKinds(ctx)
	if err != nil {
		return err
	}
	l := &life{ctx: ctx, st: st, tr: tr, c: c, rng: rng, today: today, kinds: map[string]int64{}, refreshAt: 16}
	for _, k := range ks {
		if k.Code != "" {
			l.kinds[k.Code] = k.ID
		}
	}
	start := firstOfMonth(today).AddDate(0, -lifeMonths+1, 0)
	for m := start; !m.After(today.AddDate(0, 1, 0)); m = m.AddDate(0, 1, 0) {
		for b := range l.tr.branches {
			if err := l.branchMonth(b, m); err != nil {
				return err
			}
		}
		if err := l.rootMonth(m); err != nil {
			return err
		}
	}
	if err := l.readingClass(); err != nil {
		return err
	}
	if err := l.writeNotes(); err != nil {
		return err
	}
	return l.planStudy()
}

// plan is one event the demo records.
type plan struct {
	org      int64
	code     string
	also     []string
	day      date.Date
	days     int // 0 or 1: one day
	hour     int
	title    string
	place    string
	host     string
	topics   string
	minutes  string
	speakers []event.Speaker
	decide   []string
	invitees []int64 // a chosen list instead of the kind's audience
}

// record creates the event: held with its attendance when its day is past,
// planned when it is still to come (only the coming month is planned).
func (l *life) record(p plan) error {
	if p.day.After(l.today.AddDate(0, 1, 0)) {
		return nil
	}
	if p.hour == 0 {
		p.hour = 15
	}
	days := max(p.days, 1)
	start := at(p.day, p.hour, 0)
	end := start.Add(2 * time.Hour)
	if days > 1 {
		end = at(p.day.AddDate(0, 0, days-1), 17, 30)
	}
	e := event.Event{OrgID: p.org, KindID: l.kinds[p.code], Title: p.title, Status: event.Planned,
		PlannedStart: start, PlannedEnd: end, Place: p.place, Host: p.host, Speakers: p.speakers}
	if len(p.invitees) > 0 {
		e.Audience = event.Chosen
	}
	for _, code := range p.also {
		e.AlsoKinds = append(e.AlsoKinds, l.kinds[code])
	}
	held := p.day.Before(l.today)
	if held {
		e.Status, e.HeldStart, e.HeldEnd = event.Held, start, end
		e.Topics, e.Minutes = p.topics, p.minutes
		e.Recorder = "组织委员"
		for _, d := range p.decide {
			e.Decisions = append(e.Decisions, event.Decision{Content: d})
		}
	}
	if err := l.st.CreateEvent(l.ctx, audit.System, auth.Everything, &e, p.invitees); err != nil {
		return fmt.Errorf("demo: %s %s: %w", p.title, p.day, err)
	}
	if l.events++; l.events == l.refreshAt {
		if err := l.st.RefreshStatistics(l.ctx); err != nil {
			return err
		}
		l.refreshAt *= 2
	}
	if !held {
		return nil
	}
	return l.attend(&e)
}

// leaveReasons are why people asked for leave (请假).
var leaveReasons = []string{"出差办案", "参加上级培训", "值班备勤", "病假", "外出调研", "陪护家人住院", "参加庭审", "下沉社区开展矛盾纠纷排查"}

// makeupWays are how those who missed a learning session made it up (补课).
var makeupWays = []string{"自学会议材料并撰写心得", "观看会议录像", "参加党小组集中补学", "书记单独谈话补课"}

// attend marks the frozen list of a held event: most present, a few on leave
// with a reason, one or two absent; at a session that allows make-ups, most
// of those who missed it made it up within ten days.
func (l *life) attend(e *event.Event) error {
	list, err := l.st.EventAttendance(l.ctx, auth.Everything, e.ID)
	if err != nil || len(list) == 0 {
		return err
	}
	makeup := l.makeupAllowed(e.KindID)
	marks := make([]event.MarkInput, 0, len(list))
	for _, a := range list {
		m := event.MarkInput{PersonID: a.PersonID, Day: a.Day, Mark: event.Present}
		switch r := l.rng.IntN(100); {
		case r < 5:
			m.Mark, m.LeaveReason = event.Leave, leaveReasons[l.rng.IntN(len(leaveReasons))]
		case r < 7:
			m.Mark = event.Absent
		}
		if m.Mark != event.Present && makeup && l.rng.IntN(10) < 7 {
			on := a.Day.AddDate(0, 0, 1+l.rng.IntN(10))
			if on.Before(l.today) {
				m.MadeUpOn, m.MakeupHow = on, makeupWays[l.rng.IntN(len(makeupWays))]
			}
		}
		marks = append(marks, m)
	}
	if _, err := l.st.MarkAttendance(l.ctx, audit.System, auth.Everything, e.ID, marks, event.BySecretary); err != nil {
		return fmt.Errorf("demo: attendance of %s: %w", e.Title, err)
	}
	return nil
}

func (l *life) makeupAllowed(kindID int64) bool {
	for _, code := range []string{"party_lecture", "theme_day", "study_session", "seminar", "reading_class", "lecture_report", "warning_education", "field_teaching"} {
		if l.kinds[code] == kindID {
			return true
		}
	}
	return false
}

func (l *life) pick(list []string) string { return list[l.rng.IntN(len(list))] }

// branchMonth records a branch's month: 支委会 early in the month, each
// 党小组会, 主题党日, and in the quarter's months the 支部党员大会 and 党课;
// in January the 组织生活会 and 民主评议党员 of the year before.
func (l *life) branchMonth(b int, m date.Date) error {
	br := l.tr.branches[b]
	secretary := l.c.list[l.c.committees[b][0]]
	room := fmt.Sprintf("机关%d楼党员活动室", 3+b)
	q := event.Quarter(m)
	if !l.gap(b, "branch_committee", m) {
		if err := l.record(plan{org: br.ID, code: "branch_committee", day: workday(m.AddDate(0, 0, 2+b)), hour: 9,
			title: fmt.Sprintf("%d月支委会", m.Month()), place: room, host: secretary.Name,
			topics: l.pick(committeeTopics), minutes: "支委会成员逐项研究议题，形成一致意见，会议决定按程序提交支部党员大会讨论。"}); err != nil {
			return err
		}
	}
	for g := range l.tr.groups[b] {
		if l.gap(100+b*10+g, "group_meeting", m) {
			continue
		}
		leader := l.c.list[l.c.groupLeaders[b][g]]
		if err := l.record(plan{org: l.tr.groups[b][g].ID, code: "group_meeting", day: workday(m.AddDate(0, 0, 9+g+b)), hour: 16,
			title: fmt.Sprintf("%d月党小组会", m.Month()), place: room, host: leader.Name,
			topics: l.pick(groupTopics), minutes: "组长传达支部工作安排，党员逐一交流学习体会和本月工作情况。"}); err != nil {
			return err
		}
	}
	quarterMonth := int(m.Month()-1)%3 == 1 // the middle month of the quarter
	if quarterMonth && !l.gap(b, "branch_congress", m) {
		if err := l.record(plan{org: br.ID, code: "branch_congress", day: workday(m.AddDate(0, 0, 14+b)), hour: 14,
			title: fmt.Sprintf("%d年第%d季度支部党员大会", m.Year(), q), place: "机关第一会议室", host: secretary.Name,
			topics:  "1. 通报支部本季度工作情况\n2. 讨论入党积极分子培养考察情况\n3. 部署下季度重点工作",
			minutes: "应到党员全部通知到位，会议听取支部工作通报，讨论通过相关事项。",
			decide:  []string{"同意支委会关于本季度党员教育培训安排的意见", "确定下季度“我为群众办实事”实践活动项目"}}); err != nil {
			return err
		}
	}
	if !l.gap(b, "theme_day", m) {
		if err := l.record(plan{org: br.ID, code: "theme_day", day: workday(m.AddDate(0, 0, 19+b)), hour: 9,
			title: fmt.Sprintf("%d月主题党日：%s", m.Month(), l.pick(themeDays)), place: "市党性教育基地", host: secretary.Name,
			topics: "重温入党誓词；集中学习；交纳党费；开展志愿服务。", minutes: "全体党员重温入党誓词，开展集中学习和志愿服务。"}); err != nil {
			return err
		}
	}
	if quarterMonth {
		// The secretary gives the first 党课 of the year himself (书记讲党课);
		// the others are given by a committee member or an invited teacher.
		speaker := event.Speaker{PersonID: secretary.ID, Topic: l.pick(lectureTopics)}
		if q > 1 {
			speaker = event.Speaker{PersonID: l.c.list[l.c.committees[b][2]].ID, Topic: l.pick(lectureTopics)}
		}
		if err := l.record(plan{org: br.ID, code: "party_lecture", day: workday(m.AddDate(0, 0, 24+b)), hour: 15,
			title: fmt.Sprintf("第%d季度党课：%s", q, speaker.Topic), place: "机关第一会议室", host: secretary.Name,
			speakers: []event.Speaker{speaker}, topics: speaker.Topic, minutes: "授课人围绕主题讲授党课，党员认真听讲并做笔记。"}); err != nil {
			return err
		}
	}
	if m.Month() == time.January {
		last := m.Year() - 1
		if err := l.record(plan{org: br.ID, code: "org_life", day: workday(m.AddDate(0, 0, 21+b)), hour: 9,
			title: fmt.Sprintf("%d年度组织生活会", last), place: "机关第一会议室", host: secretary.Name,
			topics:  "对照党章党规，查摆问题，开展批评和自我批评。",
			minutes: "支部书记代表支委会作检视剖析，党员逐一发言，开展批评和自我批评，形成问题清单和整改措施。"}); err != nil {
			return err
		}
		if err := l.record(plan{org: br.ID, code: "democratic_review", day: workday(m.AddDate(0, 0, 22+b)), hour: 14,
			title: fmt.Sprintf("%d年度民主评议党员", last), place: "机关第一会议室", host: secretary.Name,
			topics: "党员个人自评、党员互评、民主测评。", minutes: "评议结果：优秀、合格等次按规定确定并向党员本人反馈。"}); err != nil {
			return err
		}
	}
	return nil
}

// rootMonth records the 机关党委's month: 书记办公会 with its collective
// decisions, 集中学习 on Thursdays (about sixteen a half-year), a 专题研讨
// in the quarter's last month, and a 辅导报告会 by an invited teacher in the
// spring and autumn.
func (l *life) rootMonth(m date.Date) error {
	root := l.tr.root.ID
	boss := l.c.list[l.c.secretary]
	n := 2 + l.rng.IntN(2)
	var decide []string
	for range n {
		decide = append(decide, l.pick(decisions))
	}
	if err := l.record(plan{org: root, code: "secretary_office", day: workday(m.AddDate(0, 0, 4)), hour: 9,
		title: fmt.Sprintf("%d月书记办公会", m.Month()), place: "机关第二会议室", host: boss.Name,
		topics: "研究机关党建重点工作", minutes: "会议逐项研究议题，作出决定。", decide: decide}); err != nil {
		return err
	}
	thursdays := []int{0, 2}
	if m.Month()%2 == 0 {
		thursdays = append(thursdays, 3)
	}
	for _, w := range thursdays {
		day := weekday(m, time.Thursday).AddDate(0, 0, 7*w)
		if day.Month() != m.Month() {
			continue
		}
		topic := l.pick(studyTopics)
		if err := l.record(plan{org: root, code: "study_session", day: day, hour: 15,
			title: "周四集中学习：" + topic, place: "机关第二会议室", host: boss.Name, invitees: l.cadres(),
			topics: topic, minutes: "集中学习文件原文，结合政法工作实际交流发言。"}); err != nil {
			return err
		}
	}
	if int(m.Month())%3 == 0 {
		topic := l.pick(seminarTopics)
		if err := l.record(plan{org: root, code: "seminar", day: workday(m.AddDate(0, 0, 17)), hour: 9,
			title: "专题研讨：" + topic, place: "机关第二会议室", host: boss.Name, topics: topic, invitees: l.cadres(),
			speakers: []event.Speaker{{PersonID: l.c.list[l.c.execDeputy].ID, Topic: topic}},
			minutes:  "与会同志围绕主题逐一发言，查找差距，提出措施。"}); err != nil {
			return err
		}
	}
	if m.Month() == time.April || m.Month() == time.October || m.Month() == time.June {
		sp := teachers[int(m.Month())%len(teachers)]
		if err := l.record(plan{org: root, code: "lecture_report", day: workday(m.AddDate(0, 0, 25)), hour: 14,
			title: "辅导报告会：" + sp.Topic, place: "市委党校报告厅", host: boss.Name, topics: sp.Topic,
			speakers: []event.Speaker{sp}, minutes: "邀请专家作专题辅导报告，全体党员干部参加。"}); err != nil {
			return err
		}
	}
	return nil
}

// cadres are the 机关党员干部 of the 周四集中学习 and the 专题研讨: the
// 政法委's leaders, the 610办 and 法学会 heads, every branch committee and
// every 党小组组长 (about twenty, so sixteen sessions make the seed's 320人次).
func (l *life) cadres() []int64 {
	c := l.c
	idx := []int{c.secretary, c.execDeputy, c.deputy, c.officeHead, c.head610, c.lawSociety}
	for b := range c.committees {
		idx = append(idx, c.committees[b][:]...)
		idx = append(idx, c.groupLeaders[b][:]...)
	}
	out := make([]int64, len(idx))
	for i, n := range idx {
		out[i] = c.list[n].ID
	}
	return out
}

// readingClass is the seed's five-day 专题读书班, held in the half-year's
// third month, with attendance per day and make-ups.
func (l *life) readingClass() error {
	first := weekday(firstOfMonth(l.today).AddDate(0, -3, 0), time.Monday)
	return l.record(plan{org: l.tr.root.ID, code: "reading_class", day: first, days: 5, hour: 9,
		title: "党史学习教育专题读书班", place: "市委党校", host: l.c.list[l.c.secretary].Name,
		topics: "集中研读《中国共产党简史》等指定书目；专题辅导；分组研讨；交流心得。",
		speakers: []event.Speaker{{Name: "王建国", Title: "市委党校教授", Topic: "百年党史的宝贵经验"},
			{PersonID: l.c.list[l.c.secretary].ID, Topic: "学党史、悟思想、办实事、开新局"}},
		minutes: "读书班为期五天，采取个人自学、专题辅导、分组研讨、交流发言相结合的方式进行。"})
}

var committeeTopics = []string{
	"研究本月党员教育学习安排", "研究入党积极分子培养考察事项", "研究党费收缴和使用情况",
	"研究“我为群众办实事”实践活动方案", "研究支部党员大会议题", "研究意识形态工作和党风廉政建设",
}

var groupTopics = []string{
	"学习《中国共产党政法工作条例》", "交流本月执法办案中的体会", "学习党章第一章", "开展谈心谈话",
	"学习习近平法治思想", "讨论党员先锋岗创建",
}

var themeDays = []string{"重温入党誓词", "走进社区办实事", "参观廉政教育基地", "学习英模事迹", "法治宣传进社区", "结对帮扶走访"}

var lectureTopics = []string{
	"坚持党对政法工作的绝对领导", "锻造忠诚干净担当的政法铁军", "学习贯彻党的二十大精神",
	"以案促改，筑牢拒腐防变思想防线", "发扬传统、坚定信念、执法为民",
}

var studyTopics = []string{
	"习近平新时代中国特色社会主义思想", "党的二十大报告", "《中国共产党政法工作条例》", "社会主义法治理念",
	"坚持党对政法工作绝对领导", "《中国共产党纪律处分条例》", "习近平法治思想", "平安建设和基层治理",
}

var seminarTopics = []string{"坚持和发展新时代“枫桥经验”", "政法队伍教育整顿成果巩固", "以党建引领政法工作高质量发展", "防范化解重大风险"}

var teachers = []event.Speaker{
	{Name: "李明华", Title: "市委党校教授", Topic: "习近平法治思想的核心要义"},
	{Name: "赵文静", Title: "省委政法委政策研究室主任", Topic: "新时代政法工作的形势与任务"},
	{Name: "孙立平", Title: "市委党校副教授", Topic: "党史中的政法建设"},
}

var decisions = []string{
	"审议通过机关党委年度党建工作要点", "确定年度党员发展计划", "审定“七一”表彰名单",
	"研究部署专题读书班安排", "同意召开机关党委理论学习中心组学习", "审定党费使用计划",
	"研究基层党组织换届事项", "确定结对帮扶村慰问方案", "审议党风廉政建设责任清单",
}
