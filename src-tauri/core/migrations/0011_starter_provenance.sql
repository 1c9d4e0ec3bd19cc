-- Where a soundtrack's facts came from, kept beside its sources (issue 17). The starter
-- catalogue's notes ("Titles/order from …") used to sit in `notes`, where the fan's own notes
-- go; `starter.rs` moves them here once, and only when a soundtrack's notes are still exactly
-- the catalogue's text, so nothing a fan wrote is touched.
ALTER TABLE soundtracks ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
