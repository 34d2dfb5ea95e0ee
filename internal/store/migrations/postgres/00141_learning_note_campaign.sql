-- +goose Up
-- A note or reflection may belong to a campaign (专题学习教育), so the
-- campaign's figures can count its notes alone.
ALTER TABLE learning_notes ADD COLUMN campaign_id BIGINT REFERENCES campaigns(id);
CREATE INDEX learning_notes_campaign ON learning_notes(campaign_id) WHERE campaign_id IS NOT NULL;

-- +goose Down
DROP INDEX learning_notes_campaign;
ALTER TABLE learning_notes DROP COLUMN campaign_id;
