-- +goose Up
-- Each event's kinds on its row (ascending ids joined by commas: "3,7"),
-- written with its links (event_kind_links) by the store, and carried by
-- the index of held events with the event's id: a province's events by
-- kind and the compliance calendar read the index alone instead of looking
-- up every event's links.
ALTER TABLE events ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
UPDATE events e SET kinds = l.kinds
    FROM (SELECT event_id, string_agg(kind_id::text, ',' ORDER BY kind_id) AS kinds FROM event_kind_links GROUP BY event_id) l
    WHERE l.event_id = e.id;
DROP INDEX events_held;
CREATE INDEX events_held ON events(org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions, kinds, id) WHERE status = 'held';

-- +goose Down
DROP INDEX events_held;
CREATE INDEX events_held ON events(org_path, held_on, learning, credit_tenths, tally_expected, tally_present, tally_present_expected, tally_made_up,
    tally_speakers, tally_decisions) WHERE status = 'held';
ALTER TABLE events DROP COLUMN kinds;
