package msg

// ledgers holds the texts of the rectification ledger (整改台账), the
// participants' records of 组织生活会 / 民主生活会 and the campaigns.
var ledgers = map[string]string{
	"ledger.source_unknown":             "整改事项来源不正确",
	"ledger.problem_required":           "请填写问题",
	"ledger.owner_required":             "请选择整改责任人",
	"ledger.deadline_required":          "请填写整改时限",
	"ledger.deadline_before_opened":     "整改时限不能早于立项日期",
	"ledger.note_required":              "请填写进展情况",
	"ledger.date_required":              "请填写日期",
	"ledger.date_future":                "日期不能晚于今天",
	"ledger.date_before_opened":         "日期不能早于立项日期",
	"ledger.closed_already":             "该事项已整改完成，不能再登记",
	"ledger.closure_required":           "请填写整改结果",
	"ledger.not_closed":                 "该事项尚未整改完成",
	"ledger.status_unknown":             "整改状态不正确",
	"ledger.campaign_unknown":           "该专题教育不存在或不覆盖该组织",
	"ledger.problem_has_item":           "该问题已列入整改台账",
	"ledger.not_life_event":             "只有组织生活会、民主生活会可登记批评与自我批评",
	"ledger.person_required":            "请选择参会人员",
	"ledger.record_exists":              "该参会人员已有记录，请在原记录上修改",
	"ledger.too_many_problems":          "每人查摆问题不超过20条",
	"ledger.campaign_name_required":     "请填写专题教育名称",
	"ledger.campaign_kind_unknown":      "专题教育类别不正确",
	"ledger.campaign_ends_before_start": "结束日期不能早于开始日期",
	"ledger.group_unknown":              "领导小组不存在或不在管理范围内",
	"ledger.plan_type":                  "实施方案只能上传PDF、Word文档或图片",
	"ledger.plan_too_large":             "实施方案文件不超过20MB",
	"ledger.plan_required":              "请选择实施方案文件",

	"ledger_status.open":    "整改中",
	"ledger_status.overdue": "逾期",
	"ledger_status.done":    "已完成",

	"ledger_source.manual":       "手工登记",
	"ledger_source.life_problem": "组织生活会/民主生活会查摆问题",

	"campaign_kind.study": "专项学习教育",
	"campaign_kind.theme": "主题教育",

	"notice.ledger_created":  "整改事项已列入台账",
	"notice.ledger_saved":    "已保存",
	"notice.ledger_progress": "进展已登记",
	"notice.ledger_closed":   "已登记为整改完成",
	"notice.ledger_reopened": "已重新打开",
	"notice.life_saved":      "记录已保存",
	"notice.life_problem":    "问题已登记",
	"notice.campaign_saved":  "专题教育已保存",
	"notice.campaign_plan":   "实施方案已上传",
}
