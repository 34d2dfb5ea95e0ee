-- +goose Up
-- Rules the store enforces in its own transactions, for every caller (pages,
-- API, imports, commands, jobs), backed by the database itself.

-- 1. Two open organisations under one parent never share a name. Any pair
-- that slipped in before this index (two saves racing past the old check) is
-- told apart by the later one's id, recorded in its history and the audit log.
INSERT INTO org_events (org_id, at, action, from_value, to_value, username)
    SELECT id, CURRENT_TIMESTAMP, 'rename', name, name || '（' || id || '）', 'system' FROM orgs o
    WHERE closed_on IS NULL AND EXISTS (SELECT 1 FROM orgs d WHERE d.closed_on IS NULL
        AND COALESCE(d.parent_id, 0) = COALESCE(o.parent_id, 0) AND d.name = o.name AND d.id < o.id);
INSERT INTO audit_log (at, username, ip, action, object_type, object_id, org_path, before_json, after_json)
    SELECT CURRENT_TIMESTAMP, 'system', 'local', 'org.update', 'org', CAST(id AS TEXT), path,
        json_object('name', name), json_object('name', name || '（' || id || '）') FROM orgs o
    WHERE closed_on IS NULL AND EXISTS (SELECT 1 FROM orgs d WHERE d.closed_on IS NULL
        AND COALESCE(d.parent_id, 0) = COALESCE(o.parent_id, 0) AND d.name = o.name AND d.id < o.id);
UPDATE orgs SET name = name || '（' || id || '）', version = version + 1
    WHERE closed_on IS NULL AND EXISTS (SELECT 1 FROM orgs d WHERE d.closed_on IS NULL
        AND COALESCE(d.parent_id, 0) = COALESCE(orgs.parent_id, 0) AND d.name = orgs.name AND d.id < orgs.id);
CREATE UNIQUE INDEX orgs_sibling_name ON orgs (COALESCE(parent_id, 0), name) WHERE closed_on IS NULL;

-- 2. Every label and alias of a dictionary, each naming one item, so a value
-- is checked (and an alias folded into its label) by one index lookup
-- instead of loading the dictionary.
CREATE TABLE dict_terms (
    dict     TEXT NOT NULL,
    term     TEXT NOT NULL,
    item_id  INTEGER NOT NULL REFERENCES dict_items(id),
    PRIMARY KEY (dict, term)
);
CREATE INDEX dict_terms_item ON dict_terms(item_id);
INSERT INTO dict_terms (dict, term, item_id) SELECT dict, label, id FROM dict_items;
INSERT OR IGNORE INTO dict_terms (dict, term, item_id)
    WITH RECURSIVE split(id, dict, term, rest) AS (
        SELECT id, dict, '', aliases || '|' FROM dict_items WHERE aliases <> ''
        UNION ALL
        SELECT id, dict, substr(rest, 1, instr(rest, '|') - 1), substr(rest, instr(rest, '|') + 1) FROM split WHERE rest <> ''
    )
    SELECT dict, term, id FROM split WHERE term <> '' ORDER BY id;

-- 3. Working groups are edited with a version, like every other record.
ALTER TABLE working_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE working_groups DROP COLUMN version;
DROP TABLE dict_terms;
DROP INDEX orgs_sibling_name;
