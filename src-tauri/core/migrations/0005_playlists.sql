-- Playlists. An entry keeps its own copy of what a playlist file says about a song (title,
-- artists, album, duration, ids), so an imported song needs no library row, and a song added from
-- the library keeps its link (track_id) for film, rating and Spotify matching. The same song may
-- appear twice on purpose; `ord` is the order, dense from 0.

CREATE TABLE playlists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE playlist_entries (
    id          INTEGER PRIMARY KEY,
    playlist_id INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    track_id    INTEGER REFERENCES tracks (id) ON DELETE SET NULL,
    title       TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    -- JSON array of names in credit order.
    artists     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(artists)),
    album       TEXT,
    duration_ms INTEGER CHECK (duration_ms >= 0),
    spotify_uri TEXT,
    isrc        TEXT,
    location    TEXT,
    notes       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX playlist_entries_in_order ON playlist_entries (playlist_id, ord);
CREATE INDEX playlist_entries_by_track ON playlist_entries (track_id) WHERE track_id IS NOT NULL;
