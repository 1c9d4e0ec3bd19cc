//! Matching a playlist's songs to Spotify tracks: the key each decision is kept under, which
//! songs need a search, running the planned searches, the review's report, and the curator's
//! own choices. It must not write to Spotify; the export reads the decisions made here.

use super::*;

/// One song of a playlist and where it stands with Spotify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SongMatch {
    /// What `cuesheet spotify choose` takes: the library song's id, or `e<entry id>` for a
    /// song that only lives in playlists.
    pub song_id: String,
    /// 1-based place in the playlist (a song there twice is listed once, at its first place).
    pub position: u32,
    pub title: String,
    pub artists: Vec<String>,
    pub album: Option<String>,
    pub film: Option<String>,
    pub duration_ms: Option<u32>,
    pub state: MatchState,
    pub uri: Option<String>,
    pub score: Option<f64>,
    pub candidates: Vec<Scored>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchCounts {
    pub matched: u32,
    pub chosen: u32,
    pub doubtful: u32,
    pub not_found: u32,
    pub not_on_spotify: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MatchReport {
    pub playlist_id: i64,
    pub playlist_name: String,
    pub songs: Vec<SongMatch>,
    pub counts: MatchCounts,
    pub calls: CallCounts,
}

// ---------------------------------------------------------------------------------------------
// Songs and decisions

/// One song of the playlist as matching sees it.
#[derive(Debug, Clone)]
pub(super) struct SongRef {
    key: String,
    song_id: String,
    position: u32,
    query: SongQuery,
    known_uri: Option<String>,
}

/// The key decisions are kept under: a library song by id, any other by its normalised
/// artists and title, so the same song in two imported playlists shares one decision.
fn song_key(track_id: Option<i64>, artists: &[String], title: &str) -> String {
    match track_id {
        Some(id) => format!("t{id}"),
        None => format!(
            "n{}|{}",
            matcher::normalise(&artists.join(", ")),
            matcher::normalise(title)
        ),
    }
}

pub(super) fn song_refs(detail: &PlaylistDetail) -> Vec<SongRef> {
    detail
        .songs
        .iter()
        .map(|song| SongRef {
            key: song_key(song.track_id, &song.song.artists, &song.song.title),
            song_id: song
                .track_id
                .map(|id| id.to_string())
                .unwrap_or_else(|| format!("e{}", song.entry_id)),
            position: song.position,
            query: SongQuery {
                title: song.song.title.clone(),
                artists: song.song.artists.clone(),
                album: song.song.album.clone(),
                film: song.film_title.clone(),
                duration_ms: song.song.duration_ms.map(i64::from),
                isrc: song.song.isrc.clone(),
            },
            known_uri: song
                .song
                .spotify_uri
                .as_deref()
                .and_then(|uri| normalise_track_uri(uri).ok()),
        })
        .collect()
}

/// The decision a song has without searching: the curator's, the file's URI, or a remembered
/// search (unless `rematch`). `None` means it must be searched.
fn settled_decision(conn: &Connection, song: &SongRef, rematch: bool) -> Result<Option<Decision>> {
    let stored = store::decision(conn, &song.key)?;
    if let Some(decision) = &stored {
        if decision.state.is_curated() {
            return Ok(stored);
        }
    }
    if let Some(uri) = &song.known_uri {
        return Ok(Some(Decision {
            state: MatchState::Matched,
            uri: Some(uri.clone()),
            score: Some(1.0),
            candidates: Vec::new(),
        }));
    }
    Ok(if rematch { None } else { stored })
}

/// Runs the planned searches for one song in their order, stopping at the first confident
/// answer, and skipping a search that only narrows one whose page already held every match.
fn search_song(client: &Client<'_>, song: &SongQuery) -> Result<Decision> {
    let mut candidates = Vec::new();
    let mut complete: Vec<SearchKind> = Vec::new();
    for planned in matcher::plan_searches(song) {
        if planned.narrows.is_some_and(|kind| complete.contains(&kind)) {
            continue;
        }
        let page = client.search(&planned.query)?;
        if page.complete {
            complete.push(planned.kind);
        }
        candidates.extend(page.candidates);
        if matcher::is_confident(&matcher::judge(song, &candidates)) {
            break;
        }
    }
    Ok(decision_from(matcher::judge(song, &candidates)))
}

fn decision_from(judgement: matcher::Judgement) -> Decision {
    let best = judgement.best().cloned();
    let (state, uri) = match judgement.verdict {
        Verdict::Matched => (
            MatchState::Matched,
            best.as_ref().map(|b| b.candidate.uri.clone()),
        ),
        Verdict::Doubtful => (MatchState::Doubtful, None),
        Verdict::NotFound => (MatchState::NotFound, None),
    };
    Decision {
        state,
        uri,
        score: best.map(|b| b.score),
        candidates: judgement.ranked,
    }
}

/// What a song never searched shows: not found, no candidates.
fn unsearched() -> Decision {
    Decision {
        state: MatchState::NotFound,
        uri: None,
        score: None,
        candidates: Vec::new(),
    }
}

/// Decides every song, searching only those without a decision. Each decision is saved at
/// once, so matching interrupted half-way keeps the half it did. The result lines up with
/// `songs`: two entries of one library song share its decision, unless their files named
/// different Spotify recordings.
pub(super) fn resolve(
    conn: &Connection,
    songs: &[SongRef],
    rematch: bool,
    client: Option<&Client<'_>>,
    work: &Work<'_>,
) -> Result<Vec<Decision>> {
    let mut seen: HashMap<(String, Option<String>), Decision> = HashMap::new();
    let mut decisions = Vec::with_capacity(songs.len());
    let total = songs.len() as u32;
    for (done, song) in songs.iter().enumerate() {
        let cache_key = (song.key.clone(), song.known_uri.clone());
        let decision = match seen.get(&cache_key) {
            Some(decision) => decision.clone(),
            None => {
                let decision = match settled_decision(conn, song, rematch)? {
                    Some(decision) => decision,
                    None => {
                        let client = client.ok_or_else(|| {
                            Error::Internal("a song needs searching but no client was made".into())
                        })?;
                        let decision = search_song(client, &song.query)?;
                        store::save_decision(conn, &song.key, &decision)?;
                        decision
                    }
                };
                seen.insert(cache_key, decision.clone());
                decision
            }
        };
        decisions.push(decision);
        (work.on_event)(SpotifyEvent::Matching {
            done: done as u32 + 1,
            total,
        });
    }
    Ok(decisions)
}

pub(super) fn needs_search(conn: &Connection, songs: &[SongRef], rematch: bool) -> Result<bool> {
    for song in songs {
        if settled_decision(conn, song, rematch)?.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) fn report(
    detail: &PlaylistDetail,
    songs: &[SongRef],
    decisions: &[Decision],
    calls: CallCounts,
) -> MatchReport {
    let mut seen = std::collections::HashSet::new();
    let mut counts = MatchCounts::default();
    let mut listed = Vec::new();
    for (song, decision) in songs.iter().zip(decisions) {
        if !seen.insert((song.key.clone(), decision.uri.clone())) {
            continue;
        }
        match decision.state {
            MatchState::Matched => counts.matched += 1,
            MatchState::Chosen => counts.chosen += 1,
            MatchState::Doubtful => counts.doubtful += 1,
            MatchState::NotFound => counts.not_found += 1,
            MatchState::NotOnSpotify => counts.not_on_spotify += 1,
        }
        listed.push(song_match(song, decision));
    }
    MatchReport {
        playlist_id: detail.summary.id,
        playlist_name: detail.summary.name.clone(),
        songs: listed,
        counts,
        calls,
    }
}

/// The URIs to export, in playlist order, duplicates kept.
pub(super) fn wanted_uris(decisions: &[Decision]) -> Vec<String> {
    decisions
        .iter()
        .filter(|d| matches!(d.state, MatchState::Matched | MatchState::Chosen))
        .filter_map(|d| d.uri.clone())
        .collect()
}

/// The review's view of a playlist, from what is remembered: no network call.
pub fn review(data_dir: &Path, playlist: &str) -> Result<MatchReport> {
    let conn = db::open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let songs = song_refs(&detail);
    let mut decisions = Vec::with_capacity(songs.len());
    for song in &songs {
        decisions.push(settled_decision(&conn, song, false)?.unwrap_or_else(unsearched));
    }
    // Songs never searched show as not found with no candidates until matching runs.
    Ok(report(&detail, &songs, &decisions, CallCounts::default()))
}

/// Matches every song of a playlist without writing to Spotify (`cuesheet spotify match`).
pub fn match_playlist(
    data_dir: &Path,
    playlist: &str,
    rematch: bool,
    work: &Work<'_>,
) -> Result<MatchReport> {
    let (conn, config) = open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let songs = song_refs(&detail);
    if !needs_search(&conn, &songs, rematch)? {
        let decisions = resolve(&conn, &songs, rematch, None, work)?;
        return Ok(report(&detail, &songs, &decisions, CallCounts::default()));
    }
    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let decisions = resolve(&conn, &songs, rematch, Some(&client), work)?;
    (work.on_event)(SpotifyEvent::Finished);
    Ok(report(&detail, &songs, &decisions, client.counts()))
}

/// The Spotify pages the window may open in the browser (an exported playlist, the developer
/// dashboard): only Spotify's own https sites, so the window cannot be made to open arbitrary
/// addresses through this.
pub fn check_page_link(url: &str) -> Result<()> {
    const ALLOWED: [&str; 2] = [
        "https://open.spotify.com/",
        "https://developer.spotify.com/",
    ];
    validate::text("Spotify link", url, MAX_SPOTIFY_LINK)?;
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !plain || !ALLOWED.iter().any(|prefix| url.starts_with(prefix)) {
        return Err(Error::InvalidInput(format!(
            "Spotify link: {} is not a Spotify page",
            validate::quoted(url)
        )));
    }
    Ok(())
}

/// Parses a track URI or an open.spotify.com link into `spotify:track:<id>`.
pub fn normalise_track_uri(text: &str) -> Result<String> {
    let text = text.trim();
    validate::text("Spotify track", text, MAX_SPOTIFY_LINK)?;
    let id = if let Some(id) = text.strip_prefix("spotify:track:") {
        id
    } else if let Some(rest) = text
        .strip_prefix("https://open.spotify.com/")
        .or_else(|| text.strip_prefix("http://open.spotify.com/"))
    {
        // Links may carry a locale segment ("intl-de/track/…") and a `?si=` share tag.
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        rest.rsplit_once("track/").map(|(_, id)| id).unwrap_or("")
    } else {
        ""
    };
    if id.len() == 22 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(format!("spotify:track:{id}"))
    } else {
        Err(Error::InvalidInput(format!(
            "Spotify track: {} is not a Spotify track; give a URI like \
             spotify:track:4uLU6hMCjMI75M1A2tKUQC or a link like \
             https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            validate::quoted(text)
        )))
    }
}

/// A song as the review names it: a library song's id ("12") or, for a playlist song that is
/// not from the library, its entry's id with an `e` ("e34").
#[derive(Debug, Clone, Copy)]
enum SongId {
    Track(i64),
    Entry(i64),
}

/// Reads a song id without touching the library, so a malformed one is an `InvalidInput`
/// before anything is opened (and never a `NotFound`, which would suggest it once existed).
fn parse_song_id(song_id: &str) -> Result<SongId> {
    let text = song_id.trim();
    let (entry, digits) = match text.strip_prefix('e') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let number = (!digits.is_empty() && digits.len() <= 19)
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n > 0 && digits.bytes().all(|b| b.is_ascii_digit()));
    match (number, entry) {
        (Some(id), true) => Ok(SongId::Entry(id)),
        (Some(id), false) => Ok(SongId::Track(id)),
        (None, _) => Err(Error::InvalidInput(format!(
            "song id: {} is not a song id (a number, or e and a number, as `cuesheet spotify \
             match` prints them)",
            validate::quoted(text)
        ))),
    }
}

/// Finds the song `song_id` names (a library song's id, or `e<entry id>`).
fn song_by_id(conn: &Connection, song_id: &str) -> Result<SongRef> {
    let parsed = parse_song_id(song_id)?;
    let song_id = song_id.trim();
    let not_found = || {
        Error::NotFound(format!(
            "there is no song {song_id}: use the ids `cuesheet spotify match` prints"
        ))
    };
    let (sql, id) = match parsed {
        SongId::Entry(id) => (
            "SELECT e.playlist_id, e.ord FROM playlist_entries e WHERE e.id = ?1",
            id,
        ),
        SongId::Track(id) => (
            "SELECT e.playlist_id, e.ord FROM playlist_entries e WHERE e.track_id = ?1
             UNION ALL SELECT NULL, NULL FROM tracks t WHERE t.id = ?1 AND t.deleted_at IS NULL
             LIMIT 1",
            id,
        ),
    };
    let place: Option<(Option<i64>, Option<u32>)> = {
        use rusqlite::OptionalExtension;
        conn.query_row(sql, [id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
    };
    match place {
        Some((Some(playlist_id), Some(ord))) => {
            let detail = playlists::get_playlist(conn, playlist_id)?;
            song_refs(&detail)
                .into_iter()
                .nth(ord as usize)
                .ok_or_else(not_found)
        }
        // A library song on no playlist yet: decide it from its library row.
        Some(_) => {
            let sql = format!(
                "SELECT {}, s.album_title, s.film_title FROM tracks t
                 JOIN soundtracks s ON s.id = t.soundtrack_id WHERE t.id = ?1",
                crate::library::TRACK_COLUMNS
            );
            let (track, album, film) = conn.query_row(&sql, [id], |row| {
                Ok((
                    crate::library::track_from_row(row)?,
                    row.get::<_, Option<String>>(14)?,
                    row.get::<_, String>(15)?,
                ))
            })?;
            Ok(SongRef {
                key: format!("t{id}"),
                song_id: id.to_string(),
                position: 0,
                query: SongQuery {
                    title: track.title,
                    artists: track.artists,
                    album,
                    film: Some(film),
                    duration_ms: track.duration_ms.map(i64::from),
                    isrc: track.isrc,
                },
                known_uri: None,
            })
        }
        None => Err(not_found()),
    }
}

/// The curator's decision for one song: a Spotify track, or `None` for "not on Spotify".
/// Reused by every later export of every playlist holding the song.
pub fn choose(data_dir: &Path, song_id: &str, uri: Option<&str>) -> Result<SongMatch> {
    // Both arguments are checked before the library is opened.
    parse_song_id(song_id)?;
    let uri = uri.map(normalise_track_uri).transpose()?;
    let conn = db::open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    let previous = store::decision(&conn, &song.key)?;
    let candidates = previous.map(|p| p.candidates).unwrap_or_default();
    let decision = match uri {
        Some(uri) => Decision {
            state: MatchState::Chosen,
            uri: Some(uri),
            score: None,
            candidates,
        },
        None => Decision {
            state: MatchState::NotOnSpotify,
            uri: None,
            score: None,
            candidates,
        },
    };
    store::save_decision(&conn, &song.key, &decision)?;
    Ok(song_match(&song, &decision))
}

/// Forgets a decision (the review's "undo"): the song is searched again at the next match.
pub fn forget_choice(data_dir: &Path, song_id: &str) -> Result<()> {
    parse_song_id(song_id)?;
    let conn = db::open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    conn.execute(
        "DELETE FROM spotify_matches WHERE song_key = ?1",
        [&song.key],
    )?;
    Ok(())
}

/// Searches Spotify with the curator's own words and scores the results against the song;
/// the candidates are remembered for the review (the decision itself does not change).
pub fn search_for_song(
    data_dir: &Path,
    song_id: &str,
    words: &str,
    work: &Work<'_>,
) -> Result<SongMatch> {
    parse_song_id(song_id)?;
    let words = words.trim();
    if words.is_empty() {
        return Err(Error::InvalidInput(format!(
            "search words: empty; type a few words to search Spotify for (at most \
             {MAX_SPOTIFY_WORDS} characters)"
        )));
    }
    validate::text("search words", words, MAX_SPOTIFY_WORDS)?;
    let (conn, config) = open(data_dir)?;
    let song = song_by_id(&conn, song_id)?;
    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let found = client.search(words)?;
    let judged = matcher::judge(&song.query, &found.candidates);
    let mut decision = store::decision(&conn, &song.key)?.unwrap_or_else(unsearched);
    if !decision.state.is_curated() && decision.state != MatchState::Matched {
        decision.state = if judged.ranked.is_empty() {
            MatchState::NotFound
        } else {
            MatchState::Doubtful
        };
    }
    decision.candidates = judged.ranked;
    store::save_decision(&conn, &song.key, &decision)?;
    Ok(song_match(&song, &decision))
}

fn song_match(song: &SongRef, decision: &Decision) -> SongMatch {
    SongMatch {
        song_id: song.song_id.clone(),
        position: song.position,
        title: song.query.title.clone(),
        artists: song.query.artists.clone(),
        album: song.query.album.clone(),
        film: song.query.film.clone(),
        duration_ms: song.query.duration_ms.map(|d| d as u32),
        state: decision.state,
        uri: decision.uri.clone(),
        score: decision.score,
        candidates: decision.candidates.clone(),
    }
}
