package msg

// admin holds the texts of the administrators' pages: accounts, account
// security, dictionaries and the audit log.
var admin = map[string]string{
	// accounts
	"user.self_forbidden":  "不能停用或重置自己的账号，请由另一位安全管理员办理",
	"user.display_name":    "姓名不超过40个字",
	"org.root_kind":        "顶级组织只能是党委、机关单位或乡镇/街道",
	"user.status.active":   "正常",
	"user.status.disabled": "停用",
	"user.status.locked":   "锁定至 %s",
	"user.status.must":     "待修改初始密码",
	"notice.root_created":  "顶级组织已创建，可以为其创建党委管理员账号",

	// logins
	"login.username_too_long": "用户名不超过64个字符",

	// dictionaries
	"dict.name.education":          "学历",
	"dict.name.ethnic":             "民族",
	"dict.name.position":           "职务",
	"dict.name.committee_position": "班子职务",
	"dict.alias_too_long":          "每个别名不超过40个字",

	// audit log
	"audit.export_too_many":   "符合条件的记录超过10万条，请缩小时间范围后分批导出",
	"audit.action_unknown":    "操作类型不正确",
	"action_group.login.":     "登录",
	"action_group.logout":     "退出登录",
	"action_group.person.":    "人员",
	"action_group.org.":       "组织",
	"action_group.user.":      "账号",
	"action_group.dict.":      "数据字典",
	"action_group.committee.": "班子成员",
	"action_group.group.":     "工作小组",
	"action_group.audit.":     "审计日志",
	"object.user":             "账号",
	"object.person":           "人员",
	"object.org":              "组织",
	"object.dict_item":        "字典项",
	"object.committee_member": "班子成员",
	"object.working_group":    "工作小组",
	"object.audit_log":        "审计日志",

	// actions of accounts and logins
	"action.login.rate_limited": "登录过于频繁，已拒绝",
}
