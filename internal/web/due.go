package web

import "context"

// DueItem is one thing the 工作台 lists as needing attention: a branch whose
// 换届 is due, a meeting the rules require this month …
type DueItem struct {
	Label  string // what is due, in Chinese
	Link   string // where to deal with it
	Detail string // when, or how late
	Late   bool   // overdue rather than coming up
}

// DueReporter is implemented by areas that have things falling due.
type DueReporter interface {
	Due(ctx context.Context, c *Call) ([]DueItem, error)
}

// DueFor asks every mounted area what is due for the caller.
func (s *Server) DueFor(ctx context.Context, c *Call) ([]DueItem, error) {
	var out []DueItem
	for _, a := range s.areas {
		if d, ok := a.(DueReporter); ok {
			items, err := d.Due(ctx, c)
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
		}
	}
	return out, nil
}
