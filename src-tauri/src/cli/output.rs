//! How the library's subcommands print soundtracks, songs and search results for people (the
//! `--json` shapes are the core's types, serialised as they are).

use std::io::{self, Write};

use cuesheet_core::model::{SoundtrackDetail, SoundtrackSummary, Track};
use cuesheet_core::search::SearchResults;

pub(super) fn year(year: Option<i32>) -> String {
    year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())
}

pub(super) fn write_search(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    for correction in &results.corrections {
        writeln!(
            out,
            "(searched for {:?} instead of {:?})",
            correction.used, correction.typed
        )?;
    }
    if results.soundtracks.is_empty() && results.songs.is_empty() {
        return writeln!(out, "Nothing matches {:?}.", results.query);
    }
    if !results.soundtracks.is_empty() {
        writeln!(out, "Soundtracks:")?;
        for s in &results.soundtracks {
            writeln!(out, "{:>7}  {} ({})", s.id, s.film_title, year(s.film_year))?;
        }
    }
    if !results.songs.is_empty() {
        writeln!(out, "Songs:")?;
        for hit in &results.songs {
            let track = &hit.track;
            let film_only = if track.on_album { "" } else { "  [film only]" };
            let by = if track.artists.is_empty() {
                String::new()
            } else {
                format!(" — {}", track.artists.join(", "))
            };
            writeln!(
                out,
                "{:>7}  {}{by}  ({}, {}){film_only}",
                hit.track.soundtrack_id,
                track.title,
                hit.film_title,
                year(hit.film_year)
            )?;
        }
    }
    Ok(())
}

pub(super) fn write_list(out: &mut dyn Write, list: &[SoundtrackSummary]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "The library is empty.");
    }
    writeln!(
        out,
        "{:>5}  {:<40} {:>4}  {:>5}  ALBUM",
        "ID", "FILM", "YEAR", "SONGS"
    )?;
    for s in list {
        let songs = if s.film_only_count > 0 {
            format!("{}+{}", s.track_count, s.film_only_count)
        } else {
            s.track_count.to_string()
        };
        writeln!(
            out,
            "{:>5}  {:<40} {:>4}  {:>5}  {}",
            s.id,
            s.film_title,
            year(s.film_year),
            songs,
            s.album_title.as_deref().unwrap_or("—")
        )?;
    }
    let albums: u32 = list.iter().map(|s| s.track_count).sum();
    let film_only: u32 = list.iter().map(|s| s.film_only_count).sum();
    writeln!(
        out,
        "\n{} soundtracks, {albums} album songs, {film_only} more heard only in the films (shown as +N).",
        list.len()
    )
}

fn duration(ms: Option<u32>) -> String {
    match ms {
        Some(ms) => {
            let seconds = ms / 1000;
            format!("{}:{:02}", seconds / 60, seconds % 60)
        }
        None => "—".into(),
    }
}

fn artists(track: &Track) -> String {
    if track.artists.is_empty() {
        "unknown artist".into()
    } else if track.joinphrases.len() == track.artists.len() {
        // The credit as printed on the release: "Kruder & Dorfmeister".
        track
            .artists
            .iter()
            .zip(&track.joinphrases)
            .map(|(name, join)| format!("{name}{join}"))
            .collect::<String>()
    } else {
        track.artists.join(", ")
    }
}

pub(super) fn write_detail(out: &mut dyn Write, s: &SoundtrackDetail) -> io::Result<()> {
    writeln!(
        out,
        "{} ({}) — {}",
        s.film_title,
        year(s.film_year),
        s.media.as_str()
    )?;
    if let Some(album) = &s.album_title {
        writeln!(out, "Album: {album} ({})", year(s.album_year))?;
    }
    if let Some(label) = &s.label {
        writeln!(out, "Label: {label}")?;
    }
    if let Some(release) = &s.musicbrainz_release_id {
        writeln!(out, "MusicBrainz release: {release}")?;
    }
    if !s.tags.is_empty() {
        writeln!(out, "Tags: {}", s.tags.join(", "))?;
    }
    writeln!(out)?;
    for t in s.tracks.iter().filter(|t| t.on_album) {
        let position = t
            .position
            .map(|p| format!("{p:>2}."))
            .unwrap_or_else(|| "  -".into());
        writeln!(
            out,
            "{position} {} — {} ({})",
            t.title,
            artists(t),
            duration(t.duration_ms)
        )?;
    }
    if !s.tracklist_complete {
        writeln!(
            out,
            "   (the sources showed only part of this album's track list)"
        )?;
    }
    let film_only: Vec<&Track> = s.tracks.iter().filter(|t| !t.on_album).collect();
    if !film_only.is_empty() {
        writeln!(out, "\nHeard in the film, not on the album:")?;
        for t in film_only {
            writeln!(out, "  * {} — {}  [film only]", t.title, artists(t))?;
            if !t.scene_note.is_empty() {
                writeln!(out, "    {}", t.scene_note)?;
            }
        }
    }
    if !s.notes.is_empty() {
        writeln!(out, "\nNotes: {}", s.notes)?;
    }
    if !s.source_urls.is_empty() {
        writeln!(out, "\nSources:")?;
        for url in &s.source_urls {
            writeln!(out, "  {url}")?;
        }
    }
    Ok(())
}
