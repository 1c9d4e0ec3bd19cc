//! The TypeScript types in `ui/src/lib/bindings/` are generated from the core's types by ts-rs.
//! This test regenerates them into a temporary folder and fails if the committed files differ.
//! `make bindings` (CUESHEET_UPDATE_BINDINGS=1) rewrites the committed files instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cuesheet_core::backup::{BackupProgress, BackupSummary, MergeSummary};
use cuesheet_core::browse::{BrowseChoices, BrowseFilter, BrowsePage};
use cuesheet_core::catalog::add::{AddOptions, Added};
use cuesheet_core::catalog::enrich::EnrichReport;
use cuesheet_core::catalog::{CatalogEvent, SoundtrackCandidate};
use cuesheet_core::edit::{SoundtrackFields, Target, TrackFields, TrashItem};
use cuesheet_core::model::{AboutInfo, LibraryInfo, SoundtrackDetail, SoundtrackSummary};
use cuesheet_core::paste::PastedTracklist;
use cuesheet_core::playlists::{
    AddedSongs, ImportPreview, ImportProgress, ImportSummary, ImportedPlaylist, PlaylistDetail,
    PlaylistSummary,
};
use cuesheet_core::ranked::{RankedListDetail, RankedListSummary};
use cuesheet_core::search::SearchResults;
use cuesheet_core::spotify::{ExportSummary, MatchReport, SongMatch, SpotifyEvent, SpotifyStatus};
use cuesheet_core::survey::{SaveSurvey, SavedSurvey, SurveyCount, SurveyThread};
use cuesheet_core::ErrorPayload;
use ts_rs::{Config, TS};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
}

fn export_all(dir: &Path) {
    // Ids are SQLite rowids, far below 2^53, so they cross as plain numbers, not bigint.
    let config = Config::new().with_large_int("number").with_out_dir(dir);
    // Exporting a type also writes every type it refers to (Media, Track, ErrorCode).
    SoundtrackSummary::export_all(&config).unwrap();
    BrowseFilter::export_all(&config).unwrap();
    BrowsePage::export_all(&config).unwrap();
    BrowseChoices::export_all(&config).unwrap();
    SoundtrackDetail::export_all(&config).unwrap();
    LibraryInfo::export_all(&config).unwrap();
    ErrorPayload::export_all(&config).unwrap();
    SoundtrackFields::export_all(&config).unwrap();
    TrackFields::export_all(&config).unwrap();
    Target::export_all(&config).unwrap();
    TrashItem::export_all(&config).unwrap();
    PastedTracklist::export_all(&config).unwrap();
    SearchResults::export_all(&config).unwrap();
    PlaylistSummary::export_all(&config).unwrap();
    PlaylistDetail::export_all(&config).unwrap();
    AddedSongs::export_all(&config).unwrap();
    ImportPreview::export_all(&config).unwrap();
    ImportedPlaylist::export_all(&config).unwrap();
    ImportSummary::export_all(&config).unwrap();
    ImportProgress::export_all(&config).unwrap();
    BackupSummary::export_all(&config).unwrap();
    MergeSummary::export_all(&config).unwrap();
    BackupProgress::export_all(&config).unwrap();
    RankedListSummary::export_all(&config).unwrap();
    RankedListDetail::export_all(&config).unwrap();
    SpotifyStatus::export_all(&config).unwrap();
    MatchReport::export_all(&config).unwrap();
    SongMatch::export_all(&config).unwrap();
    ExportSummary::export_all(&config).unwrap();
    SpotifyEvent::export_all(&config).unwrap();
    SoundtrackCandidate::export_all(&config).unwrap();
    AddOptions::export_all(&config).unwrap();
    Added::export_all(&config).unwrap();
    EnrichReport::export_all(&config).unwrap();
    CatalogEvent::export_all(&config).unwrap();
    SurveyCount::export_all(&config).unwrap();
    SaveSurvey::export_all(&config).unwrap();
    SurveyThread::export_all(&config).unwrap();
    SavedSurvey::export_all(&config).unwrap();
    AboutInfo::export_all(&config).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(entry.path()).unwrap())
        })
        .collect()
}

#[test]
fn committed_typescript_bindings_are_up_to_date() {
    if std::env::var_os("CUESHEET_UPDATE_BINDINGS").is_some() {
        let dir = committed_dir();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        export_all(&dir);
    }
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let expected = read_dir(fresh.path());
    assert!(
        expected.contains_key("SoundtrackDetail.ts"),
        "{:?}",
        expected.keys()
    );
    let committed = read_dir(&committed_dir());
    assert_eq!(
        committed, expected,
        "ui/src/lib/bindings is stale: run `make bindings` and commit the result"
    );
}
