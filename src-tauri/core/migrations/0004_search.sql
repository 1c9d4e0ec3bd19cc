-- Instant search: one FTS5 index over everything a person might type — film and album titles,
-- labels, song titles, artists, notes, scene notes and tags — kept in step with the tables by
-- triggers, so every write path (seeding, edits, the trash) updates it in the same transaction.
--
-- One index row per live soundtrack (rowid = -id) and per live song (rowid = +id): the sign
-- tells the kind apart and a row is found or removed by rowid without a scan, which an
-- UNINDEXED "kind, id" pair would need. unicode61 with remove_diacritics 2 folds case and
-- accents ("Mötley Crüe" = "motley crue") and splits on punctuation ("Would?" = "would",
-- "Romeo + Juliet" = "romeo juliet").

-- Prefix indexes for one to four letters: the word being typed is a prefix, and without them
-- FTS5 merges the lists of every word that starts with "lo" (love, lost, lonely…) at each
-- keystroke. They cost file size (see docs/BENCHMARKS.md) and save most of the latency.
CREATE VIRTUAL TABLE search_index USING fts5(
    title, artists, album, tags, notes,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3 4'
);

-- The indexed words, for correcting a misspelt word to the nearest one that exists.
CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_index, row);

-- What each index row holds, computed from the tables. A soundtrack's songs are only found while
-- the soundtrack itself is out of the trash.
CREATE VIEW search_soundtrack_docs AS
SELECT s.id,
       s.film_title AS title,
       '' AS artists,
       concat_ws(' ', s.album_title, s.label) AS album,
       coalesce((SELECT group_concat(g.name, ' ') FROM soundtrack_tags st
                 JOIN tags g ON g.id = st.tag_id WHERE st.soundtrack_id = s.id), '') AS tags,
       s.notes AS notes
FROM soundtracks s
WHERE s.deleted_at IS NULL;

CREATE VIEW search_track_docs AS
SELECT t.id,
       t.title AS title,
       coalesce((SELECT group_concat(name, ' ') FROM
                 (SELECT a.name FROM track_artists a WHERE a.track_id = t.id ORDER BY a.ord)), '')
           AS artists,
       concat_ws(' ', s.film_title, s.album_title) AS album,
       coalesce((SELECT group_concat(g.name, ' ') FROM track_tags tt
                 JOIN tags g ON g.id = tt.tag_id WHERE tt.track_id = t.id), '') AS tags,
       concat_ws(' ', t.notes, t.scene_note) AS notes
FROM tracks t JOIN soundtracks s ON s.id = t.soundtrack_id
WHERE t.deleted_at IS NULL AND s.deleted_at IS NULL;

-- Soundtracks. A change to the film or album title, or a trip to the trash, also changes what
-- its songs' rows hold.
CREATE TRIGGER search_soundtrack_insert AFTER INSERT ON soundtracks BEGIN
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_soundtrack_update
AFTER UPDATE OF film_title, album_title, label, notes, deleted_at ON soundtracks BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_soundtrack_songs_update
AFTER UPDATE OF film_title, album_title, deleted_at ON soundtracks BEGIN
    DELETE FROM search_index WHERE rowid IN (SELECT id FROM tracks WHERE soundtrack_id = NEW.id);
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT d.id, d.title, d.artists, d.album, d.tags, d.notes
    FROM search_track_docs d JOIN tracks t ON t.id = d.id WHERE t.soundtrack_id = NEW.id;
END;

CREATE TRIGGER search_soundtrack_delete BEFORE DELETE ON soundtracks BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.id;
    DELETE FROM search_index WHERE rowid IN (SELECT id FROM tracks WHERE soundtrack_id = OLD.id);
END;

-- Songs, their artists and their tags.
CREATE TRIGGER search_track_insert AFTER INSERT ON tracks BEGIN
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_track_update
AFTER UPDATE OF title, notes, scene_note, deleted_at, soundtrack_id ON tracks BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = NEW.id;
END;

CREATE TRIGGER search_track_delete AFTER DELETE ON tracks BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_artist_insert AFTER INSERT ON track_artists BEGIN
    DELETE FROM search_index WHERE rowid = NEW.track_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = NEW.track_id;
END;

CREATE TRIGGER search_artist_update AFTER UPDATE ON track_artists BEGIN
    DELETE FROM search_index WHERE rowid IN (OLD.track_id, NEW.track_id);
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs
    WHERE id IN (OLD.track_id, NEW.track_id);
END;

CREATE TRIGGER search_artist_delete AFTER DELETE ON track_artists BEGIN
    DELETE FROM search_index WHERE rowid = OLD.track_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = OLD.track_id;
END;

CREATE TRIGGER search_soundtrack_tag_insert AFTER INSERT ON soundtrack_tags BEGIN
    DELETE FROM search_index WHERE rowid = -NEW.soundtrack_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs
    WHERE id = NEW.soundtrack_id;
END;

CREATE TRIGGER search_soundtrack_tag_delete AFTER DELETE ON soundtrack_tags BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.soundtrack_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs
    WHERE id = OLD.soundtrack_id;
END;

CREATE TRIGGER search_track_tag_insert AFTER INSERT ON track_tags BEGIN
    DELETE FROM search_index WHERE rowid = NEW.track_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = NEW.track_id;
END;

CREATE TRIGGER search_track_tag_delete AFTER DELETE ON track_tags BEGIN
    DELETE FROM search_index WHERE rowid = OLD.track_id;
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT id, title, artists, album, tags, notes FROM search_track_docs WHERE id = OLD.track_id;
END;

CREATE TRIGGER search_tag_rename AFTER UPDATE OF name ON tags BEGIN
    DELETE FROM search_index WHERE rowid IN
        (SELECT -soundtrack_id FROM soundtrack_tags WHERE tag_id = NEW.id
         UNION ALL SELECT track_id FROM track_tags WHERE tag_id = NEW.id);
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT -d.id, d.title, d.artists, d.album, d.tags, d.notes FROM search_soundtrack_docs d
    WHERE d.id IN (SELECT soundtrack_id FROM soundtrack_tags WHERE tag_id = NEW.id);
    INSERT INTO search_index (rowid, title, artists, album, tags, notes)
    SELECT d.id, d.title, d.artists, d.album, d.tags, d.notes FROM search_track_docs d
    WHERE d.id IN (SELECT track_id FROM track_tags WHERE tag_id = NEW.id);
END;

-- A library at the previous version: index what it already holds.
INSERT INTO search_index (rowid, title, artists, album, tags, notes)
SELECT -id, title, artists, album, tags, notes FROM search_soundtrack_docs;
INSERT INTO search_index (rowid, title, artists, album, tags, notes)
SELECT id, title, artists, album, tags, notes FROM search_track_docs;
