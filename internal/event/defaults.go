package event

import "dangjian/internal/org"

// DefaultKinds are the kinds an installation starts with: the meetings of
// 《中国共产党支部工作条例（试行）》, the learning sessions the work summaries
// name, and examples of practice, integrity and visits with their outcome
// measures. The store adds any whose Code is missing at start; an
// administrator may rename, change or disable them, and add others.
var DefaultKinds = []Kind{
	{Code: "branch_congress", Name: "支部党员大会", Category: Meeting, Audience: Members, TakesAttendance: true, RecordsDecisions: true, NeedsQuorum: true},
	{Code: "branch_committee", Name: "支委会", Category: Meeting, Audience: CommitteeSeats, TakesAttendance: true, RecordsDecisions: true, NeedsQuorum: true},
	{Code: "group_meeting", Name: "党小组会", Category: Meeting, Audience: Members, TakesAttendance: true},
	{Code: "party_lecture", Name: "党课", Category: Learning, Audience: Members, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "theme_day", Name: "主题党日", Category: Practice, Audience: Members, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "org_life", Name: "组织生活会", Category: Meeting, Audience: Members, TakesAttendance: true},
	{Code: "democratic_review", Name: "民主评议党员", Category: Meeting, Audience: Members, TakesAttendance: true},
	{Code: "democratic_life", Name: "民主生活会", Category: Meeting, Audience: CommitteeSeats, TakesAttendance: true},
	{Code: "secretary_office", Name: "书记办公会", Category: Meeting, Audience: CommitteeSeats, TakesAttendance: true, RecordsDecisions: true},
	{Code: "central_group", Name: "理论学习中心组学习", Category: Learning, Audience: CommitteeSeats, TakesAttendance: true, CountsAsLearning: true, Credit: 20},
	{Code: "forum", Name: "座谈会", Category: Meeting, Audience: Chosen, TakesAttendance: true, Measures: []Measure{
		{Name: "参会人数", Unit: "人", Aggregate: Sum}, {Name: "意见建议", Unit: "条", Aggregate: Sum}, {Name: "纳入整改", Unit: "条", Aggregate: Sum}}},
	{Code: "special_meeting", Name: "专题会议", Category: Meeting, Audience: Chosen, TakesAttendance: true, RecordsDecisions: true},
	{Code: "study_session", Name: "集中学习", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "seminar", Name: "专题研讨", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "reading_class", Name: "专题读书班", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 60, AllowsMakeup: true},
	{Code: "lecture_report", Name: "辅导报告会", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "warning_education", Name: "警示教育", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 20, AllowsMakeup: true},
	{Code: "field_teaching", Name: "现场教学", Category: Learning, Audience: Everyone, TakesAttendance: true, CountsAsLearning: true, Credit: 40, AllowsMakeup: true},
	{Code: "integrity_talk", Name: "廉政谈话", Category: Integrity, Audience: Chosen, TakesAttendance: false},
	{Code: "visit", Name: "走访慰问", Category: Visit, Audience: Chosen, TakesAttendance: false, Measures: []Measure{
		{Name: "走访户数", Unit: "户", Aggregate: Sum}, {Name: "捐款", Unit: "元", Aggregate: Sum},
		{Name: "捐赠物品", Unit: "件", Aggregate: Sum}, {Name: "解决实际问题", Unit: "个", Aggregate: Sum}}},
}

// DefaultRule is a rule of the defaults, naming its kind by code.
type DefaultRule struct {
	OrgKind     org.Kind
	KindCode    string // "" for an idle rule
	Period      Period
	Times       int
	BySecretary bool
}

// DefaultRules are the required frequencies of 《中国共产党支部工作条例（试行）》
// (SPEC.md, Rules): 支部党员大会 quarterly; 支委会, 党小组会 and 主题党日
// monthly; 组织生活会 and 民主评议党员 yearly; 党课 quarterly (local; the
// default) and the secretary's own 党课 yearly; and a branch with no event
// for 30 days is flagged. Seeded once into an empty table, then edited there.
var DefaultRules = []DefaultRule{
	{org.Branch, "branch_congress", Quarterly, 1, false},
	{org.Branch, "branch_committee", Monthly, 1, false},
	{org.Branch, "theme_day", Monthly, 1, false},
	{org.Branch, "party_lecture", Quarterly, 1, false},
	{org.Branch, "party_lecture", Yearly, 1, true},
	{org.Branch, "org_life", Yearly, 1, false},
	{org.Branch, "democratic_review", Yearly, 1, false},
	{org.Group, "group_meeting", Monthly, 1, false},
	{org.Branch, "", Idle, 30, false},
}
