-- +goose Up
-- The work summary (工作总结): templates staff edit, generated summaries kept
-- with their template, scope, period and figures (so a summary reads the
-- same next year), each edit of the text a numbered version; figures that
-- live outside the platform entered per organisation and period with their
-- evidence; and the settings of the weak-spot rules.
CREATE TABLE summary_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE summaries (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    org_path       TEXT NOT NULL,
    org_name       TEXT NOT NULL,
    title          TEXT NOT NULL,
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    period_label   TEXT NOT NULL,
    template_name  TEXT NOT NULL,
    template_body  TEXT NOT NULL,
    figures        TEXT NOT NULL,   -- JSON: the figures as computed on the day, with last year's and the wording
    problems       TEXT NOT NULL,   -- JSON: the weak spots found
    versions       INTEGER NOT NULL DEFAULT 1,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX summaries_path ON summaries(org_path, id);

CREATE TABLE summary_versions (
    summary_id  INTEGER NOT NULL REFERENCES summaries(id),
    n           INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (summary_id, n)
);

CREATE TABLE reported_figures (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    org_path     TEXT NOT NULL,
    code         TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    value        REAL NOT NULL,
    evidence     TEXT NOT NULL,
    entered_by   TEXT NOT NULL,
    entered_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, code, period_from, period_to)
);
CREATE INDEX reported_figures_code ON reported_figures(code, org_path);

CREATE TABLE summary_rules (
    code       TEXT PRIMARY KEY,
    enabled    BOOLEAN NOT NULL,
    threshold  REAL NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

-- +goose Down
DROP TABLE summary_rules;
DROP TABLE reported_figures;
DROP TABLE summary_versions;
DROP TABLE summaries;
DROP TABLE summary_templates;
