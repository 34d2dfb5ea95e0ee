-- +goose Up
-- Reminders (an event tomorrow, a required meeting due or overdue, a
-- make-up outstanding) and the in-app notification centre they are
-- delivered to. A reminder is made once (its key is unique, so two instances
-- scanning at once make one), has a due time and a claim marker, and is
-- claimed with one conditional UPDATE: delivered exactly once, and a restart
-- after downtime finds what came due meanwhile.
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    dedupe_key    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('event_tomorrow','meeting_due','meeting_overdue','makeup')),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    due_at        TIMESTAMP NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    claimed_until TIMESTAMP,
    sent_at       TIMESTAMP,
    attempts      INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX reminders_unsent ON reminders(due_at) WHERE sent_at IS NULL;

-- Each user's notification centre. A reminder becomes at most one
-- notification (reminder_id is unique), whatever happens to its delivery.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    reminder_id INTEGER UNIQUE REFERENCES reminders(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notifications;
DROP TABLE reminders;
