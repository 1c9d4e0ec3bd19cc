-- The library: soundtracks, their sources, and their songs (album tracks and songs heard only in
-- the film). Ratings are in half stars (1 = half a star, 10 = five stars).

CREATE TABLE soundtracks (
    id                 INTEGER PRIMARY KEY,
    film_title         TEXT    NOT NULL CHECK (length(trim(film_title)) > 0),
    film_year          INTEGER,
    media              TEXT    NOT NULL DEFAULT 'film' CHECK (media IN ('film', 'tv', 'other')),
    album_title        TEXT,
    album_year         INTEGER,
    label              TEXT,
    notes              TEXT    NOT NULL DEFAULT '',
    rating             INTEGER CHECK (rating BETWEEN 1 AND 10),
    favourite          INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
    cover              TEXT,
    tracklist_complete INTEGER NOT NULL DEFAULT 1 CHECK (tracklist_complete IN (0, 1)),
    added_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE soundtrack_sources (
    soundtrack_id INTEGER NOT NULL REFERENCES soundtracks (id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    url           TEXT    NOT NULL,
    PRIMARY KEY (soundtrack_id, ord)
) WITHOUT ROWID;

CREATE TABLE tracks (
    id            INTEGER PRIMARY KEY,
    soundtrack_id INTEGER NOT NULL REFERENCES soundtracks (id) ON DELETE CASCADE,
    disc          INTEGER NOT NULL DEFAULT 1 CHECK (disc >= 1),
    -- NULL for a song heard in the film that is not on the album.
    position      INTEGER CHECK (position >= 1),
    title         TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    duration_ms   INTEGER CHECK (duration_ms >= 0),
    on_album      INTEGER NOT NULL DEFAULT 1 CHECK (on_album IN (0, 1)),
    scene_note    TEXT    NOT NULL DEFAULT '',
    favourite     INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
    rating        INTEGER CHECK (rating BETWEEN 1 AND 10),
    notes         TEXT    NOT NULL DEFAULT '',
    isrc          TEXT,
    source_url    TEXT,
    -- Film-only songs keep the order they were entered in.
    film_order    INTEGER,
    added_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX tracks_by_soundtrack ON tracks (soundtrack_id, on_album DESC, disc, position, film_order);

-- Artists in credit order. Names are kept as written; there is no artist entity to keep in sync.
CREATE TABLE track_artists (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    PRIMARY KEY (track_id, ord)
) WITHOUT ROWID;

-- Small facts about the library itself (e.g. whether the starter catalog was seeded).
CREATE TABLE library_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
