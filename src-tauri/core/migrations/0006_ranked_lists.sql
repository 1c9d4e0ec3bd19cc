-- Ranked lists: a curator's "best of" soundtracks, in order, with a note per entry. A
-- soundtrack appears at most once per list; one in the trash is hidden from its lists until it
-- is restored, and leaves them when the trash is emptied.

CREATE TABLE ranked_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE ranked_entries (
    id            INTEGER PRIMARY KEY,
    list_id       INTEGER NOT NULL REFERENCES ranked_lists (id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    soundtrack_id INTEGER NOT NULL REFERENCES soundtracks (id) ON DELETE CASCADE,
    note          TEXT    NOT NULL DEFAULT '',
    UNIQUE (list_id, soundtrack_id)
);
CREATE INDEX ranked_entries_in_order ON ranked_entries (list_id, ord);
