package msg

// rosterUpdate holds the messages of the roster's round trip: the update
// mode, organisations and units the tree lacks, aliases, the history.
var _ = add(map[string]string{
	"roster.update_need_id":          "按身份证号更新时必须填写身份证号",
	"roster.person_no_format":        "人员编号应为导出文件中的数字编号，请勿修改",
	"roster.person_no_duplicate":     "与第%d行的人员编号重复",
	"roster.person_no_unknown":       "您的管理范围内没有该编号的人员",
	"roster.update_id_changed":       "身份证号与该人员登记的不一致；更正身份证号请在人员页面修改",
	"roster.update_not_found":        "花名册中没有该身份证号的人员；新增人员请选择“新增人员”方式导入",
	"roster.update_out_of_scope":     "该身份证号的人员不在您的管理范围内，无法更新",
	"roster.update_org_via_transfer": "所在组织与系统中的“%s”不同；调整所在组织请通过组织关系转接办理",
	"roster.update_failed":           "该人员在预览后已被他人修改，请重新上传预览",
	"roster.update_stale":            "预览之后数据已有变化，以下为最新的变更，请重新确认",
	"roster.missing_org":             "您的管理范围内没有“%s”这个组织",
	"roster.missing_unit":            "系统中没有“%s”这个工作单位",
	"roster.alias_is_name":           "该名称已是一个组织的名称，不能再作为别名",
	"roster.alias_taken":             "该别名已对应其他单位",
	"roster.resolve_needs_org_write": "新建组织或添加单位别名需要组织管理权限，请联系党委管理员；您可以把组织对应到已有的组织",
	"roster.resolve_choose":          "请为每个名称选择“新建”或“对应已有”",
	"roster.resolve_parent":          "请选择新建在哪个组织之下",
	"roster.resolve_target":          "请选择对应的已有组织",
	"roster.job_gone":                "该导入已过期，请重新上传文件",
	"roster.error_column":            "错误说明",

	"roster.help.applied_on":   "选填，递交入党申请书的日期，须写到日。",
	"roster.help.activist_on":  "选填，确定为入党积极分子的日期，须写到日。",
	"roster.help.candidate_on": "选填，确定为发展对象的日期，须写到日。",

	"roster.error_sheet":        "错误列表",
	"roster.mode_unknown":       "导入方式只能是“新增人员”或“按身份证号更新”",
	"roster.upload_too_large":   "文件超过10 MB，请删除多余的工作表或拆分后分批导入",
	"roster.job_not_done":       "导入尚未完成，请稍候再试",
	"roster.nothing_to_resolve": "该导入没有需要新建或对应的组织、单位",
	"roster.no_error_list":      "该导入没有逐行的错误，没有错误说明可下载",
	"roster.no_preview":         "该导入没有待确认的预览",

	"action.org.alias": "添加单位别名",
})
