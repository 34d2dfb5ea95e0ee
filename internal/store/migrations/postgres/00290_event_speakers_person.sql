-- +goose Up
-- What each person spoke at: the compliance calendar finds the events where
-- an organisation's secretary of the day spoke (书记讲党课) from the scope's
-- secretaries, a few thousand in a province, instead of testing every
-- held event for a speaker who sat as its secretary.
CREATE INDEX event_speakers_person ON event_speakers(person_id);

-- +goose Down
DROP INDEX event_speakers_person;
