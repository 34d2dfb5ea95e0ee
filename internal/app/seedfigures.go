package app

// SeedFigure is one figure of the two seed work summaries and where it comes
// from: an indicator of the catalogue (Code), or, until its module lands, the
// module that will record it (Gap). docs/indicators.md is made from this list
// and the catalogue, and a test keeps both true.
type SeedFigure struct {
	Seed   string // 党史学习教育总结 or 上半年党建工作总结
	Figure string // as the seed writes it
	Code   string // the indicator, when it exists
	Gap    string // what is missing, when it does not
}

const (
	seedCampaign = "党史学习教育工作总结"
	seedHalfYear = "上半年党建工作总结"

	gapLearning   = "学习笔记、心得体会 — issue 7"
	gapActivities = "实践活动的成效指标 — 台账与活动"
	gapLedger     = "整改台账 — issue 7 / 台账"
	gapCases      = "矛盾纠纷、投诉举报、信访（法定时限）— 案件与诉求"
	gapEvaluation = "民主评议、积分、承诺践诺、表彰 — 评议与激励"
	gapIntegrity  = "廉政与作风（谈话、责任书、制度、监督检查、约谈通报）— 廉政与作风"
	gapGovernance = "基层治理（四项制度、学校、少年警队）— 基层治理"
)

// SeedFigures maps every figure in both seed documents.
func SeedFigures() []SeedFigure {
	return []SeedFigure{
		{seedCampaign, "领导小组（组长、副组长、成员、办公室主任）", "org.working_groups", ""},
		{seedCampaign, "为期5天的专题读书班（6月15日至19日），考勤、补课", "events.held.reading_class", ""},
		{seedCampaign, "专题辅导报告会（邀请的报告人）", "events.held.lecture_report", ""},
		{seedCampaign, "赴红色教育基地开展主题党日活动", "events.held.theme_day", ""},
		{seedCampaign, "“光荣在党50年”党员", "people.honoured", ""},
		{seedCampaign, "走访“光荣在党50年”党员", "events.held.visit", ""},
		{seedCampaign, "排查化解矛盾纠纷5126起", "", gapCases},
		{seedCampaign, "物业纠纷1424起，邻里纠纷1155起，权属纠纷1076起，征地拆迁868起，婚姻家庭603起", "", gapCases},
		{seedCampaign, "在37所学校建立少年警队", "", gapGovernance},
		{seedCampaign, "为全市300余名幼儿园园长开展专题法治讲座", "", gapActivities},
		{seedCampaign, "全市593个自然村均已建立村民议事会", "", gapGovernance},
		{seedCampaign, "议事会成员19012名，其中党员10512名，村民代表8500名", "", gapGovernance},
		{seedCampaign, "捐赠反光衣5000件", "", gapActivities},
		{seedCampaign, "专题组织生活会", "events.held.org_life", ""},
		{seedCampaign, "组织生活会上的批评与自我批评", "life.records", ""},
		{seedCampaign, "检视问题整改台账", "ledger.opened", ""},

		{seedHalfYear, "组织集中学习16次", "events.held.study_session", ""},
		{seedHalfYear, "专题研讨4场", "events.held.seminar", ""},
		{seedHalfYear, "邀请党校教授、业务骨干授课5人次", "learning.speaker_times", ""},
		{seedHalfYear, "覆盖党员干部320人次", "learning.person_times", ""},
		{seedHalfYear, "覆盖率达99%", "learning.coverage", ""},
		{seedHalfYear, "人均完成学习笔记3.2万字，较上年同期提升15%", "learning.notes_per_capita", ""},
		{seedHalfYear, "撰写心得体会1.8篇，较上年同期提升20%", "learning.reflections_per_capita", ""},
		{seedHalfYear, "化解复杂矛盾纠纷12起，化解成功率较去年同期提高25%", "", gapCases},
		{seedHalfYear, "参与基层执法执勤46人次，活动完成率100%，收集建议28条", "", gapActivities},
		{seedHalfYear, "走访贫困户15户，捐款3.2万元，捐赠衣物86件，帮扶5户，解决实际问题7个", "", gapActivities},
		{seedHalfYear, "参观企业2家，政企座谈会3场，法治需求14项，满意度91分、较上年提升4分", "", gapActivities},
		{seedHalfYear, "发放问卷10000份，有效问卷9860份，有效回收率98.6%，问题23项", "", gapActivities},
		{seedHalfYear, "座谈45人，意见建议31条，28条纳入整改计划，整改进度70%", "", gapLedger},
		{seedHalfYear, "先进典型案例5个，2名市级优秀政法干警，1个先进基层党组织", "", gapEvaluation},
		{seedHalfYear, "宣传先进事迹12次，宣讲会2场，覆盖280人次", "", gapActivities},
		{seedHalfYear, "观看警示教育片4部（警示教育）", "events.held.warning_education", ""},
		{seedHalfYear, "通报违法违纪案例3起，专题讨论3场", "", gapIntegrity},
		{seedHalfYear, "个人事项报备率100%", "", gapEvaluation},
		{seedHalfYear, "调整党支部3个", "org.branches_adjusted", ""},
		{seedHalfYear, "选优配强党支部书记3名", "org.secretaries_appointed", ""},
		{seedHalfYear, "支委成员9名", "org.committee_members", ""},
		{seedHalfYear, "配备党建书籍1200册、设备5套，活动室管理制度3项", "reported.books", ""},
		{seedHalfYear, "召开支部党员大会6次", "events.held.branch_congress", ""},
		{seedHalfYear, "支委会18次", "events.held.branch_committee", ""},
		{seedHalfYear, "党小组会24次", "events.held.group_meeting", ""},
		{seedHalfYear, "开展主题党日活动6次", "events.held.theme_day", ""},
		{seedHalfYear, "民主评议党员参与率100%，优秀党员28名、合格党员292名", "", gapEvaluation},
		{seedHalfYear, "确定入党积极分子12名", "people.new_activists", ""},
		{seedHalfYear, "发展对象5名", "people.new_candidates", ""},
		{seedHalfYear, "吸收预备党员3名", "people.new_probationary", ""},
		{seedHalfYear, "35岁以下党员占比38%，较上年提高5个百分点", "people.under35_share", ""},
		{seedHalfYear, "党员承诺事项完成率89%，“服务群众、推动业务”类92%", "", gapEvaluation},
		{seedHalfYear, "党员牵头办理重大案件18起、化解疑难纠纷25起，占总量45%、52%", "", gapCases},
		{seedHalfYear, "积分制6个维度20项指标，积分前10名月度标兵", "", gapEvaluation},
		{seedHalfYear, "成立党员攻坚小组5个", "org.working_groups", ""},
		{seedHalfYear, "打掉涉恶团伙2个，抓获犯罪嫌疑人15人", "", gapActivities},
		{seedHalfYear, "法治宣传28场，覆盖群众3000余人次", "", gapActivities},
		{seedHalfYear, "社区矛盾纠纷就地化解率85%，较上年提高10个百分点", "", gapCases},
		{seedHalfYear, "党建考核指标12项，权重25%，优秀单位达标率100%、高18个百分点", "", gapIntegrity},
		{seedHalfYear, "修订完善机关管理制度18项", "", gapIntegrity},
		{seedHalfYear, "公文办结时限缩短至3个工作日，较上年压缩20%", "reported.doc_days", ""},
		{seedHalfYear, "公务接待费用同比下降15%，节约资金8.6万元", "reported.reception_cost", ""},
		{seedHalfYear, "每月制度执行检查1次，发现并整改问题6项", "", gapIntegrity},
		{seedHalfYear, "抽查案件卷宗120册，程序瑕疵9项全部整改", "", gapLedger},
		{seedHalfYear, "检查基层政法单位16个，整改问题4个，办事满意度93%", "", gapIntegrity},
		{seedHalfYear, "会议数量同比减少25%", "events.held", ""},
		{seedHalfYear, "文件数量减少30%", "reported.documents", ""},
		{seedHalfYear, "专题民主生活会2场", "events.held.democratic_life", ""},
		{seedHalfYear, "自查问题48项，批评意见36条，整改措施52条，整改完成率85%", "", gapLedger},
		{seedHalfYear, "书记办公会6次", "events.held.secretary_office", ""},
		{seedHalfYear, "集体决策事项15项", "events.decisions", ""},
		{seedHalfYear, "廉政谈话32人次", "events.held.integrity_talk", ""},
		{seedHalfYear, "其中主要领导与班子成员6人次，班子成员与分管科室26人次（按谈话层级），提醒纠正苗头性问题3个", "", gapIntegrity},
		{seedHalfYear, "受理群众监督举报5件，核实处理3件，反馈率100%", "", gapCases},
		{seedHalfYear, "约谈干部2名，通报批评科室1个", "", gapIntegrity},
		{seedHalfYear, "工作任务完成率98%，较上年提升7个百分点", "reported.task_completion", ""},
		{seedHalfYear, "廉政警示教育4场", "events.held.warning_education", ""},
		{seedHalfYear, "专家授课2次", "learning.speaker_times", ""},
		{seedHalfYear, "参观廉政教育基地1次", "events.held.field_teaching", ""},
		{seedHalfYear, "覆盖310人次", "learning.person_times", ""},
		{seedHalfYear, "发放廉政宣传手册200册，推送廉政信息36条，家庭助廉活动1次，家庭廉政承诺书56份", "", gapIntegrity},
		{seedHalfYear, "撰写警示教育心得520篇", "learning.reflections", ""},
		{seedHalfYear, "责任清单32项，党风廉政建设责任书56份", "", gapIntegrity},
		{seedHalfYear, "党风廉政建设专题会议2次", "events.held.special_meeting", ""},
		{seedHalfYear, "研究部署工作4项，解决问题3个", "events.decisions", ""},
		{seedHalfYear, "廉政风险点18个，防控措施25条，执行率100%", "", gapLedger},
		{seedHalfYear, "因廉政考核优秀获评先进个人的党员占比60%", "", gapEvaluation},
		{seedHalfYear, "执法监督检查2次，整改执法不规范问题7项", "", gapIntegrity},
		{seedHalfYear, "公开案件流程信息150条", "reported.disclosed", ""},
		{seedHalfYear, "受理执法投诉12件，平均办理时限5个工作日，办结率100%，满意度95%", "", gapCases},
		{seedHalfYear, "信访投诉量同比下降40%，减少18件", "", gapCases},
		{seedHalfYear, "机关党委专职工作人员仅2名", "reported.party_staff", ""},
		{seedHalfYear, "3个党支部", "org.branches", ""},
		{seedHalfYear, "320名党员", "people.members", ""},
		{seedHalfYear, "党员参与线上活动的积极性有待提升", "reported.online_rate", ""},
	}
}
