//! The shapes that leave the core: what the window renders and what `--json` prints.
//!
//! These types are the contract with the UI (exported to TypeScript by ts-rs into
//! `ui/src/lib/bindings/`) and with scripts (documented in the README). They hold data only;
//! they must not grow behaviour that talks to the database.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the music was heard. Stored as the lowercase word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    Film,
    Tv,
    Other,
}

impl Media {
    pub fn as_str(self) -> &'static str {
        match self {
            Media::Film => "film",
            Media::Tv => "tv",
            Media::Other => "other",
        }
    }

    pub fn parse(word: &str) -> Option<Media> {
        match word {
            "film" => Some(Media::Film),
            "tv" => Some(Media::Tv),
            "other" => Some(Media::Other),
            _ => None,
        }
    }
}

/// One row of the library view and of `cuesheet soundtracks --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SoundtrackSummary {
    pub id: i64,
    pub film_title: String,
    pub film_year: Option<i32>,
    pub media: Media,
    pub album_title: Option<String>,
    pub album_year: Option<i32>,
    /// Songs on the album itself.
    pub track_count: u32,
    /// Songs heard in the film that are not on the album.
    pub film_only_count: u32,
    pub favourite: bool,
    /// Half stars: 1 = ½ star … 10 = 5 stars.
    pub rating: Option<u8>,
    /// File name of the cover inside the data dir's `covers/`, when one was set.
    pub cover: Option<String>,
    /// Tag names in alphabetical order, for filtering the library view.
    pub tags: Vec<String>,
    /// When the soundtrack entered the library (UTC, RFC 3339), for "sort by date added".
    pub added_at: String,
}

/// A song shown outside its soundtrack (search results, favourite songs), with its film.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SongHit {
    pub track: Track,
    pub film_title: String,
    pub film_year: Option<i32>,
}

/// One soundtrack with everything a curator keeps about it: `cuesheet show --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SoundtrackDetail {
    pub id: i64,
    pub film_title: String,
    pub film_year: Option<i32>,
    pub media: Media,
    pub album_title: Option<String>,
    pub album_year: Option<i32>,
    pub label: Option<String>,
    pub notes: String,
    pub rating: Option<u8>,
    pub favourite: bool,
    pub cover: Option<String>,
    /// False when the sources only showed part of the album (positions may skip numbers).
    pub tracklist_complete: bool,
    /// Where the facts came from, first the main source.
    pub source_urls: Vec<String>,
    /// Which fact came from which source, as the starter catalogue records it; shown beside the
    /// sources. Empty for soundtracks a fan added. Never the fan's own `notes`.
    pub provenance: String,
    pub tags: Vec<String>,
    /// The MusicBrainz release the album was added from or matched to, when there is one.
    pub musicbrainz_release_id: Option<String>,
    /// That release's release group (the album across its editions).
    pub musicbrainz_release_group_id: Option<String>,
    /// Album tracks in disc and position order, then the songs heard only in the film.
    pub tracks: Vec<Track>,
}

/// A song, either on the album or heard in the film only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Track {
    pub id: i64,
    pub soundtrack_id: i64,
    pub disc: u32,
    /// Position on the album; `None` for a song heard only in the film.
    pub position: Option<u32>,
    pub title: String,
    /// Performers in credit order; empty when no source named them.
    pub artists: Vec<String>,
    /// What follows each artist when the credit is printed (" & ", " feat. ", "" for the
    /// last), one per artist; empty when the list was typed rather than credited.
    pub joinphrases: Vec<String>,
    pub duration_ms: Option<u32>,
    /// False for a song heard in the film that is not on the album.
    pub on_album: bool,
    /// Where in the film the song plays, when known.
    pub scene_note: String,
    pub favourite: bool,
    pub rating: Option<u8>,
    pub notes: String,
    pub isrc: Option<String>,
    /// The page that says this song is in the film (for film-only songs).
    pub source_url: Option<String>,
}

/// Facts about the open library, for the settings page and the status line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryInfo {
    pub data_dir: String,
    pub database_path: String,
    pub schema_version: u32,
    pub soundtrack_count: u32,
    pub track_count: u32,
    /// Where the starter catalog's facts came from, shown in the app.
    pub starter_source_note: String,
}

/// What Settings → About shows: the version and the licences of the libraries inside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AboutInfo {
    pub version: String,
    /// The third-party notices embedded when the app was built (`make notices`, which `make
    /// package` runs); empty in a build made without them.
    pub notices: String,
}
