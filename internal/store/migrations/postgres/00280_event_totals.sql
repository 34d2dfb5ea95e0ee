-- +goose Up
-- The held events of every subtree added up by day: a row per path of an
-- organisation holding events and every path above it ('/' is the whole
-- tree), per day, learning flag, 学时 and kinds, with the events' tallies
-- (their marks, speakers and decisions) summed. A subtree's figures for a
-- year read its own few thousand rows, however many events and marks lie
-- below it, so they no longer grow with the records. Kept by triggers on
-- events in the same transaction as every event and every tally; store
-- tests prove the rows always equal the events added up from scratch.
-- Marks reach the events' tallies when their differences are folded
-- (event_tally_deltas), and the totals with them; figures add what waits.
CREATE TABLE event_totals (
    org_path         TEXT COLLATE "C" NOT NULL, -- as every path: a subtree is one range, and paths compare alike
    held_on          DATE NOT NULL,
    learning         BOOLEAN NOT NULL,
    credit_tenths    INTEGER NOT NULL,
    kinds            TEXT NOT NULL,
    events           INTEGER NOT NULL,
    speakers         INTEGER NOT NULL,
    decisions        INTEGER NOT NULL,
    expected         INTEGER NOT NULL,
    present          INTEGER NOT NULL,
    present_expected INTEGER NOT NULL,
    made_up          INTEGER NOT NULL,
    PRIMARY KEY (org_path, held_on, learning, credit_tenths, kinds)
);

-- The paths above an organisation's path, and the path itself: the
-- prefixes ending in '/' (/1/10/28/ has /, /1/, /1/10/ and /1/10/28/).
CREATE FUNCTION path_and_above(p TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT substr(p, 1, n) FROM generate_series(1, length(p)) n WHERE substr(p, n, 1) = '/' $$;

INSERT INTO event_totals (org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up)
    SELECT p, e.held_on, e.learning, e.credit_tenths, e.kinds, COUNT(*), SUM(e.tally_speakers), SUM(e.tally_decisions),
        SUM(e.tally_expected), SUM(e.tally_present), SUM(e.tally_present_expected), SUM(e.tally_made_up)
    FROM events e, path_and_above(e.org_path) p
    WHERE e.status = 'held'
    GROUP BY 1, 2, 3, 4, 5;

-- Events held, changed (their day, organisation, kinds, 学时, or a tally
-- by a fold, a speaker, a decision), no longer held, or gone: the old rows
-- taken out of the totals above them and the new ones added, in key order
-- (two statements at once wait for each other rather than deadlock), and
-- the totals no event is left in removed. (A trigger with transition
-- tables cannot name the columns it watches: any update of events comes
-- here, and one that changed none of these adds nothing.)
-- +goose StatementBegin
CREATE FUNCTION events_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone events[];
    came events[];
    k RECORD;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT array_agg(o::events) INTO gone FROM changed_old o WHERE o.status = 'held';
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT array_agg(n::events) INTO came FROM changed_new n WHERE n.status = 'held';
    END IF;
    IF gone IS NULL AND came IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO event_totals AS t (org_path, held_on, learning, credit_tenths, kinds, events, speakers, decisions, expected, present, present_expected, made_up)
        SELECT p, c.held_on, c.learning, c.credit_tenths, c.kinds, SUM(c.sign), SUM(c.sign * c.tally_speakers), SUM(c.sign * c.tally_decisions),
            SUM(c.sign * c.tally_expected), SUM(c.sign * c.tally_present), SUM(c.sign * c.tally_present_expected), SUM(c.sign * c.tally_made_up)
        FROM (SELECT -1 AS sign, o.* FROM unnest(gone) o UNION ALL SELECT 1, n.* FROM unnest(came) n) c, path_and_above(c.org_path) p
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.tally_speakers) <> 0 OR SUM(c.sign * c.tally_decisions) <> 0 OR SUM(c.sign * c.tally_expected) <> 0
            OR SUM(c.sign * c.tally_present) <> 0 OR SUM(c.sign * c.tally_present_expected) <> 0 OR SUM(c.sign * c.tally_made_up) <> 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (org_path, held_on, learning, credit_tenths, kinds) DO UPDATE SET events = t.events + EXCLUDED.events,
            speakers = t.speakers + EXCLUDED.speakers, decisions = t.decisions + EXCLUDED.decisions, expected = t.expected + EXCLUDED.expected,
            present = t.present + EXCLUDED.present, present_expected = t.present_expected + EXCLUDED.present_expected, made_up = t.made_up + EXCLUDED.made_up;
    -- Only a total an event left can be empty now; each is looked up by
    -- its key (a join here would be planned from guessed row counts, and a
    -- scan of every total per statement is what it chose).
    FOR k IN SELECT p AS org_path, o.held_on, o.learning, o.credit_tenths, o.kinds FROM unnest(gone) o, path_and_above(o.org_path) p
        EXCEPT SELECT p, n.held_on, n.learning, n.credit_tenths, n.kinds FROM unnest(came) n, path_and_above(n.org_path) p
    LOOP
        DELETE FROM event_totals t WHERE t.org_path = k.org_path AND t.held_on = k.held_on AND t.learning = k.learning
            AND t.credit_tenths = k.credit_tenths AND t.kinds = k.kinds AND t.events = 0;
    END LOOP;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER event_totals_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION events_totals();
CREATE TRIGGER event_totals_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION events_totals();
CREATE TRIGGER event_totals_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION events_totals();

-- +goose Down
DROP TRIGGER event_totals_delete ON events;
DROP TRIGGER event_totals_update ON events;
DROP TRIGGER event_totals_insert ON events;
DROP FUNCTION events_totals;
DROP TABLE event_totals;
DROP FUNCTION path_and_above;
