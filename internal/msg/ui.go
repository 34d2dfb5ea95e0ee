package msg

// ui holds the texts of everyday navigation: members' reports of a wrong
// entry in their record, the person picker, breadcrumbs and the roster tabs.
var _ = add(map[string]string{
	"correction.decline_reason":         "不予更正时请说明理由",
	"correction.already_decided":        "该更正申请已处理，不能重复处理",
	"notice.correction_sent":            "更正申请已提交，所在支部书记处理后您可在本页查看结果",
	"notice.correction_accepted":        "已受理该更正申请，请在人员信息中完成更正",
	"notice.correction_declined":        "已答复不予更正",
	"notice.group_saved":                "工作小组已保存",
	"correction.pending":                "待处理",
	"correction.accepted":               "已受理更正",
	"correction.declined":               "不予更正",
	"action.person.correction_request":  "本人申请更正档案信息",
	"action.person.correction_accepted": "受理档案更正申请",
	"action.person.correction_declined": "答复不予更正档案信息",
	"picker.none":                       "没有找到符合条件的人员",
})
