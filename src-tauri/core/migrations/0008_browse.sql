-- The library view reads small indexes instead of every soundtrack row (issue 6): its opening
-- order (date added) and count walk the first, the filter bar's decades the second. A page of a
-- 10,000-soundtrack library then touches a few index pages and the page's own rows, not the
-- whole table with its notes, and the window's page cache stays small.
CREATE INDEX soundtracks_by_added ON soundtracks (added_at, id) WHERE deleted_at IS NULL;
CREATE INDEX soundtracks_by_year ON soundtracks (film_year) WHERE deleted_at IS NULL;
