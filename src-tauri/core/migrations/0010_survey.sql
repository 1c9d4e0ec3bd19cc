-- Ranked lists made from a counted survey (issue 16). An entry may now wait for its soundtrack:
-- a title the survey named that is not in the library yet keeps its title (and, when it was
-- found online, its MusicBrainz release group) until a soundtrack of that title is added.
-- SQLite cannot drop NOT NULL in place, so ranked_entries is rebuilt with its rows and ids.

CREATE TABLE ranked_entries_new (
    id               INTEGER PRIMARY KEY,
    list_id          INTEGER NOT NULL REFERENCES ranked_lists (id) ON DELETE CASCADE,
    ord              INTEGER NOT NULL,
    soundtrack_id    INTEGER REFERENCES soundtracks (id) ON DELETE CASCADE,
    note             TEXT    NOT NULL DEFAULT '',
    -- The title as counted: what an entry without a soundtrack shows.
    title            TEXT    NOT NULL DEFAULT '',
    release_group_id TEXT,
    UNIQUE (list_id, soundtrack_id),
    CHECK (soundtrack_id IS NOT NULL OR length(trim(title)) > 0)
);
INSERT INTO ranked_entries_new (id, list_id, ord, soundtrack_id, note)
    SELECT id, list_id, ord, soundtrack_id, note FROM ranked_entries;
DROP TABLE ranked_entries;
ALTER TABLE ranked_entries_new RENAME TO ranked_entries;
CREATE INDEX ranked_entries_in_order ON ranked_entries (list_id, ord);
CREATE INDEX ranked_entries_waiting ON ranked_entries (list_id) WHERE soundtrack_id IS NULL;

-- The thread a list was counted from, kept so it can be counted again.
CREATE TABLE ranked_list_surveys (
    list_id          INTEGER PRIMARY KEY REFERENCES ranked_lists (id) ON DELETE CASCADE,
    thread           TEXT    NOT NULL,
    agreeing_replies INTEGER NOT NULL DEFAULT 0 CHECK (agreeing_replies IN (0, 1)),
    comments         INTEGER NOT NULL DEFAULT 0,
    counted_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
