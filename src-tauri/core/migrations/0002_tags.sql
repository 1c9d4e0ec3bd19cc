-- Free tags (alt-rock, grunge, new wave…) on soundtracks and songs. A tag's name is unique
-- regardless of case, so "Grunge" and "grunge" are one tag.

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0)
);

CREATE TABLE soundtrack_tags (
    soundtrack_id INTEGER NOT NULL REFERENCES soundtracks (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (soundtrack_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX soundtrack_tags_by_tag ON soundtrack_tags (tag_id);

CREATE TABLE track_tags (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (track_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX track_tags_by_tag ON track_tags (tag_id);
