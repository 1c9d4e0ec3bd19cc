-- The trash: deleting a soundtrack or a song sets deleted_at instead of removing the row, so the
-- deletion can be undone with every rating, note, tag and playlist reference intact. Emptying the
-- trash removes the rows for good.

ALTER TABLE soundtracks ADD COLUMN deleted_at TEXT;
ALTER TABLE tracks ADD COLUMN deleted_at TEXT;

CREATE INDEX soundtracks_in_trash ON soundtracks (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX tracks_in_trash ON tracks (deleted_at) WHERE deleted_at IS NOT NULL;
