//! Finding soundtracks online: MusicBrainz for track lists, ISRCs and ids, the Cover Art
//! Archive for covers, and what a careful person would choose among their answers.
//!
//! The public functions, for the window, the CLI and anything else that needs a look-up:
//!
//! - [`search_soundtracks`]`(&CatalogClient, query, &SearchOptions) -> Vec<SoundtrackCandidate>`:
//!   soundtrack release groups for a film or album title, best first (title similarity, songs
//!   before score unless the query says score, the original before sequels and remakes), each
//!   with its artist credit, kind (songs or score), year, suggested edition and the other
//!   editions. One request (two when the soundtrack filter finds nothing); answers are cached a
//!   week when the client has a cache.
//! - [`add::add_release`]: adds one release (edition) as a soundtrack: track lists of every
//!   medium, durations, ISRCs, credits with join phrases, ids and the front cover. One look-up
//!   and one cover request.
//! - [`enrich::enrich`]: matches soundtracks already in the library to releases and, for the
//!   confident ones, fills what is missing (cover, ids, ISRCs, durations, label, the rest of an
//!   incomplete track list) without changing anything the user typed; doubtful ones come back
//!   with their candidates for review.
//!
//! Look-ups happen only when asked. [`client`] is the only code that talks to the network and
//! keeps MusicBrainz's rules (pace, User-Agent, back-off); [`rank`] chooses, purely; [`cache`]
//! keeps answers in the library file. Progress goes to a plain callback and cancelling is an
//! `AtomicBool` given to the client, as for Spotify. This module must not know about windows
//! or terminals.

pub mod add;
pub mod cache;
pub mod client;
pub mod enrich;
pub mod model;
pub mod rank;
pub mod reviews;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use client::{CatalogClient, CatalogConfig, RequestCounts};
pub use rank::Kind;

use crate::error::{Error, Result};
use model::Release;
use rank::{EditionPrefs, RankedGroup};

/// Releases asked for per search: enough for a popular title's editions and its sequels.
const SEARCH_LIMIT: u32 = 50;
/// The most release groups a search offers.
pub const MAX_CANDIDATES: usize = 10;

/// One edition (MusicBrainz release) as a candidate row shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Edition {
    /// The release MBID (what `cuesheet add --release` takes).
    pub id: String,
    pub title: String,
    /// "1995-08-22", "1995-08" or "1995", when known.
    pub date: Option<String>,
    /// ISO country code; "XW" is worldwide, "XE" Europe.
    pub country: Option<String>,
    /// "CD", "2×CD", "12\" Vinyl", "Digital Media", …
    pub format: Option<String>,
    pub track_count: u32,
    pub media_count: u32,
    pub label: Option<String>,
    pub catalog_number: Option<String>,
    /// Official, Promotion, Bootleg, …
    pub status: Option<String>,
    pub disambiguation: Option<String>,
}

impl Edition {
    pub fn of(release: &Release) -> Edition {
        let (label, catalog_number) = release.label();
        Edition {
            id: release.id.clone(),
            title: release.title.clone(),
            date: release.date.clone().filter(|d| !d.is_empty()),
            country: release.country.clone().filter(|c| !c.is_empty()),
            format: release.format_text(),
            track_count: release.total_tracks(),
            media_count: release.media.len() as u32,
            label,
            catalog_number,
            status: release.status.clone(),
            disambiguation: release.disambiguation.clone().filter(|d| !d.is_empty()),
        }
    }
}

/// A soundtrack album found online: one release group with the edition we suggest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SoundtrackCandidate {
    pub release_group_id: String,
    pub title: String,
    /// The year of the group's first release.
    pub year: Option<i32>,
    /// "Various Artists", or the composer.
    pub artist_credit: String,
    pub kind: Kind,
    /// MusicBrainz's note that tells same-titled albums apart, when it has one.
    pub disambiguation: Option<String>,
    /// The film title the album title implies ("Original Motion Picture Soundtrack" and the
    /// like stripped), to prefill the film title.
    pub film_title: String,
    /// The suggested edition.
    pub release: Edition,
    /// Every edition the search found, best first (the suggested one first).
    pub editions: Vec<Edition>,
}

impl SoundtrackCandidate {
    pub(crate) fn of(group: &RankedGroup) -> SoundtrackCandidate {
        let best = group.best();
        SoundtrackCandidate {
            release_group_id: group.group.id.clone(),
            title: group.group.title.clone(),
            year: group.year(),
            artist_credit: model::credit_text(&group.group.artist_credit),
            kind: group.kind,
            disambiguation: group.group.disambiguation.clone().filter(|d| !d.is_empty()),
            film_title: rank::strip_soundtrack_words(&group.group.title),
            release: Edition::of(best),
            editions: group.releases.iter().map(Edition::of).collect(),
        }
    }
}

/// What narrows a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchOptions {
    /// The film's or album's year, when known: groups near it come first among equal titles.
    pub year: Option<i32>,
    /// The number of album songs the user already has (picks the edition with as many).
    pub wanted_tracks: Option<u32>,
}

/// Soundtrack release groups for a film or album title, best first, at most
/// [`MAX_CANDIDATES`]. `InvalidInput` when the text holds nothing to search for.
pub fn search_soundtracks(
    client: &CatalogClient,
    query: &str,
    options: &SearchOptions,
) -> Result<Vec<SoundtrackCandidate>> {
    let groups = search_groups(client, query, options)?;
    Ok(groups
        .iter()
        .take(MAX_CANDIDATES)
        .map(SoundtrackCandidate::of)
        .collect())
}

/// The ranked groups behind [`search_soundtracks`], with their parsed releases.
pub(crate) fn search_groups(
    client: &CatalogClient,
    query: &str,
    options: &SearchOptions,
) -> Result<Vec<RankedGroup>> {
    crate::validate::text("search", query, crate::validate::MAX_TITLE)?;
    let (query, typed_year) = split_year(query);
    let year = options.year.or(typed_year);
    let filtered = rank::release_query(&query, true).ok_or_else(|| {
        Error::InvalidInput("type a film or album title to look for (letters or digits)".into())
    })?;
    let mut releases = match client.search_releases(&filtered, SEARCH_LIMIT) {
        Ok(releases) => releases,
        // A server (a mirror) that refuses the type filter still answers the plain search.
        Err(Error::Catalog(message)) if message.contains("(400)") => Vec::new(),
        Err(e) => return Err(e),
    };
    if releases.is_empty() {
        // The search index often lacks secondary types; try once without the filter.
        if let Some(open) = rank::release_query(&query, false) {
            releases = client.search_releases(&open, SEARCH_LIMIT)?;
        }
    }
    let prefs = EditionPrefs {
        country: client.config().country.clone(),
        wanted_tracks: options.wanted_tracks,
    };
    Ok(rank::rank_groups(&query, year, releases, &prefs))
}

/// "The Crow 1994" → ("The Crow", 1994). A title that is only a year ("1917") stays whole, and
/// so does one ending in a year still to come ("Blade Runner 2049").
fn split_year(query: &str) -> (String, Option<i32>) {
    let next_year = 1971 + (client::now_secs() / 31_556_952) as i32;
    let trimmed = query.trim();
    if let Some((rest, last)) = trimmed.rsplit_once(char::is_whitespace) {
        let last = last.trim_matches(|c| c == '(' || c == ')');
        if let Ok(year) = last.parse::<i32>() {
            if (1880..=next_year).contains(&year) && !rank::fold_words(rest).is_empty() {
                return (rest.trim().to_owned(), Some(year));
            }
        }
    }
    (trimmed.to_owned(), None)
}

/// Progress of filling in the library, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CatalogEvent {
    /// Looking up soundtrack `done + 1` of `total`.
    Looking {
        done: u32,
        total: u32,
        film_title: String,
    },
    /// MusicBrainz asked us to slow down: we wait this long.
    Waiting {
        seconds: u64,
    },
    Finished {
        done: u32,
        total: u32,
    },
}

/// A release's front cover at 250 px as a `data:` URL for the window (which loads nothing
/// remote), or `None` when it has none.
pub fn thumbnail_data_url(client: &CatalogClient, release_id: &str) -> Result<Option<String>> {
    use base64::Engine as _;
    Ok(client.front_cover_sized(release_id, 250)?.map(|bytes| {
        let mime = match image::guess_format(&bytes) {
            Ok(image::ImageFormat::Png) => "image/png",
            Ok(image::ImageFormat::WebP) => "image/webp",
            Ok(image::ImageFormat::Gif) => "image/gif",
            _ => "image/jpeg",
        };
        format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }))
}

/// The release's page on MusicBrainz: kept as the soundtrack's source link.
pub fn release_page(release_id: &str) -> String {
    format!("https://musicbrainz.org/release/{release_id}")
}

impl crate::Library {
    /// Adds a MusicBrainz release as a soundtrack; see [`add::add_release`].
    pub fn add_release(
        &mut self,
        client: &CatalogClient,
        release_id: &str,
        options: &add::AddOptions,
    ) -> Result<add::Added> {
        add::add_release(client, &mut self.conn, &self.data_dir, release_id, options)
    }

    /// Matches soundtracks to releases and fills the confident ones; see [`enrich::enrich`].
    pub fn enrich(
        &mut self,
        client: &CatalogClient,
        soundtrack_ids: &[i64],
        options: &enrich::EnrichOptions,
        on_event: &dyn Fn(CatalogEvent),
    ) -> Result<enrich::EnrichReport> {
        enrich::enrich(
            client,
            &mut self.conn,
            &self.data_dir,
            soundtrack_ids,
            options,
            on_event,
        )
    }

    /// The soundtracks waiting for review after "Find covers and details" (of one soundtrack,
    /// or every one); see [`reviews`].
    pub fn pending_reviews(&self, soundtrack_id: Option<i64>) -> Result<Vec<enrich::Proposal>> {
        reviews::pending(&self.conn, soundtrack_id)
    }

    /// Takes a soundtrack off the review list, as it is.
    pub fn dismiss_review(&mut self, soundtrack_id: i64) -> Result<()> {
        crate::library::get_soundtrack(&self.conn, soundtrack_id)?;
        reviews::dismiss(&self.conn, soundtrack_id)
    }

    /// A client for this library: its contact setting and its cache.
    pub fn catalog_client(&self) -> Result<CatalogClient> {
        CatalogClient::for_library(&self.data_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_year_is_a_hint_not_a_word() {
        assert_eq!(split_year("The Crow 1994"), ("The Crow".into(), Some(1994)));
        assert_eq!(
            split_year("The Crow (1994)"),
            ("The Crow".into(), Some(1994))
        );
        assert_eq!(split_year("1917"), ("1917".into(), None));
        assert_eq!(
            split_year("Blade Runner 2049"),
            ("Blade Runner 2049".into(), None)
        );
        assert_eq!(split_year("Apollo 13"), ("Apollo 13".into(), None));
    }
}
