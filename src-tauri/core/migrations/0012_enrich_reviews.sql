-- "Find covers and details" matches that need the fan's eye (issue 15): doubtful ones with their
-- candidates, and those MusicBrainz had nothing close for. Kept until settled, so the review
-- list is still there after the window is closed, and reading it asks MusicBrainz nothing.
-- One row per soundtrack: the latest look-up's proposal as JSON (`catalog::enrich::Proposal`),
-- replaced by each look-up of that soundtrack and removed when it is matched or dismissed.
-- A cache of an online answer, like `catalog_cache`: backups do not carry it.
CREATE TABLE enrich_reviews (
    soundtrack_id INTEGER PRIMARY KEY REFERENCES soundtracks (id) ON DELETE CASCADE,
    proposal      TEXT    NOT NULL,
    found_at      INTEGER NOT NULL
);
