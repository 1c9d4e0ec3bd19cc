-- The library view's opening order (date added) and its count read this small index instead of
-- every soundtrack row: the first page of a 10,000-soundtrack library then touches a few index
-- pages and the page's own rows, not the whole table with its notes (issue 6).
CREATE INDEX soundtracks_by_added ON soundtracks (added_at, id) WHERE deleted_at IS NULL;
