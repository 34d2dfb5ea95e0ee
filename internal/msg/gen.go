package msg

// gens holds the texts of the bulk import of events (the province-scale
// generator's path, and migrations from older systems).
var _ = add(map[string]string{
	"action.event.import":  "批量导入活动",
	"event.marks_not_held": "只有已召开的活动才能登记考勤",
})
