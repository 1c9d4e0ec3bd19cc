-- Finding soundtracks online (issue 15): MusicBrainz ids on what came from (or was matched to)
-- MusicBrainz, the join phrases of artist credits ("Kruder" " & " "Dorfmeister"), and a cache
-- of answers so a look-up asked again within its lifetime costs no request.

-- The release chosen for a soundtrack (remembered, so a later "find details" looks it up
-- directly) and its release group.
ALTER TABLE soundtracks ADD COLUMN musicbrainz_release_id TEXT;
ALTER TABLE soundtracks ADD COLUMN musicbrainz_release_group_id TEXT;
CREATE INDEX soundtracks_by_release ON soundtracks (musicbrainz_release_id)
    WHERE musicbrainz_release_id IS NOT NULL;

ALTER TABLE tracks ADD COLUMN musicbrainz_recording_id TEXT;

-- What follows each credited name when the credit is printed ('' for the last and for lists
-- typed by hand).
ALTER TABLE track_artists ADD COLUMN joinphrase TEXT NOT NULL DEFAULT '';

-- Answers of MusicBrainz and the Cover Art Archive, by request. `body` NULL records "nothing
-- there" (a release without a front cover). How long an entry counts is decided on reading,
-- by kind: searches and look-ups a week, "no cover" a month.
CREATE TABLE catalog_cache (
    key        TEXT    PRIMARY KEY,
    body       TEXT,
    fetched_at INTEGER NOT NULL
) WITHOUT ROWID;
