//! Adding a MusicBrainz release to the library as a soundtrack: every medium's tracks in order
//! with disc, position, title, credited artists with their join phrases, duration and ISRC; the
//! album's title, year and label; the release and release-group ids; the release's page as the
//! source link; and the front cover through the library's cover path.
//!
//! The network comes first (look-up, cover), then one transaction writes everything, so a
//! soundtrack lands whole or not at all and no request is made while the library is locked.
//! This module must not choose editions (that is `rank`) or know about front ends.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::CatalogClient;
use super::model::{Credit, Release, Track as MbTrack};
use super::{rank, release_page};
use crate::error::{Error, Result};
use crate::library::{insert_soundtrack, NewSoundtrack, NewTrack};
use crate::model::Media;
use crate::validate::MAX_TITLE;

/// What the user may set when adding a release (the rest comes from MusicBrainz).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddOptions {
    /// The film's title; when empty, the album title without "Original Motion Picture
    /// Soundtrack" and the like.
    pub film_title: Option<String>,
    /// The film's year; when empty, the year of the album's first release.
    pub film_year: Option<i32>,
    pub media: Media,
}

impl Default for AddOptions {
    fn default() -> Self {
        AddOptions {
            film_title: None,
            film_year: None,
            media: Media::Film,
        }
    }
}

/// What adding did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Added {
    pub soundtrack_id: i64,
    /// The release stored: differs from the one asked for when MusicBrainz merged that one.
    pub release_id: String,
    pub cover: bool,
    /// Why there is no cover, when a cover was expected but could not be fetched.
    pub cover_problem: Option<String>,
}

/// One track of a release, flattened out of its medium, as the library stores it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReleaseTrack {
    pub disc: u32,
    pub position: u32,
    pub title: String,
    pub artists: Vec<String>,
    pub joinphrases: Vec<String>,
    pub duration_ms: Option<u32>,
    pub isrc: Option<String>,
    pub recording_id: Option<String>,
}

/// Every medium's tracks in (disc, position) order. Media without a position take the next
/// disc number; tracks without one keep their place in the answer.
pub(crate) fn release_tracks(release: &Release) -> Vec<ReleaseTrack> {
    let mut media: Vec<(u32, &super::model::Medium)> = release
        .media
        .iter()
        .enumerate()
        .map(|(i, m)| (m.position.unwrap_or(i as u32 + 1).max(1), m))
        .collect();
    media.sort_by_key(|(disc, _)| *disc);
    let mut out = Vec::new();
    for (disc, medium) in media {
        let mut tracks: Vec<(u32, &MbTrack)> = medium
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.position.unwrap_or(i as u32 + 1).max(1), t))
            .collect();
        tracks.sort_by_key(|(position, _)| *position);
        for (position, track) in tracks {
            let recording = track.recording.as_ref();
            let title = [
                track.title.as_str(),
                recording.map_or("", |r| r.title.as_str()),
            ]
            .into_iter()
            .map(str::trim)
            .find(|t| !t.is_empty())
            .unwrap_or("[untitled]");
            let credits: &[Credit] = if !track.artist_credit.is_empty() {
                &track.artist_credit
            } else if let Some(r) = recording.filter(|r| !r.artist_credit.is_empty()) {
                &r.artist_credit
            } else if !release.is_various_artists() {
                &release.artist_credit
            } else {
                // "Various Artists" is nobody's name for one song.
                &[]
            };
            let credits: Vec<&Credit> = credits
                .iter()
                .filter(|c| !c.name.trim().is_empty())
                .collect();
            out.push(ReleaseTrack {
                disc,
                position,
                title: clip(title),
                artists: credits.iter().map(|c| clip(c.name.trim())).collect(),
                joinphrases: credits.iter().map(|c| c.joinphrase.clone()).collect(),
                duration_ms: track
                    .length
                    .or(recording.and_then(|r| r.length))
                    .map(|ms| ms.min(u64::from(u32::MAX)) as u32),
                isrc: recording
                    .and_then(|r| r.isrcs.iter().find(|i| !i.trim().is_empty()))
                    .map(|i| i.trim().to_ascii_uppercase()),
                recording_id: recording.map(|r| r.id.clone()).filter(|id| !id.is_empty()),
            });
        }
    }
    out
}

/// Titles and names longer than the library allows are cut, not refused: the data is
/// MusicBrainz's, not the user's, and a cut title is still the right song.
fn clip(text: &str) -> String {
    text.chars().take(MAX_TITLE).collect()
}

/// The live soundtrack already holding this release, if any.
pub fn soundtrack_with_release(conn: &Connection, release_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM soundtracks
             WHERE musicbrainz_release_id = ?1 AND deleted_at IS NULL LIMIT 1",
            [release_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Fetches the front cover when the release says it has one; a failure to fetch it is
/// reported, not fatal (the soundtrack is worth adding without it), except a cancel.
pub(crate) fn fetch_cover(
    client: &CatalogClient,
    release: &Release,
) -> Result<(Option<Vec<u8>>, Option<String>)> {
    if !release.may_have_front_cover() {
        return Ok((None, None));
    }
    match client.front_cover(&release.id) {
        Ok(bytes) => Ok((bytes, None)),
        Err(e @ Error::Cancelled(_)) => Err(e),
        Err(e) => Ok((None, Some(e.to_string()))),
    }
}

/// Adds the release `release_id` as a new soundtrack; see the module doc. `Conflict` when the
/// library already holds that release, `NotFound` when MusicBrainz has no such release.
pub fn add_release(
    client: &CatalogClient,
    conn: &mut Connection,
    data_dir: &Path,
    release_id: &str,
    options: &AddOptions,
) -> Result<Added> {
    let asked = super::client::check_mbid(release_id)?;
    if let Some(film) = &options.film_title {
        crate::validate::text("film title", film.trim(), MAX_TITLE)?;
    }
    if let Some(year) = options.film_year {
        if !(1880..=2100).contains(&year) {
            return Err(Error::InvalidInput(format!(
                "film year: {year} is not a plausible year (1880 to 2100)"
            )));
        }
    }
    // Refused before any request when the library already has it.
    if let Some(id) = soundtrack_with_release(conn, &asked)? {
        return Err(already(id, &asked));
    }
    let release = client.release(&asked)?;
    if let Some(id) = soundtrack_with_release(conn, &release.id)? {
        return Err(already(id, &release.id));
    }
    let tracks = release_tracks(&release);
    let (cover, cover_problem) = fetch_cover(client, &release)?;

    let group = release.release_group.clone().unwrap_or_default();
    let album_title = clip(release.title.trim());
    let film_title = options
        .film_title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            rank::strip_soundtrack_words(if group.title.trim().is_empty() {
                &album_title
            } else {
                &group.title
            })
        });
    if film_title.trim().is_empty() {
        return Err(Error::InvalidInput(
            "film title: this release has no title; give one with --film".into(),
        ));
    }
    let first_year = rank::year_of(group.first_release_date.as_deref());
    let album_year = rank::year_of(release.date.as_deref()).or(first_year);
    let new = NewSoundtrack {
        film_title: clip(&film_title),
        film_year: options.film_year.or(first_year).or(album_year),
        media: options.media,
        album_title: Some(album_title).filter(|t| !t.is_empty()),
        album_year,
        label: release.label().0.map(|l| clip(&l)),
        notes: String::new(),
        tracklist_complete: true,
        source_urls: vec![release_page(&release.id)],
        tracks: tracks
            .iter()
            .map(|t| NewTrack {
                disc: t.disc,
                position: Some(t.position),
                title: t.title.clone(),
                artists: t.artists.clone(),
                duration_ms: t.duration_ms,
                on_album: true,
                scene_note: String::new(),
                source_url: None,
            })
            .collect(),
    };

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let soundtrack_id = insert_soundtrack(&tx, &new)?;
    tx.execute(
        "UPDATE soundtracks SET musicbrainz_release_id = ?2, musicbrainz_release_group_id = ?3
         WHERE id = ?1",
        params![
            soundtrack_id,
            release.id,
            Some(group.id.as_str()).filter(|g| !g.is_empty())
        ],
    )?;
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM tracks WHERE soundtrack_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([soundtrack_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (track_id, track) in ids.iter().zip(&tracks) {
        store_track_facts(&tx, *track_id, track)?;
    }
    let stored_cover = match &cover {
        Some(bytes) => match crate::covers::store_image_bytes(data_dir, soundtrack_id, bytes) {
            Ok((name, _)) => {
                tx.execute(
                    "UPDATE soundtracks SET cover = ?2 WHERE id = ?1",
                    params![soundtrack_id, name],
                )?;
                Some(name)
            }
            Err(e) => {
                tracing::warn!(
                    "the cover of release {} could not be stored: {e}",
                    release.id
                );
                None
            }
        },
        None => None,
    };
    if let Err(e) = tx.commit() {
        if let Some(name) = &stored_cover {
            crate::covers::remove_cover_file(data_dir, name);
        }
        return Err(e.into());
    }
    let cover_problem = match (&stored_cover, cover_problem, &cover) {
        (Some(_), _, _) => None,
        (None, Some(problem), _) => Some(problem),
        (None, None, Some(_)) => Some("the cover could not be read as an image".into()),
        (None, None, None) => None,
    };
    Ok(Added {
        soundtrack_id,
        release_id: release.id,
        cover: stored_cover.is_some(),
        cover_problem,
    })
}

/// ISRC, recording id and the credit's join phrases of a track just inserted.
pub(crate) fn store_track_facts(
    conn: &Connection,
    track_id: i64,
    track: &ReleaseTrack,
) -> Result<()> {
    conn.execute(
        "UPDATE tracks SET isrc = coalesce(isrc, ?2),
             musicbrainz_recording_id = coalesce(musicbrainz_recording_id, ?3)
         WHERE id = ?1",
        params![track_id, track.isrc, track.recording_id],
    )?;
    let mut join = conn.prepare_cached(
        "UPDATE track_artists SET joinphrase = ?3 WHERE track_id = ?1 AND ord = ?2",
    )?;
    for (ord, phrase) in track.joinphrases.iter().enumerate() {
        if !phrase.is_empty() {
            join.execute(params![track_id, ord as i64, phrase])?;
        }
    }
    Ok(())
}

fn already(soundtrack_id: i64, release_id: &str) -> Error {
    Error::Conflict(format!(
        "the library already holds release {release_id}: it is soundtrack {soundtrack_id} \
         (`cuesheet show {soundtrack_id}`); nothing was added"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tracks_come_out_in_disc_and_position_order_with_their_facts() {
        let release: Release = serde_json::from_value(json!({
            "id": "r", "title": "Singles", "artist-credit": [{"name": "Various Artists"}],
            "media": [
                {"position": 2, "format": "CD", "tracks": [
                    {"position": 1, "title": "Bonus", "length": 1000,
                     "recording": {"id": "rec-b", "isrcs": ["usabc0000001"]}}
                ]},
                {"position": 1, "format": "CD", "tracks": [
                    {"position": 2, "title": "", "length": null,
                     "recording": {"id": "rec-2", "title": "From the recording", "length": 2000,
                                   "isrcs": []}},
                    {"position": 1, "title": "Would?",
                     "artist-credit": [{"name": "Kruder", "joinphrase": " & "}, {"name": "Dorfmeister"}],
                     "recording": {"id": "rec-1"}}
                ]}
            ]
        }))
        .unwrap();
        let tracks = release_tracks(&release);
        let order: Vec<(u32, u32, &str)> = tracks
            .iter()
            .map(|t| (t.disc, t.position, t.title.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (1, 1, "Would?"),
                (1, 2, "From the recording"),
                (2, 1, "Bonus")
            ]
        );
        assert_eq!(tracks[0].artists, ["Kruder", "Dorfmeister"]);
        assert_eq!(tracks[0].joinphrases, [" & ", ""]);
        assert_eq!(tracks[0].duration_ms, None);
        assert_eq!(tracks[1].duration_ms, Some(2000));
        assert!(
            tracks[1].artists.is_empty(),
            "no song is by Various Artists"
        );
        assert_eq!(tracks[2].isrc.as_deref(), Some("USABC0000001"));
        assert_eq!(tracks[2].recording_id.as_deref(), Some("rec-b"));
    }
}
