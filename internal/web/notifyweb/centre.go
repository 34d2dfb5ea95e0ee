package notifyweb

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/msg"
	"dangjian/internal/notify"
	"dangjian/internal/store"
	"dangjian/internal/web"
)

// The notification centre: every user's own list, nobody else's.

type notificationView struct {
	notify.Notification
	KindLabel string
	When      string
}

type listPage struct {
	web.Layout
	Items              []notificationView
	Unread             int
	UnreadOnly         bool
	Total, Page, Pages int
}

// Link is the address of another page of the same list (the pager's).
func (p listPage) Link(page int) string {
	l := "/notifications?page=" + strconv.Itoa(page)
	if p.UnreadOnly {
		l += "&unread=true"
	}
	return l
}

const pageSize = 20

func (s *area) listPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	ctx := r.Context()
	in := web.Input{Values: r.URL.Query()}
	p := listPage{Layout: s.Base(c, "消息通知", "/notifications"), UnreadOnly: in.Flag("unread"), Page: max(in.Num("page", 1), 1)}
	p.Notice = web.Notice(r)
	list, total, err := s.st.Notifications(ctx, c.User.ID, store.NotificationFilter{UnreadOnly: p.UnreadOnly, Limit: pageSize, Offset: (p.Page - 1) * pageSize})
	if err != nil {
		return err
	}
	if p.Unread, err = s.st.UnreadCount(ctx, c.User.ID); err != nil {
		return err
	}
	p.Total, p.Pages = total, (total+pageSize-1)/pageSize
	for _, n := range list {
		p.Items = append(p.Items, notificationView{n, msg.Text("notify_kind." + string(n.Kind)), n.CreatedAt.In(web.China).Format("2006-01-02 15:04")})
	}
	return s.Render(w, r, http.StatusOK, "notifications", p)
}

type badgePage struct {
	web.Layout
	Unread int
}

// badge is the header's bell with the unread count; the layout loads it
// with htmx on every page (and every minute), one indexed count.
func (s *area) badge(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	n, err := s.st.UnreadCount(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.Render(w, r, http.StatusOK, "notify_badge", badgePage{Layout: s.Base(c, "未读通知", "/notifications"), Unread: n})
}

// open marks a notification read and goes to the page it is about.
func (s *area) open(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.st.ReadNotification(r.Context(), c.Actor, c.User.ID, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, safeLink(n.Link), http.StatusSeeOther)
	return nil
}

// safeLink keeps a notification's link on this site.
func safeLink(l string) string {
	if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/\\") {
		return "/notifications"
	}
	return l
}

func (s *area) readPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.st.ReadNotification(r.Context(), c.Actor, c.User.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?notice=read", http.StatusSeeOther)
	return nil
}

func (s *area) readAllPage(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	if _, err := s.st.ReadAllNotifications(r.Context(), c.Actor, c.User.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?notice=read_all", http.StatusSeeOther)
	return nil
}

// notificationOut is a notification as the API shows it.
type notificationOut struct {
	ID        int64       `json:"id"`
	Kind      notify.Kind `json:"kind"`
	KindLabel string      `json:"kind_label"`
	Title     string      `json:"title"`
	Body      string      `json:"body"`
	Link      string      `json:"link"`
	CreatedAt time.Time   `json:"created_at"`
	Read      bool        `json:"read"`
	ReadAt    web.Time    `json:"read_at"`
}

func newNotificationOut(n notify.Notification) notificationOut {
	return notificationOut{ID: n.ID, Kind: n.Kind, KindLabel: msg.Text("notify_kind." + string(n.Kind)), Title: n.Title, Body: n.Body,
		Link: safeLink(n.Link), CreatedAt: n.CreatedAt, Read: !n.Unread(), ReadAt: web.Time{Time: n.ReadAt}}
}

type unreadOut struct {
	Unread int `json:"unread"`
}

type readAllOut struct {
	Read int `json:"read"` // how many were unread
}

func (s *area) apiList(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	in := web.Input{Values: r.URL.Query()}
	page, size := max(in.Num("page", 1), 1), min(max(in.Num("page_size", 20), 1), 100)
	list, total, err := s.st.Notifications(r.Context(), c.User.ID, store.NotificationFilter{UnreadOnly: in.Flag("unread"), Limit: size, Offset: (page - 1) * size})
	if err != nil {
		return err
	}
	out := web.List[notificationOut]{Items: []notificationOut{}, Total: total, Page: page, PageSize: size}
	for _, n := range list {
		out.Items = append(out.Items, newNotificationOut(n))
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *area) apiUnread(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	n, err := s.st.UnreadCount(r.Context(), c.User.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, unreadOut{n})
	return nil
}

func (s *area) apiRead(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.st.ReadNotification(r.Context(), c.Actor, c.User.ID, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, newNotificationOut(*n))
	return nil
}

func (s *area) apiReadAll(w http.ResponseWriter, r *http.Request, c *web.Call) error {
	n, err := s.st.ReadAllNotifications(r.Context(), c.Actor, c.User.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, readAllOut{n})
	return nil
}
