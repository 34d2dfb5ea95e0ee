package demo

import (
	"fmt"
	"strings"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/learning"
	"dangjian/internal/people"
)

// writeNotes gives the party members a year and a half of study notes and
// reflections written online, fewer the further back (the seed reports both
// up on the year before: 笔记 +15%, 心得 +20%), so the per-capita figures
// show a year-on-year rise. A member writes two to four notes and one or two
// reflections a half-year, a few hundred characters each; the secretary's
// 学习笔记检查 and the figures read them like any others.
func (l *life) writeNotes() error {
	start := firstOfMonth(l.today).AddDate(0, -lifeMonths+1, 0)
	span := event.DaysFrom(start, l.today)
	// Half the reflections written while a campaign of the 机关党委 ran
	// (党史学习教育) belong to it.
	campaigns, err := l.st.Campaigns(l.ctx, auth.Scope{OrgPath: l.tr.root.Path})
	if err != nil {
		return err
	}
	var notes []learning.Note
	for i := range l.c.list {
		p := &l.c.list[i]
		if !p.Status.IsMember() || p.ID == 0 || isLeaving(l.c, i) {
			continue
		}
		// Over 18 months: about 9 notes and 5 reflections, the older months thinner.
		for range 6 + l.rng.IntN(7) {
			if on, ok := l.noteDay(start, span); ok {
				notes = append(notes, l.note(p, learning.StudyNote, on))
			}
		}
		for range 3 + l.rng.IntN(5) {
			if on, ok := l.noteDay(start, span); ok {
				n := l.note(p, learning.Reflection, on)
				for _, c := range campaigns {
					if c.OrgID == l.tr.root.ID && !on.Before(c.StartsOn) && !on.After(c.EndsOn) && l.rng.IntN(2) == 0 {
						n.CampaignID, n.Title = c.ID, "学习"+c.Name+"心得体会"
						break
					}
				}
				notes = append(notes, n)
			}
		}
	}
	if err := l.st.RecordLearningNotes(l.ctx, audit.System, auth.Everything, notes); err != nil {
		return fmt.Errorf("demo: notes: %w", err)
	}
	return nil
}

// isLeaving reports whether the cast's person i transferred out (their
// record stays, they write nothing).
func isLeaving(c *cast, i int) bool {
	for _, j := range c.leaving {
		if i == j {
			return true
		}
	}
	return false
}

// noteDay draws the day of a note: later days likelier (the rise on the
// year before), none in the future.
func (l *life) noteDay(start date.Date, span int) (date.Date, bool) {
	// One note in eight is drawn as the larger of two days, leaning towards
	// recent months: about a sixth more this half-year than a year earlier.
	a, b := l.rng.IntN(span), l.rng.IntN(span)
	if l.rng.IntN(8) == 0 {
		a = max(a, b)
	}
	on := start.AddDate(0, 0, a)
	return on, on.Before(l.today)
}

func (l *life) note(p *people.Person, kind learning.NoteKind, on date.Date) learning.Note {
	var title string
	var b strings.Builder
	sentences := 6 + l.rng.IntN(14)
	if kind == learning.Reflection {
		title = "学习" + l.pick(studyTopics) + "心得体会"
		sentences += 8
	} else {
		title = fmt.Sprintf("%d月学习笔记：%s", on.Month(), l.pick(studyTopics))
	}
	for k := range sentences {
		if k > 0 && k%4 == 0 {
			b.WriteString("\n")
		}
		b.WriteString(noteSentences[l.rng.IntN(len(noteSentences))])
	}
	return learning.Note{PersonID: p.ID, Kind: kind, Title: title, Body: b.String(), WrittenOn: on}
}

var noteSentences = []string{
	"坚持党对政法工作的绝对领导，是新时代政法工作的根本原则。",
	"要把学习成果转化为推动工作的实际成效，做到学思用贯通、知信行统一。",
	"作为一名政法干警，必须牢记初心使命，始终做到忠诚干净担当。",
	"通过本次学习，我进一步认识到坚持以人民为中心的发展思想的重要意义。",
	"在今后的工作中，要坚持严格规范公正文明执法，让人民群众在每一个司法案件中感受到公平正义。",
	"要坚持和发展新时代“枫桥经验”，把矛盾纠纷化解在基层、化解在萌芽状态。",
	"对照先进找差距，我在理论学习的系统性和深入性方面还存在不足。",
	"要加强政治理论学习，不断提高政治判断力、政治领悟力、政治执行力。",
	"全面依法治国是国家治理的一场深刻革命，政法机关肩负着重要职责。",
	"要以案为鉴、以案促改，筑牢拒腐防变的思想防线。",
	"平安建设是人民群众的殷切期盼，要统筹发展和安全，防范化解重大风险。",
	"学习党史，就是要从党的百年奋斗中汲取智慧和力量。",
	"要落实意识形态工作责任制，守好政法阵地。",
	"我将以更高的标准要求自己，在本职岗位上发挥党员先锋模范作用。",
	"基层治理是国家治理的基石，网格化管理要做到精准、精细、精致。",
	"要深入开展“我为群众办实事”实践活动，切实解决群众急难愁盼问题。",
}

// planStudy writes the 机关党委's plan for the coming half-year — 每周四集中学习
// and 每周五业务课堂, with two required readings in the library — and
// creates its sessions, from the month after the demo's planned meetings.
func (l *life) planStudy() error {
	root := l.tr.root
	var readings []learning.Reading
	for _, m := range []learning.Material{
		{OrgID: root.ID, Title: "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗——在中国共产党第二十次全国代表大会上的报告",
			URL: "https://www.gov.cn/xinwen/2022-10/25/content_5721685.htm", Summary: "党的二十大报告全文。"},
		{OrgID: root.ID, Title: "中国共产党政法工作条例", URL: "https://www.gov.cn/zhengce/2019-01/18/content_5359135.htm",
			Summary: "2019年1月中共中央印发，规范党领导政法工作。"},
	} {
		if err := l.st.AddLearningMaterial(l.ctx, audit.System, auth.Everything, &m); err != nil {
			return fmt.Errorf("demo: material %s: %w", m.Title, err)
		}
		readings = append(readings, learning.Reading{MaterialID: m.ID, Required: true})
	}
	from := firstOfMonth(l.today).AddDate(0, 2, 0)
	to := from.AddDate(0, 6, -1)
	p := learning.Plan{OrgID: root.ID, Title: fmt.Sprintf("%d年%d月至%d年%d月机关理论学习计划", from.Year(), from.Month(), to.Year(), to.Month()), From: from, To: to,
		Description: "落实“周四集中学习日”“周五业务课堂”“每日1小时自学”制度，组织集中学习和专题研讨。",
		Schedules: []learning.Schedule{
			{KindID: l.kinds["study_session"], Title: "周四集中学习", Repeat: learning.Weekly, Weekday: time.Thursday, Start: "15:00", Minutes: 120, Place: "机关第二会议室"},
			{KindID: l.kinds["study_session"], Title: "周五业务课堂", Repeat: learning.Weekly, Weekday: time.Friday, Start: "16:00", Minutes: 90, Place: "机关第二会议室"},
		},
		Readings: readings}
	if err := l.st.SaveLearningPlan(l.ctx, audit.System, auth.Everything, &p); err != nil {
		return fmt.Errorf("demo: study plan: %w", err)
	}
	if _, err := l.st.CreatePlanSessions(l.ctx, audit.System, auth.Everything, p.ID, true); err != nil {
		return fmt.Errorf("demo: study plan sessions: %w", err)
	}
	return nil
}
