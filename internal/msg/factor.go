package msg

// factor holds the texts of the second factor: the login's second step,
// one's own authenticator and the security administrator's switches.
var _ = add(map[string]string{
	"totp.format":                "动态码为6位数字，恢复码为10位字母数字，请检查后重新输入",
	"totp.wrong":                 "动态码不正确，请确认手机时间准确后输入验证器中当前显示的动态码",
	"totp.used":                  "该动态码已使用过，请等待验证器显示下一个动态码",
	"totp.recovery_wrong":        "恢复码不正确或已使用过",
	"login.challenge_gone":       "验证已超时或已失效，请重新输入用户名和密码登录",
	"login.second_step":          "请输入身份验证器中的6位动态码（手机丢失时可输入恢复码）",
	"login.second_step_enrol":    "您的角色须使用两步验证：请先用身份验证器添加密钥（或扫描 otpauth 地址的二维码），再提交显示的6位动态码",
	"second_factor.always":       "系统管理员、安全管理员、审计管理员必须使用两步验证，不能关闭",
	"second_factor.not_enrolled": "该账号尚未绑定身份验证器",
	"second_factor.enrolled":     "已绑定身份验证器；更换手机请联系安全管理员重置两步验证",
	"notice.recovery_used":       "您使用恢复码登录，该恢复码已作废。如手机已丢失，请联系安全管理员重置两步验证",
	"notice.second_factor_reset": "已重置该账号的两步验证，本人下次登录时须重新绑定身份验证器",
	"notice.second_factor_roles": "两步验证设置已保存",

	"action.login.second_step":        "登录第二步（密码正确，等待动态码）",
	"action.user.second_factor_offer": "开始绑定身份验证器",
	"action.user.second_factor_enrol": "绑定身份验证器",
	"action.user.second_factor_reset": "重置两步验证（手机丢失）",
	"action.user.recovery_codes":      "重新生成恢复码",
	"action.policy.second_factor":     "修改角色的两步验证要求",
	"action_group.policy.":            "安全策略",
	"object.role_policy":              "角色安全策略",
})
