//! Filling in what the library has: each soundtrack is matched to a MusicBrainz release by
//! album title, year, track count and track titles; a confident match fills what is missing
//! (cover, ids, ISRCs, durations, label, album title and year, the rest of a track list marked
//! incomplete, the release's page as a source link), a doubtful one goes to the review list
//! (`reviews.rs`, kept in the library) with its candidates.
//!
//! Nothing the user typed is ever changed: titles, artists, notes, ratings, tags, a cover they
//! set, durations and ISRCs they entered all stay; every write is a fill of an empty field,
//! guarded in SQL too. A soundtrack that already carries a release id (added from MusicBrainz,
//! or matched before) is looked up by that id instead of searched. Each soundtrack is written in
//! its own transaction after its requests are done. This module must not talk HTTP itself (the
//! client does) or know about front ends.

use std::path::Path;

use rusqlite::{params, Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::add::{fetch_cover, release_tracks, ReleaseTrack};
use super::client::{CatalogClient, RequestCounts};
use super::model::Release;
use super::rank::{self, EditionPrefs, RankedGroup};
use super::{release_page, search_groups, CatalogEvent, SearchOptions, SoundtrackCandidate};
use crate::error::{Error, Result};
use crate::model::{SoundtrackDetail, Track};

/// Song titles at least this alike are the same song.
const SONG_MATCH: f64 = 0.8;
/// An album title at least this alike to the release group's can be a confident match.
const TITLE_MATCH: f64 = 0.85;
/// Below this, a release group is not worth offering for review.
const PLAUSIBLE: f64 = 0.5;
/// Share of the library's album songs that must be found on the release.
const SONGS_FOUND: f64 = 0.8;
/// Share of the release's tracks the library must have, when its list is marked complete.
const SONGS_COVERED: f64 = 0.75;
/// Candidates kept for review.
const REVIEW_CANDIDATES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Title, year and songs agree: safe to fill in without asking.
    Confident,
    /// Something was found but does not agree well enough: for the user to decide.
    Doubtful,
    /// Nothing plausible was found.
    NotFound,
}

/// What a match fills in (or, with `applied`, filled in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Fills {
    /// The front cover (the soundtrack had none).
    pub cover: bool,
    /// The MusicBrainz release and release-group ids.
    pub ids: bool,
    /// Songs that get an ISRC.
    pub isrcs: u32,
    /// Songs that get a length.
    pub durations: u32,
    pub label: bool,
    pub album_title: bool,
    pub album_year: bool,
    /// Songs added to a track list that was marked incomplete.
    pub tracks_added: u32,
    /// The release's MusicBrainz page among the source links.
    pub source_link: bool,
}

impl Fills {
    pub fn is_empty(&self) -> bool {
        *self == Fills::default()
    }
}

/// One soundtrack's match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Proposal {
    pub soundtrack_id: i64,
    pub film_title: String,
    pub album_title: Option<String>,
    pub verdict: Verdict,
    /// Why, in a sentence: what agreed, or what did not.
    pub reason: String,
    /// The release group matched (or best found), with the edition compared as `release`.
    pub candidate: Option<SoundtrackCandidate>,
    /// Album songs of the library found on that edition, of how many.
    pub matched_tracks: u32,
    pub album_tracks: u32,
    pub release_tracks: u32,
    pub fills: Fills,
    /// Whether the fills were written.
    pub applied: bool,
    /// Why the cover was not filled, when it was expected.
    pub cover_problem: Option<String>,
    /// For review: the plausible release groups, best first.
    pub candidates: Vec<SoundtrackCandidate>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnrichCounts {
    pub confident: u32,
    pub doubtful: u32,
    pub not_found: u32,
    pub applied: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EnrichReport {
    pub proposals: Vec<Proposal>,
    pub counts: EnrichCounts,
    pub requests: RequestCounts,
    /// The run was cancelled: `proposals` holds the soundtracks done before.
    pub cancelled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrichOptions {
    /// Write the fills of confident matches (otherwise only propose).
    pub apply: bool,
    /// Use this release for the soundtrack(s) instead of searching: the user's own choice,
    /// which counts as confident.
    pub release: Option<String>,
}

/// The soundtracks to fill in: every live one, in the library's order.
pub fn all_soundtrack_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT id FROM soundtracks WHERE deleted_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Matches each soundtrack and, with `options.apply`, fills the confident ones; see the
/// module doc. An error that would fail every look-up (offline, refused) ends the run; what was
/// filled before it stays. A cancel ends it with `cancelled` set.
pub fn enrich(
    client: &CatalogClient,
    conn: &mut Connection,
    data_dir: &Path,
    soundtrack_ids: &[i64],
    options: &EnrichOptions,
    on_event: &dyn Fn(CatalogEvent),
) -> Result<EnrichReport> {
    if let Some(release) = &options.release {
        super::client::check_mbid(release)?;
        if soundtrack_ids.len() != 1 {
            return Err(Error::InvalidInput(
                "a release can be given for one soundtrack at a time".into(),
            ));
        }
    }
    crate::validate::count(
        "soundtracks",
        soundtrack_ids.len(),
        crate::validate::MAX_IDS_PER_CALL,
    )?;
    // Every id is checked before the first request, so a typo costs nothing.
    let details = soundtrack_ids
        .iter()
        .map(|id| crate::library::get_soundtrack(conn, *id))
        .collect::<Result<Vec<_>>>()?;
    let total = details.len() as u32;
    let mut report = EnrichReport {
        proposals: Vec::new(),
        counts: EnrichCounts::default(),
        requests: RequestCounts::default(),
        cancelled: false,
    };
    for (done, detail) in details.iter().enumerate() {
        on_event(CatalogEvent::Looking {
            done: done as u32,
            total,
            film_title: detail.film_title.clone(),
        });
        let outcome = propose(client, detail, options.release.as_deref()).and_then(|found| {
            let mut proposal = found.proposal;
            if options.apply && proposal.verdict == Verdict::Confident {
                if let Some(release) = &found.release {
                    let (cover, problem) = if proposal.fills.cover {
                        fetch_cover(client, release)?
                    } else {
                        (None, None)
                    };
                    proposal.fills = apply(conn, data_dir, detail, release, cover.as_deref())?;
                    proposal.applied = true;
                    if !proposal.fills.cover && detail.cover.is_none() {
                        proposal.cover_problem = problem.or_else(|| {
                            cover
                                .is_none()
                                .then(|| "the Cover Art Archive has no front cover for it".into())
                        });
                    }
                }
            }
            Ok(proposal)
        });
        let proposal = match outcome {
            Ok(proposal) => proposal,
            Err(Error::Cancelled(_)) => {
                report.cancelled = true;
                break;
            }
            Err(e) => return Err(e),
        };
        // Kept for review until settled (a confident look-up settles it).
        super::reviews::record(conn, &proposal)?;
        match proposal.verdict {
            Verdict::Confident => report.counts.confident += 1,
            Verdict::Doubtful => report.counts.doubtful += 1,
            Verdict::NotFound => report.counts.not_found += 1,
        }
        if proposal.applied {
            report.counts.applied += 1;
        }
        report.proposals.push(proposal);
    }
    on_event(CatalogEvent::Finished {
        done: report.proposals.len() as u32,
        total,
    });
    report.requests = client.counts();
    Ok(report)
}

struct Found {
    proposal: Proposal,
    /// The release compared, for applying.
    release: Option<Release>,
}

/// The library's album songs, in album order.
fn album_tracks(detail: &SoundtrackDetail) -> Vec<&Track> {
    detail.tracks.iter().filter(|t| t.on_album).collect()
}

fn propose(
    client: &CatalogClient,
    detail: &SoundtrackDetail,
    forced: Option<&str>,
) -> Result<Found> {
    let lib = album_tracks(detail);
    let year = detail.album_year.or(detail.film_year);
    let query = detail
        .album_title
        .clone()
        .filter(|t| !rank::fold_words(t).is_empty())
        .unwrap_or_else(|| detail.film_title.clone());
    let blank = |verdict: Verdict, reason: String| Proposal {
        soundtrack_id: detail.id,
        film_title: detail.film_title.clone(),
        album_title: detail.album_title.clone(),
        verdict,
        reason,
        candidate: None,
        matched_tracks: 0,
        album_tracks: lib.len() as u32,
        release_tracks: 0,
        fills: Fills::default(),
        applied: false,
        cover_problem: None,
        candidates: Vec::new(),
    };

    // The user's choice, or the release chosen before: look it up, no search.
    let chosen = forced
        .map(str::to_owned)
        .or_else(|| detail.musicbrainz_release_id.clone());
    if let Some(release_id) = chosen {
        let release = match client.release(&release_id) {
            Ok(release) => release,
            Err(Error::NotFound(message)) => {
                return Ok(Found {
                    proposal: blank(Verdict::NotFound, message),
                    release: None,
                })
            }
            Err(e) => return Err(e),
        };
        let group = single_group(&query, year, &release, client);
        let mut proposal = blank(Verdict::Confident, String::new());
        let alignment = fill_in(&mut proposal, detail, &group, &release);
        proposal.reason = format!(
            "{} release {}; {} of {} album songs found on it",
            if forced.is_some() {
                "the chosen"
            } else {
                "the stored"
            },
            release.id,
            alignment.pairs.len(),
            lib.len()
        );
        return Ok(Found {
            proposal,
            release: Some(release),
        });
    }

    let options = SearchOptions {
        year,
        wanted_tracks: (detail.tracklist_complete && !lib.is_empty()).then_some(lib.len() as u32),
    };
    let mut groups = search_groups(client, &query, &options)?;
    if groups.iter().all(|g| g.similarity < PLAUSIBLE) && query != detail.film_title {
        // An album title MusicBrainz spells differently: try the film's title once.
        let by_film = search_groups(client, &detail.film_title, &options)?;
        if !by_film.is_empty() {
            groups = by_film;
        }
    }
    let plausible: Vec<&RankedGroup> = groups
        .iter()
        .filter(|g| g.similarity >= PLAUSIBLE)
        .take(REVIEW_CANDIDATES)
        .collect();
    let candidates: Vec<SoundtrackCandidate> = plausible
        .iter()
        .map(|g| SoundtrackCandidate::of(g))
        .collect();
    if plausible.is_empty() {
        let mut proposal = blank(
            Verdict::NotFound,
            format!("MusicBrainz has no soundtrack album titled like {query:?}"),
        );
        proposal.candidates = groups.iter().take(3).map(SoundtrackCandidate::of).collect();
        return Ok(Found {
            proposal,
            release: None,
        });
    }

    // The best group's suggested edition; when it does not agree, the runner-up if its title
    // is as close (a second look-up at most).
    let mut first: Option<Found> = None;
    for (index, group) in plausible.iter().enumerate().take(2) {
        if index == 1 && group.similarity < TITLE_MATCH {
            break;
        }
        let release = client.release(&group.best().id)?;
        let mut proposal = blank(Verdict::Doubtful, String::new());
        let alignment = fill_in(&mut proposal, detail, group, &release);
        let problems = judge(detail, group, &release, &alignment);
        proposal.candidates = candidates.clone();
        if problems.is_empty() {
            proposal.verdict = Verdict::Confident;
            proposal.reason = format!(
                "title, year and {} of {} album songs agree",
                alignment.pairs.len(),
                lib.len()
            );
            return Ok(Found {
                proposal,
                release: Some(release),
            });
        }
        proposal.reason = problems.join("; ");
        if first.is_none() {
            first = Some(Found {
                proposal,
                release: Some(release),
            });
        }
    }
    let mut found = first.expect("at least one plausible group was looked up");
    // A doubtful match is never applied; the review shows its candidates.
    found.proposal.fills = Fills::default();
    Ok(found)
}

/// The group of a release looked up by id, ranked as a search would show it.
fn single_group(
    query: &str,
    year: Option<i32>,
    release: &Release,
    client: &CatalogClient,
) -> RankedGroup {
    let prefs = EditionPrefs {
        country: client.config().country.clone(),
        wanted_tracks: None,
    };
    rank::rank_groups(query, year, vec![release.clone()], &prefs)
        .into_iter()
        .next()
        .expect("one release makes one group")
}

/// Which library song is which release track.
#[derive(Debug, Clone, Default, PartialEq)]
struct Alignment {
    /// (index into the library's album songs, index into the release's tracks)
    pairs: Vec<(usize, usize)>,
    /// Every pair sits at the same disc and position on both sides.
    same_places: bool,
}

/// Pairs songs at the same place with alike titles first, then the rest by best title.
fn align(lib: &[&Track], release: &[ReleaseTrack]) -> Alignment {
    let mut used = vec![false; release.len()];
    let mut paired: Vec<Option<usize>> = vec![None; lib.len()];
    for (i, song) in lib.iter().enumerate() {
        let Some(position) = song.position else {
            continue;
        };
        if let Some(j) = release
            .iter()
            .position(|t| t.disc == song.disc && t.position == position)
        {
            if !used[j] && rank::song_similarity(&song.title, &release[j].title) >= SONG_MATCH {
                used[j] = true;
                paired[i] = Some(j);
            }
        }
    }
    let mut options: Vec<(f64, usize, usize)> = Vec::new();
    for (i, song) in lib.iter().enumerate().filter(|(i, _)| paired[*i].is_none()) {
        for (j, track) in release.iter().enumerate().filter(|(j, _)| !used[*j]) {
            let similarity = rank::song_similarity(&song.title, &track.title);
            if similarity >= SONG_MATCH {
                options.push((similarity, i, j));
            }
        }
    }
    options.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    for (_, i, j) in options {
        if paired[i].is_none() && !used[j] {
            used[j] = true;
            paired[i] = Some(j);
        }
    }
    let pairs: Vec<(usize, usize)> = paired
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    let same_places = pairs.iter().all(|&(i, j)| {
        lib[i].disc == release[j].disc && lib[i].position == Some(release[j].position)
    });
    Alignment { pairs, same_places }
}

/// What disagrees between the soundtrack and the release; empty when the match is confident.
fn judge(
    detail: &SoundtrackDetail,
    group: &RankedGroup,
    release: &Release,
    alignment: &Alignment,
) -> Vec<String> {
    let lib = album_tracks(detail);
    let release_count = release_tracks(release).len();
    let mut problems = Vec::new();
    // An album may be titled after the film's full name ("The Twilight Saga: New Moon") where
    // the library has the short one, or the other way round: either title may agree.
    let similarity = group
        .similarity
        .max(rank::title_similarity(
            &detail.film_title,
            &group.group.title,
        ))
        .max(rank::title_similarity(&detail.film_title, &release.title));
    if similarity < TITLE_MATCH {
        problems.push(format!(
            "the album title differs from MusicBrainz's {:?}",
            group.group.title
        ));
    }
    let ours = [detail.album_year, detail.film_year];
    let theirs = [
        rank::year_of(release.date.as_deref()),
        group.year(),
        rank::year_of(
            release
                .release_group
                .as_ref()
                .and_then(|g| g.first_release_date.as_deref()),
        ),
    ];
    let known_ours: Vec<i32> = ours.iter().flatten().copied().collect();
    let known_theirs: Vec<i32> = theirs.iter().flatten().copied().collect();
    let year_agrees = known_ours.is_empty()
        || known_theirs.is_empty()
        || known_ours
            .iter()
            .any(|a| known_theirs.iter().any(|b| (a - b).abs() <= 1));
    if !year_agrees {
        problems.push(format!(
            "the year differs ({} here, {} on MusicBrainz)",
            known_ours[0], known_theirs[0]
        ));
    }
    if lib.is_empty() {
        problems.push("the library has no album songs to compare".into());
    } else {
        let found = alignment.pairs.len() as f64 / lib.len() as f64;
        if found < SONGS_FOUND {
            problems.push(format!(
                "only {} of {} album songs are on it",
                alignment.pairs.len(),
                lib.len()
            ));
        } else if detail.tracklist_complete
            && (alignment.pairs.len() as f64) < SONGS_COVERED * release_count as f64
        {
            problems.push(format!(
                "it has {release_count} tracks, the library {}",
                lib.len()
            ));
        }
    }
    problems
}

/// Aligns the songs and works out what a match would fill; sets the proposal's counts and
/// candidate. Returns the alignment for judging.
fn fill_in(
    proposal: &mut Proposal,
    detail: &SoundtrackDetail,
    group: &RankedGroup,
    release: &Release,
) -> Alignment {
    let lib = album_tracks(detail);
    let tracks = release_tracks(release);
    let alignment = align(&lib, &tracks);
    let mut candidate = SoundtrackCandidate::of(group);
    candidate.release = super::Edition::of(release);
    proposal.candidate = Some(candidate);
    proposal.matched_tracks = alignment.pairs.len() as u32;
    proposal.release_tracks = tracks.len() as u32;
    proposal.fills = plan(detail, release, &lib, &tracks, &alignment);
    alignment
}

/// Whether the rest of the release's tracks may be added: the list is marked incomplete (or
/// empty), and every song it has sits at its place on the release.
fn may_add_tracks(detail: &SoundtrackDetail, lib: &[&Track], alignment: &Alignment) -> bool {
    (!detail.tracklist_complete || lib.is_empty())
        && alignment.pairs.len() == lib.len()
        && alignment.same_places
}

fn plan(
    detail: &SoundtrackDetail,
    release: &Release,
    lib: &[&Track],
    tracks: &[ReleaseTrack],
    alignment: &Alignment,
) -> Fills {
    let group_id = release.group_id();
    let page = release_page(&release.id);
    Fills {
        cover: detail.cover.is_none() && release.may_have_front_cover(),
        ids: detail.musicbrainz_release_id.as_deref() != Some(release.id.as_str())
            || (!group_id.is_empty()
                && detail.musicbrainz_release_group_id.as_deref() != Some(group_id)),
        isrcs: alignment
            .pairs
            .iter()
            .filter(|&&(i, j)| lib[i].isrc.is_none() && tracks[j].isrc.is_some())
            .count() as u32,
        durations: alignment
            .pairs
            .iter()
            .filter(|&&(i, j)| lib[i].duration_ms.is_none() && tracks[j].duration_ms.is_some())
            .count() as u32,
        label: detail.label.is_none() && release.label().0.is_some(),
        album_title: detail.album_title.is_none() && !release.title.trim().is_empty(),
        album_year: detail.album_year.is_none() && rank::year_of(release.date.as_deref()).is_some(),
        tracks_added: if may_add_tracks(detail, lib, alignment) {
            (tracks.len() - alignment.pairs.len()) as u32
        } else {
            0
        },
        source_link: !detail.source_urls.contains(&page),
    }
}

/// Writes a confident match's fills in one transaction; returns what was really filled. Every
/// statement only fills empty fields, so an edit made meanwhile is never overwritten.
fn apply(
    conn: &mut Connection,
    data_dir: &Path,
    detail: &SoundtrackDetail,
    release: &Release,
    cover: Option<&[u8]>,
) -> Result<Fills> {
    let lib = album_tracks(detail);
    let tracks = release_tracks(release);
    let alignment = align(&lib, &tracks);
    let mut fills = Fills::default();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    crate::edit::ensure_live(&tx, crate::edit::Target::Soundtrack(detail.id))?;
    let group_id = Some(release.group_id()).filter(|g| !g.is_empty());
    fills.ids = tx.execute(
        "UPDATE soundtracks SET musicbrainz_release_id = ?2,
             musicbrainz_release_group_id = coalesce(?3, musicbrainz_release_group_id)
         WHERE id = ?1 AND (musicbrainz_release_id IS NOT ?2
             OR musicbrainz_release_group_id IS NOT coalesce(?3, musicbrainz_release_group_id))",
        params![detail.id, release.id, group_id],
    )? > 0;
    let (label, _) = release.label();
    fills.label = tx.execute(
        "UPDATE soundtracks SET label = ?2 WHERE id = ?1 AND label IS NULL AND ?2 IS NOT NULL",
        params![detail.id, label],
    )? > 0;
    let title = Some(release.title.trim()).filter(|t| !t.is_empty());
    fills.album_title = tx.execute(
        "UPDATE soundtracks SET album_title = ?2
         WHERE id = ?1 AND album_title IS NULL AND ?2 IS NOT NULL",
        params![detail.id, title],
    )? > 0;
    fills.album_year = tx.execute(
        "UPDATE soundtracks SET album_year = ?2
         WHERE id = ?1 AND album_year IS NULL AND ?2 IS NOT NULL",
        params![detail.id, rank::year_of(release.date.as_deref())],
    )? > 0;
    for &(i, j) in &alignment.pairs {
        let (song, track) = (lib[i], &tracks[j]);
        fills.durations += tx.execute(
            "UPDATE tracks SET duration_ms = ?2
             WHERE id = ?1 AND duration_ms IS NULL AND ?2 IS NOT NULL",
            params![song.id, track.duration_ms],
        )? as u32;
        fills.isrcs += tx.execute(
            "UPDATE tracks SET isrc = ?2 WHERE id = ?1 AND isrc IS NULL AND ?2 IS NOT NULL",
            params![song.id, track.isrc],
        )? as u32;
        tx.execute(
            "UPDATE tracks SET musicbrainz_recording_id = ?2
             WHERE id = ?1 AND musicbrainz_recording_id IS NULL",
            params![song.id, track.recording_id],
        )?;
        // Playlist entries keep their own copy of a song's facts, taken when it was added;
        // the copies of this song get what was missing too, or Spotify matching would never
        // see the ISRC (it reads the entry).
        tx.execute(
            "UPDATE playlist_entries SET isrc = coalesce(isrc, ?2),
                 duration_ms = coalesce(duration_ms, ?3)
             WHERE track_id = ?1 AND (isrc IS NULL OR duration_ms IS NULL)",
            params![song.id, track.isrc, track.duration_ms],
        )?;
    }
    if may_add_tracks(detail, &lib, &alignment) {
        let taken: Vec<usize> = alignment.pairs.iter().map(|&(_, j)| j).collect();
        for (j, track) in tracks.iter().enumerate() {
            if taken.contains(&j) {
                continue;
            }
            tx.execute(
                "INSERT INTO tracks (soundtrack_id, disc, position, title, duration_ms, on_album)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1)",
                params![
                    detail.id,
                    track.disc,
                    track.position,
                    track.title,
                    track.duration_ms
                ],
            )?;
            let track_id = tx.last_insert_rowid();
            for (ord, name) in track.artists.iter().enumerate() {
                tx.execute(
                    "INSERT INTO track_artists (track_id, ord, name) VALUES (?1, ?2, ?3)",
                    params![track_id, ord as i64, name],
                )?;
            }
            super::add::store_track_facts(&tx, track_id, track)?;
            fills.tracks_added += 1;
        }
        tx.execute(
            "UPDATE soundtracks SET tracklist_complete = 1 WHERE id = ?1",
            [detail.id],
        )?;
    }
    let page = release_page(&release.id);
    fills.source_link = tx.execute(
        "INSERT INTO soundtrack_sources (soundtrack_id, ord, url)
         SELECT ?1, (SELECT coalesce(max(ord), -1) + 1 FROM soundtrack_sources
                     WHERE soundtrack_id = ?1), ?2
         WHERE NOT EXISTS (SELECT 1 FROM soundtrack_sources WHERE soundtrack_id = ?1 AND url = ?2)",
        params![detail.id, page],
    )? > 0;
    let mut stored_cover = None;
    if let Some(bytes) = cover {
        match crate::covers::store_image_bytes(data_dir, detail.id, bytes) {
            Ok((name, _)) => {
                if tx.execute(
                    "UPDATE soundtracks SET cover = ?2 WHERE id = ?1 AND cover IS NULL",
                    params![detail.id, name],
                )? > 0
                {
                    fills.cover = true;
                    stored_cover = Some(name);
                } else {
                    crate::covers::remove_cover_file(data_dir, &name);
                }
            }
            Err(e) => tracing::warn!(
                "the cover of release {} could not be stored: {e}",
                release.id
            ),
        }
    }
    if let Err(e) = tx.commit() {
        if let Some(name) = stored_cover {
            crate::covers::remove_cover_file(data_dir, &name);
        }
        return Err(e.into());
    }
    Ok(fills)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Media;

    fn song(id: i64, position: u32, title: &str) -> Track {
        Track {
            id,
            soundtrack_id: 1,
            disc: 1,
            position: Some(position),
            title: title.into(),
            artists: vec![],
            joinphrases: vec![],
            duration_ms: None,
            on_album: true,
            scene_note: String::new(),
            favourite: false,
            rating: None,
            notes: String::new(),
            isrc: None,
            source_url: None,
        }
    }

    fn track(position: u32, title: &str) -> ReleaseTrack {
        ReleaseTrack {
            disc: 1,
            position,
            title: title.into(),
            artists: vec![],
            joinphrases: vec![],
            duration_ms: Some(1000),
            isrc: None,
            recording_id: None,
        }
    }

    #[test]
    fn songs_pair_by_place_then_by_title() {
        let ours = [
            song(1, 1, "Would?"),
            song(2, 2, "Breath"),
            song(3, 9, "Seasons"),
        ];
        let lib: Vec<&Track> = ours.iter().collect();
        let theirs = [
            track(1, "Would?"),
            track(2, "Breath"),
            track(3, "Seasons"),
            track(4, "Other"),
        ];
        let alignment = align(&lib, &theirs);
        assert_eq!(alignment.pairs, [(0, 0), (1, 1), (2, 2)]);
        assert!(!alignment.same_places, "Seasons moved from 9 to 3");
        let unrelated = [track(1, "Big Empty"), track(2, "Burn")];
        assert!(align(&lib, &unrelated).pairs.is_empty());
    }

    #[test]
    fn missing_songs_are_added_only_to_lists_marked_incomplete_that_agree_in_place() {
        let ours = [song(1, 1, "Choose Life"), song(2, 3, "Dark and Long")];
        let lib: Vec<&Track> = ours.iter().collect();
        let theirs = [
            track(1, "Choose Life"),
            track(2, "The Passenger"),
            track(3, "Dark and Long"),
        ];
        let alignment = align(&lib, &theirs);
        let mut detail = SoundtrackDetail {
            id: 1,
            film_title: "Trainspotting".into(),
            film_year: Some(1996),
            media: Media::Film,
            album_title: None,
            album_year: None,
            label: None,
            notes: String::new(),
            rating: None,
            favourite: false,
            cover: None,
            tracklist_complete: false,
            source_urls: vec![],
            provenance: String::new(),
            tags: vec![],
            musicbrainz_release_id: None,
            musicbrainz_release_group_id: None,
            tracks: ours.to_vec(),
        };
        assert!(may_add_tracks(&detail, &lib, &alignment));
        detail.tracklist_complete = true;
        assert!(!may_add_tracks(&detail, &lib, &alignment));
    }
}
