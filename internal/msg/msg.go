// Package msg is the Chinese message catalogue: every text a user reads that
// comes from a message key (validation problems, errors, labels of enumerations).
// Domain code speaks in keys; pages and the JSON API look the text up here.
package msg

import (
	"fmt"
	"slices"
	"strings"

	"dangjian/internal/errs"
)

// catalogue holds the texts of every area. Each file of this package adds
// its own with add, so a module adds a file here and touches no list.
var catalogue = map[string]string{}

// add puts an area's texts into the catalogue. A key defined by two areas
// would make one of them silently wrong, so it stops the program at start.
func add(area map[string]string) map[string]string {
	for k, v := range area {
		if _, dup := catalogue[k]; dup {
			panic("msg: the key " + k + " is defined twice")
		}
		catalogue[k] = v
	}
	return area
}

// Text returns the Chinese text of a key, with the arguments of a key made
// by errs.Keyed filled in; an unknown key comes back as "〔key〕" so a
// missing entry is visible in the page, not silently empty.
func Text(key string) string {
	key, args := errs.SplitKey(key)
	if s, ok := catalogue[key]; ok {
		if len(args) > 0 {
			return fmt.Sprintf(s, args...)
		}
		return s
	}
	return "〔" + key + "〕"
}

// Keys lists the keys that start with prefix, without it, sorted: the
// values a filter offers (every "object." key is an object type the audit
// log can name), so a module that adds labels adds filter choices too.
func Keys(prefix string) []string {
	var out []string
	for k := range catalogue {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, rest)
		}
	}
	slices.Sort(out)
	return out
}

// Format is Text with fmt verbs filled in.
func Format(key string, args ...any) string { return fmt.Sprintf(Text(key), args...) }

// Has reports whether the catalogue knows a key (tests use it to catch gaps).
func Has(key string) bool {
	key, _ = errs.SplitKey(key)
	_, ok := catalogue[key]
	return ok
}

var _ = add(map[string]string{
	// generic problems
	"required":              "此项必填",
	"too_long":              "内容过长",
	"too_long.max":          "不能超过%s个字",
	"input.repeated":        "此项只能填写一个值",
	"api.use_patch":         "修改已有记录请使用 PATCH",
	"invalid":               "格式不正确",
	"date.out_of_range":     "日期不在合理范围内",
	"date.format":           "日期格式不正确，请按 2006-01-02 填写",
	"date.before_start":     "结束日期不能早于开始日期",
	"number.format":         "请填写数字",
	"conflict.stale":        "该记录已被他人修改，请刷新后重新编辑",
	"conflict.duplicate":    "记录重复",
	"conflict.reference":    "该记录仍被其他数据引用",
	"error.not_found":       "记录不存在或无权访问",
	"error.no_route":        "没有这个页面，请检查地址或从菜单进入",
	"error.method":          "该地址不支持这种请求方式",
	"error.forbidden":       "没有权限执行此操作",
	"error.unauthenticated": "请先登录",
	"error.internal":        "系统内部错误，请稍后重试或联系管理员",
	"error.bad_request":     "请求格式不正确",
	"error.too_large":       "提交的内容过大",
	"error.rate_limited":    "尝试过于频繁，请稍后再试",
	"error.invalid":         "提交的内容有误，请按提示修改",
	"error.conflict":        "操作与现有数据冲突",
	"error.cross_origin":    "跨站请求已被拒绝",

	// people
	"id_number.length":              "身份证号应为18位",
	"id_number.chars":               "身份证号只能包含数字，最后一位可以是X",
	"id_number.birth":               "身份证号中的出生日期无效",
	"id_number.checksum":            "身份证号校验位不正确，请核对",
	"id_number.old15":               "这是15位旧身份证号，对应的18位号码为 %s，请改填18位号码",
	"id_number.masked":              "这是脱敏显示的号码，请保持原样（不修改）或填写完整号码",
	"phone.masked":                  "这是脱敏显示的号码，请保持原样（不修改）或填写完整号码",
	"phone.format":                  "联系电话格式不正确（手机号11位，固话请带区号）",
	"birth_date.mismatch_id":        "出生日期与身份证号不一致",
	"sex.mismatch_id":               "性别与身份证号不一致",
	"status.unknown":                "人员类别不正确",
	"joined_on.required_for_member": "党员须填写入党时间",
	"full_on.required_for_full":     "正式党员须填写转正时间",
	"full_on.before_joined":         "转正时间应晚于入党时间",
	"joined_on.under_18":            "入党时未满18周岁",
	"person.id_number_taken":        "该身份证号已登记在其他人员名下",
	"person.unit_not_unit":          "工作单位须为机关单位等非党组织",
	"person.org_via_transfer":       "调整所在党组织请使用“组织关系转接”",
	"person.unknown":                "人员不存在",
	"person.already_left":           "该人员已转出",
	"person.nothing_to_restore":     "该审计记录中没有可恢复的此项内容",
	"education.unknown":             "学历不在字典中",
	"ethnic.unknown":                "民族不在字典中",

	// organisations
	"org.kind_unknown":         "组织类型不正确",
	"org.parent_kind":          "该类型组织不能设在所选上级之下",
	"org.parent_unknown":       "上级组织不存在或无权访问",
	"org.parent_closed":        "上级组织已撤销",
	"org.move_into_self":       "不能移动到自身或下级组织之下",
	"org.move_scope_root":      "不能移动您管理范围的根组织",
	"org.close_scope_root":     "不能撤销您管理范围的根组织",
	"org.name_taken":           "同一上级下已有同名组织",
	"org.kind_fixed":           "组织类型创建后不能修改",
	"org.move_via_move":        "调整上级组织请使用“调整隶属关系”",
	"org.already_closed":       "该组织已撤销",
	"org.close_has_children":   "请先撤销或移走下级组织",
	"org.close_has_people":     "请先转出该组织中的人员",
	"org.unknown":              "组织不存在或无权访问",
	"org.closed":               "该组织已撤销",
	"group.duplicate_member":   "同一人不能在小组中重复出现",
	"committee.person_outside": "该人员不在本组织范围内",
	"committee.not_member":     "支委须为党员",
	"transfer.target_invalid":  "目标组织无效（已撤销，或党员须转入党组织）",

	// accounts
	"username.format":            "用户名须以字母开头，3-32位字母、数字、下划线、点或短横线",
	"role.unknown":               "角色不正确",
	"user.member_needs_person":   "党员账号须关联花名册中的人员",
	"user.person_has_account":    "此人已开通账号",
	"user.username_taken":        "用户名已被使用",
	"user.person_outside_org":    "所关联人员不在该账号的组织范围内",
	"password.empty":             "密码不能为空",
	"password.too_short":         "密码长度不足",
	"password.classes":           "密码须包含大写字母、小写字母、数字、符号中的至少三类",
	"password.contains_username": "密码不能包含用户名",
	"password.weak":              "密码过于简单，容易被猜出",
	"password.mismatch":          "两次输入的密码不一致",
	"password.same":              "新密码不能与当前密码相同",
	"password.change_required":   "请先修改密码",
	"password.wrong":             "当前密码不正确",
	"login.failed":               "用户名或密码不正确（连续输错多次的账号会暂时锁定）",
	"login.locked":               "登录失败次数过多，账号已锁定，请30分钟后再试或联系安全管理员",
	"login.disabled":             "账号已停用，请联系安全管理员",
	"setup.invalid":              "初始化链接无效或已使用",
	"dict.unknown":               "字典不存在",
	"dict.label_taken":           "该字典中已有同名条目或别名",
	"dict.alias_taken":           "别名已是本字典中其他条目的名称或别名",
	"dict.too_many_aliases":      "别名不能超过%s个",
})
