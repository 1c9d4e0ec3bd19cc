-- Spotify export. A decision is kept per song and reused by every playlist holding that song:
-- `song_key` is 't<track id>' for a library song, else 'n<normalised artists>|<normalised title>'
-- for a song that only lives in playlists. `candidates` keeps what the last search offered, so
-- the review can show it again without searching.

CREATE TABLE spotify_matches (
    song_key   TEXT PRIMARY KEY,
    state      TEXT NOT NULL
               CHECK (state IN ('matched', 'chosen', 'doubtful', 'not_found', 'not_on_spotify')),
    uri        TEXT CHECK (uri IS NULL OR uri LIKE 'spotify:track:%'),
    score      REAL,
    candidates TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(candidates)),
    decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((state IN ('matched', 'chosen')) = (uri IS NOT NULL))
) WITHOUT ROWID;

-- The Spotify playlist each of our playlists is synced with. The row is written as soon as the
-- remote playlist exists (so an interrupted first export never creates a second one);
-- `synced_uris` is the remote content after the last export that finished, and NULL while an
-- export is unfinished, which makes the next export read the remote content before writing.
CREATE TABLE spotify_playlists (
    playlist_id INTEGER PRIMARY KEY REFERENCES playlists (id) ON DELETE CASCADE,
    remote_id   TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    public      INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    snapshot_id TEXT,
    synced_uris TEXT CHECK (synced_uris IS NULL OR json_valid(synced_uris)),
    exported_at TEXT
);
