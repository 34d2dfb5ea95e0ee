package msg

// learning holds the texts of the learning module (package learning and the
// 学习 pages): plans, materials, notes and 学时.
var _ = add(map[string]string{
	// plans
	"learning.title_too_long":       "标题不超过100个字",
	"learning.description_too_long": "说明不超过2000个字",
	"learning.span_required":        "请填写计划的起止日期",
	"learning.span_order":           "结束日期不能早于开始日期",
	"learning.span_too_long":        "一个学习计划最长一年",
	"learning.too_many_schedules":   "一个计划最多10项固定安排",
	"learning.too_many_sessions":    "这些安排一年内生成的学习场次超过800场，请缩短计划期限或减少安排",
	"learning.kind_not_learning":    "固定安排只能是计入学习的活动类型（如集中学习、专题研讨）",
	"learning.schedule_title":       "安排名称不超过100个字",
	"learning.place_too_long":       "地点不超过100个字",
	"learning.repeat_unknown":       "重复方式不正确",
	"learning.weekday_range":        "请选择星期几",
	"learning.monthday_range":       "每月日期应在1到31之间（小月按月末计）",
	"learning.start_format":         "开始时间格式应为“时:分”，如 15:00",
	"learning.minutes_range":        "时长应在10分钟到8小时之间",
	"learning.reading_unknown":      "指定学习材料不存在或重复",
	"learning.org_fixed":            "学习计划所属组织不能更改",
	// materials
	"learning.summary_too_long": "简介不超过1000个字",
	"learning.material_empty":   "请上传文件或填写链接",
	"learning.material_both":    "文件和链接只能选一种",
	"learning.url_scheme":       "链接须以 http:// 或 https:// 开头",
	"learning.url_too_long":     "链接不超过500个字符",
	"learning.file_too_large":   "文件不能超过20MB",
	"learning.file_type":        "只能上传PDF、Word、Excel、PowerPoint文档或JPEG、PNG图片",
	"learning.material_unknown": "学习材料不存在",
	// notes
	"learning.note_kind_unknown": "请选择学习笔记或心得体会",
	"learning.body_too_long":     "正文不超过5万字",
	"learning.body_too_short":    "正文至少10个字",
	"learning.person_left":       "该同志已转出，不能再记录学习笔记",
	"learning.event_unknown":     "关联的学习活动不存在，或本人不在其应参加人员中",
	"learning.writer_fixed":      "笔记的作者不能更改",
	"learning.written_in_future": "撰写日期不能晚于今天",
	"learning.no_person":         "您的账号未关联党员档案，无法记录学习笔记",
	// 学时
	"learning.requirement_range": "学时要求应在1到500学时之间",

	// labels
	"learning.note":             "学习笔记",
	"learning.reflection":       "心得体会",
	"learning.repeat.weekly":    "每周",
	"learning.repeat.monthly":   "每月",
	"learning.repeat.workdays":  "每个工作日",
	"learning.repeat.daily":     "每天",
	"learning.saved":            "已保存",
	"learning.sessions_created": "已生成学习场次",
	"learning.material_added":   "已加入学习资料库",

	// the audit log's names of the module's actions
	"action.learning.plan_create":   "新建学习计划",
	"action.learning.plan_update":   "修改学习计划",
	"action.learning.plan_sessions": "按计划生成学习场次",
	"action.learning.material_add":  "添加学习资料",
	"action.learning.note_create":   "写学习笔记/心得体会",
	"action.learning.note_update":   "修改学习笔记/心得体会",
	"action.learning.note_delete":   "删除学习笔记/心得体会",
	"action.learning.note_record":   "补录学习笔记/心得体会",
	"action.learning.requirement":   "设置年度学时要求",
	"action.learning.export":        "导出学时统计",

	// notices after a redirect
	"notice.note_saved":        "笔记已保存",
	"notice.note_deleted":      "笔记已删除",
	"notice.plan_saved":        "学习计划已保存",
	"notice.sessions_created":  "已按计划生成学习场次",
	"notice.material_added":    "已加入学习资料库",
	"notice.requirement_saved": "学时要求已保存",
})
