package msg

// notices holds the texts of reminders, the notification centre and the
// scheduled-jobs page. Keys with %s / %d are filled in with Format.
var _ = add(map[string]string{
	"notify_kind.event_tomorrow":  "活动提醒",
	"notify_kind.meeting_due":     "即将到期",
	"notify_kind.meeting_overdue": "逾期未开",
	"notify_kind.makeup":          "补课提醒",

	// %s title; %s when; %s place; %s organisation
	"notify.event_title":   "活动提醒：%s",
	"notify.event_body":    "%s，%s召开（%s）。请准时参加，不能参加请向组织请假。",
	"notify.place_unknown": "地点待定",
	// %s organisation; %s period; %s kind
	"notify.due_title": "%s%s的%s尚未召开",
	// %d required; %d held; %s last day
	"notify.due_body": "按规定应召开%d次，已召开%d次，请于%s前完成。",
	// %s organisation; %s period; %s kind
	"notify.overdue_title": "%s%s未召开%s",
	"notify.overdue_body":  "按规定应召开%d次，实际召开%d次，已逾期。",
	// %s title
	"notify.makeup_title": "补课提醒：%s",
	// %s held date
	"notify.makeup_body": "您未参加%s举行的这次学习（请假或缺席），请尽快补课。",

	"notify.not_found":    "通知不存在或不属于您",
	"notice.read_all":     "已全部标为已读",
	"notice.read":         "已标为已读",
	"object.notification": "通知",
	"object.reminder":     "提醒",

	"action.notification.read":     "通知标为已读",
	"action.notification.read_all": "通知全部标为已读",
	"action.system.prune":          "清理过期的任务记录和已读通知",
	"action.reminder.add":          "生成提醒",

	// the scheduled jobs page
	"job_kind.remind.scan":   "提醒扫描与发送（每小时）",
	"job_kind.backup":        "定时备份",
	"job_kind.housekeeping":  "清理过期记录（每天：结束90天以上的任务记录、已读180天以上的通知）",
	"job_kind.event.freeze":  "活动开始时锁定应到名单",
	"job_kind.roster.import": "花名册导入",
	"job_status.pending":     "等待",
	"job_status.running":     "运行中",
	"job_status.done":        "成功",
	"job_status.failed":      "失败",
	// %d added; %d sent; %d failed
	"job.remind_outcome":       "新增提醒%d条，发送%d条，失败%d条",
	"job.housekeeping_outcome": "清理任务记录%d条、已读通知%d条",
	"job.never":                "尚未运行",
	"job.none_scheduled":       "无",
})
