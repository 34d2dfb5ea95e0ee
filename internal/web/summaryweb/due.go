package summaryweb

import (
	"context"
	"time"

	"dangjian/internal/auth"
	"dangjian/internal/indicator"
	"dangjian/internal/web"
)

// dueWindow is how long after a half-year or a year ends the 工作台 reminds
// that its summary is not written yet.
const dueWindow = 60 // days

// Due reminds the staff who write summaries, in the two months after a
// half-year or a year ends, that their organisation's summary of it has not
// been generated yet.
func (s *area) Due(ctx context.Context, c *web.Call) ([]web.DueItem, error) {
	if c.User == nil || !c.Can(auth.SummaryWrite) || c.User.OrgID == 0 || c.Scope.PersonID != 0 {
		return nil, nil
	}
	today := s.Today()
	var p indicator.Period
	switch y := today.Year(); {
	case today.Month() >= time.July:
		p = indicator.HalfYear(y, 1)
	default:
		p = indicator.Year(y - 1)
	}
	if today.After(p.To.AddDate(0, 0, dueWindow)) {
		return nil, nil
	}
	id, err := s.st.SummaryOf(ctx, c.Scope, c.User.OrgID, p)
	if err != nil || id != 0 {
		return nil, err
	}
	return []web.DueItem{{Label: p.Label + "工作总结尚未生成", Link: "/summaries#generate",
		Detail: "选择期间“" + map[bool]string{true: "上半年", false: "全年"}[p.To.Month() == time.June] + "”即可由数据生成"}}, nil
}
