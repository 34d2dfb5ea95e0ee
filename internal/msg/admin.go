package msg

// admin holds the texts of the administrators' pages: accounts, account
// security, dictionaries and the audit log.
var _ = add(map[string]string{
	// accounts
	"user.self_forbidden":  "不能停用或重置自己的账号，请由另一位安全管理员办理",
	"user.display_name":    "姓名不超过40个字",
	"org.root_kind":        "顶级组织只能是党委、机关单位或乡镇/街道",
	"user.status.active":   "正常",
	"user.status.disabled": "停用",
	"user.status.locked":   "锁定至 %s",
	"user.status.must":     "待修改初始密码",
	"notice.root_created":  "顶级组织已创建，可以为其创建党委管理员账号",

	// two people make a working login: proposal, activation, issued passwords
	"user.status.pending":     "待核准激活",
	"user.not_pending":        "该账号已激活或已被驳回",
	"user.pending":            "该账号尚未激活，请先核准激活",
	"user.own_proposal":       "不能核准自己提交的账号，须由另一位管理员核准",
	"password.reused":         "新密码不能与最近使用过的密码相同",
	"login.username_too_long": "用户名不超过64个字符",
	"login.issued_notice":     "您当前的密码由 %s 于 %s 设置，请立即设置只有您本人知道的新密码。如果您没有申请开通或重置密码，请立即联系安全管理员。",
	"notice.user_proposed":    "账号已提交，须由安全管理员核准激活后才能使用",
	"notice.activated":        "账号已核准激活",
	"notice.rejected":         "待激活账号已驳回",

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
	"action.user.reset":         "重置密码（发放临时密码）",
	"action.user.activate":      "核准激活账号",
	"action.user.reject":        "驳回待激活账号",
	"action.user.rename":        "账号改名",
	"action.login.temporary":    "登录（使用他人设置的临时密码）",
	"action.login.rate_limited": "登录过于频繁，已拒绝",
})
