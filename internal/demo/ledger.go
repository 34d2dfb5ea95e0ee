package demo

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/date"
	"dangjian/internal/event"
	"dangjian/internal/ledger"
	"dangjian/internal/store"
)

// The seed's 党史学习教育: a campaign of the 机关党委 run by its 领导小组 with
// its 实施方案, each branch's 专题组织生活会 and the 机关党委's 民主生活会 with
// criticism and self-criticism, and the 检视问题整改台账 those meetings
// raised — some done on time, one done late, some still in hand and a few
// overdue, so the ledger, its warnings and its figures have something to
// show on the first day.

const historyPlan = `一、总体要求：以习近平新时代中国特色社会主义思想为指导，坚持学史明理、学史增信、学史崇德、学史力行，把党史学习教育同政法队伍建设和政法工作结合起来。
二、主要内容：专题学习（每周四集中学习日）、专题读书班（为期5天）、专题辅导报告会、红色教育基地现场教学、“我为群众办实事”实践活动、专题组织生活会。
三、方法步骤：学习教育（3月至5月）、专题研讨（6月）、检视整改（7月至年底），各党支部建立检视问题整改台账，逐项明确措施、责任人和时限，按月报送进展。
四、组织领导：成立党史学习教育领导小组，领导小组办公室设在机关党委，负责统筹协调、督促指导和情况汇总。`

// lifeProblem is a problem found at a meeting with the measures that fix it.
type lifeProblem struct{ text, measures string }

var lifeProblems = []lifeProblem{
	{"理论学习不够系统深入，学用结合不够紧密", "制定个人学习计划，每周四参加集中学习，每季度撰写一篇心得体会"},
	{"联系服务群众不够经常，调查研究不够深入", "每月到联系点走访调研一次，建立群众诉求台账"},
	{"落实“三会一课”制度记录不够规范", "统一会议记录格式，支委会每月检查一次记录"},
	{"发挥党员先锋模范作用不够明显", "开展党员亮身份、作表率活动，设立党员示范岗"},
	{"开展谈心谈话不够经常，批评与自我批评辣味不足", "支部书记与每名党员每半年至少谈心一次"},
	{"执法办案中群众观点树得不牢，服务意识有待增强", "开展执法规范化专题培训，落实案件回访制度"},
	{"对新时代政法工作新要求研究不够，创新意识不强", "组织专题研讨，形成调研报告并推动成果转化"},
	{"党史学习笔记和心得体会质量不高", "开展学习笔记评比，支部每月抽查通报"},
	{"工作作风不够扎实，有时存在等靠思想", "建立重点工作清单，实行周调度、月通报"},
	{"对身边苗头性问题提醒不及时，廉洁自律要求落实不够严格", "开展警示教育，签订廉洁自律承诺书"},
	{"基层一线走访次数偏少，掌握基层情况不够全面", "落实“双报到”要求，每季度到社区报到服务"},
	{"主题党日活动形式单一，吸引力不强", "结合红色教育基地开展现场教学，丰富活动形式"},
	{"业务工作与党建工作结合不够，存在“两张皮”现象", "把党建任务纳入业务考核，实行同部署同检查"},
	{"履行“一岗双责”不够到位", "制定班子成员责任清单，每半年报告一次履责情况"},
	{"线上学习参与度不高", "每月通报线上学习情况，纳入党员积分管理"},
	{"意识形态工作责任落实不够细", "每季度分析研判一次意识形态形势，建立工作台账"},
	{"推动重点工作落实的办法不多，督办力度不够", "建立督办台账，逐项跟踪问效"},
}

// demoItem says how an item of the ledger stands today: days after the
// meeting its deadline falls, and the day it was closed (0: still open).
type demoItem struct{ deadline, closed int }

// itemPlan cycles through the outcomes a real ledger shows.
var itemPlan = []demoItem{
	{30, 25}, {45, 40}, {60, 0}, {30, 0}, {60, 50}, {90, 0}, {30, 38}, {45, 44}, {120, 0}, {45, 0}, {60, 55}, {90, 0}, {30, 28}, {150, 0}, {60, 0}, {45, 30}, {90, 70},
}

// createLedger creates the campaign, its meetings, their records and the ledger.
func createLedger(ctx context.Context, st *store.Store, tr *tree, c *cast, today date.Date) error {
	if err := st.SeedEvents(ctx); err != nil {
		return fmt.Errorf("demo: event kinds: %w", err)
	}
	kinds, err := st.EventKinds(ctx)
	if err != nil {
		return err
	}
	kind := map[string]int64{}
	for _, k := range kinds {
		kind[k.Code] = k.ID
	}
	groups, err := st.WorkingGroups(ctx, auth.Everything)
	if err != nil {
		return err
	}
	camp := &ledger.Campaign{OrgID: tr.root.ID, Name: "党史学习教育", Kind: ledger.StudyCampaign, StartsOn: today.AddDate(0, 0, -160),
		EndsOn: today.AddDate(0, 0, 30), Plan: historyPlan}
	for _, g := range groups {
		if g.Name == "党史学习教育领导小组" {
			camp.GroupID = g.ID
		}
	}
	if err := st.SaveCampaign(ctx, audit.System, auth.Everything, camp); err != nil {
		return fmt.Errorf("demo: campaign: %w", err)
	}

	type meeting struct {
		orgID  int64
		code   string
		title  string
		ago    int   // days before today it was held
		people []int // indexes into c.list of those who keep a record
	}
	var meetings []meeting
	for i, b := range tr.branches {
		seats := append(c.committees[i][:], c.groupLeaders[i][0])
		meetings = append(meetings, meeting{b.ID, "org_life", "党史学习教育专题组织生活会", 75 - 15*i, seats})
	}
	meetings = append(meetings, meeting{tr.root.ID, "democratic_life", "机关党委党史学习教育专题民主生活会", 90, []int{c.secretary, c.execDeputy}})

	n := 0 // problems found so far: each meeting's items take the next outcomes of itemPlan
	for _, m := range meetings {
		day := today.AddDate(0, 0, -m.ago)
		start := time.Date(day.Year(), day.Month(), day.Day(), 14, 30, 0, 0, event.China)
		e := &event.Event{OrgID: m.orgID, KindID: kind[m.code], Title: m.title, Status: event.Held, CampaignID: camp.ID,
			PlannedStart: start, PlannedEnd: start.Add(3 * time.Hour), HeldStart: start, HeldEnd: start.Add(3 * time.Hour),
			Place: "机关党员活动室", Topics: "对照党史学习教育目标任务，查摆问题，开展批评与自我批评，明确整改方向。"}
		if err := st.CreateEvent(ctx, audit.System, auth.Everything, e, nil); err != nil {
			return fmt.Errorf("demo: %s: %w", m.title, err)
		}
		if err := markLife(ctx, st, e); err != nil {
			return err
		}
		for k, i := range m.people {
			p := &c.list[i]
			next := &c.list[m.people[(k+1)%len(m.people)]]
			rec := &ledger.LifeRecord{EventID: e.ID, PersonID: p.ID,
				SelfCriticism:     "对照党史学习教育要求检视自身，" + lifeProblems[n%len(lifeProblems)].text + "。今后将以更高标准要求自己。",
				CriticismGiven:    "对" + next.Name + "同志：希望在抓班子带队伍上更加大胆，敢于较真碰硬。",
				CriticismReceived: "同志们指出：" + lifeProblems[(n+3)%len(lifeProblems)].text + "，诚恳接受，立行立改。"}
			if err := st.SaveLifeRecord(ctx, audit.System, auth.Everything, rec); err != nil {
				return fmt.Errorf("demo: record of %s: %w", p.Name, err)
			}
			found := lifeProblems[n%len(lifeProblems)]
			pr := &ledger.Problem{EventID: e.ID, RecordID: rec.ID, Content: found.text}
			if err := st.AddLifeProblem(ctx, audit.System, auth.Everything, pr); err != nil {
				return err
			}
			plan := itemPlan[n%len(itemPlan)]
			n++
			item := &ledger.Item{Measures: found.measures, OpenedOn: day, Deadline: day.AddDate(0, 0, plan.deadline)}
			if err := st.LedgerFromProblem(ctx, audit.System, auth.Everything, pr.ID, item); err != nil {
				return fmt.Errorf("demo: ledger item %q: %w", found.text, err)
			}
			if err := progressItem(ctx, st, item, day, plan, today); err != nil {
				return err
			}
		}
	}
	return nil
}

// markLife marks everyone expected at a meeting present, but for one on leave.
func markLife(ctx context.Context, st *store.Store, e *event.Event) error {
	list, err := st.EventAttendance(ctx, auth.Everything, e.ID)
	if err != nil {
		return err
	}
	marks := make([]event.MarkInput, 0, len(list))
	for i, a := range list {
		m := event.MarkInput{PersonID: a.PersonID, Day: a.Day, Mark: event.Present}
		if i == len(list)-1 {
			m.Mark, m.LeaveReason = event.Leave, "外出办案"
		}
		marks = append(marks, m)
	}
	_, err = st.MarkAttendance(ctx, audit.System, auth.Everything, e.ID, marks, event.BySecretary)
	return err
}

// progressItem writes an item's progress up to today and closes it when its
// plan says so.
func progressItem(ctx context.Context, st *store.Store, item *ledger.Item, opened date.Date, plan demoItem, today date.Date) error {
	steps := []struct {
		after int
		note  string
	}{{7, "制定整改方案，明确整改措施和时间节点"}, {20, "按整改方案推进，已完成阶段性任务"}}
	for _, s := range steps {
		on := opened.AddDate(0, 0, s.after)
		if on.After(today) || (plan.closed != 0 && s.after >= plan.closed) {
			continue
		}
		if err := st.AddLedgerProgress(ctx, audit.System, auth.Everything, item.ID, &ledger.Progress{On: on, Note: s.note}); err != nil {
			return fmt.Errorf("demo: progress: %w", err)
		}
	}
	if plan.closed == 0 || opened.AddDate(0, 0, plan.closed).After(today) {
		return nil
	}
	cur, err := st.LedgerItem(ctx, auth.Everything, item.ID)
	if err != nil {
		return err
	}
	_, err = st.CloseLedgerItem(ctx, audit.System, auth.Everything, item.ID, cur.Version, opened.AddDate(0, 0, plan.closed),
		"整改措施已全部落实，建立长效机制，经支部委员会验收销号。")
	return err
}
