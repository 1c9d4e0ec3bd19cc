//! `cuesheet lookup`, `cuesheet add --release` and `cuesheet enrich`: finding soundtracks on
//! MusicBrainz, adding one, and filling in the library, over the same core calls as the
//! window. Also `cuesheet musicbrainz-contact`, the email sent in the User-Agent.
//!
//! Progress goes to stderr, results to stdout (JSON with `--json`, shapes in the README). This
//! module only unpacks arguments and prints; the core decides everything.

use std::io::{self, Write};

use cuesheet_core::catalog::add::AddOptions;
use cuesheet_core::catalog::enrich::{
    all_soundtrack_ids, EnrichOptions, EnrichReport, Proposal, Verdict,
};
use cuesheet_core::catalog::{
    self, client, CatalogEvent, Edition, SearchOptions, SoundtrackCandidate,
};
use cuesheet_core::model::Media;
use cuesheet_core::{Error, Library};

use super::{done, print_out, write_json};

/// `cuesheet lookup QUERY…`
pub fn lookup(
    library: &Library,
    query: &[String],
    year: Option<i32>,
    json: bool,
) -> cuesheet_core::Result<()> {
    let client = library.catalog_client()?;
    let candidates = catalog::search_soundtracks(
        &client,
        &query.join(" "),
        &SearchOptions {
            year,
            wanted_tracks: None,
        },
    )?;
    print_out(|out| {
        if json {
            return write_json(out, &candidates);
        }
        if candidates.is_empty() {
            return writeln!(
                out,
                "MusicBrainz has no soundtrack album titled like that; try fewer or other words."
            );
        }
        for (n, candidate) in candidates.iter().enumerate() {
            write_candidate(out, n + 1, candidate)?;
        }
        writeln!(
            out,
            "Add one with: cuesheet add --release RELEASE_ID [--film TITLE] [--year YEAR]"
        )
    })
}

fn edition_line(edition: &Edition) -> String {
    let mut parts = vec![edition.date.clone().unwrap_or_else(|| "no date".into())];
    parts.extend(edition.country.clone());
    parts.extend(edition.format.clone());
    parts.push(format!("{} tracks", edition.track_count));
    let label = [edition.label.clone(), edition.catalog_number.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !label.is_empty() {
        parts.push(label);
    }
    if let Some(status) = edition.status.as_deref().filter(|s| *s != "Official") {
        parts.push(status.to_lowercase());
    }
    parts.join(" · ")
}

fn write_candidate(out: &mut dyn Write, n: usize, c: &SoundtrackCandidate) -> io::Result<()> {
    let year = c.year.map(|y| format!(" ({y})")).unwrap_or_default();
    let kind = match c.kind {
        catalog::Kind::Songs => "songs",
        catalog::Kind::Score => "score",
    };
    writeln!(
        out,
        "{n:>2}. {}{year} — {} — {kind}",
        c.title, c.artist_credit
    )?;
    if let Some(note) = &c.disambiguation {
        writeln!(out, "    ({note})")?;
    }
    writeln!(out, "    release group {}", c.release_group_id)?;
    writeln!(
        out,
        "    suggested: {}  release {}",
        edition_line(&c.release),
        c.release.id
    )?;
    for other in c.editions.iter().skip(1).take(4) {
        writeln!(
            out,
            "    also:      {}  release {}",
            edition_line(other),
            other.id
        )?;
    }
    if c.editions.len() > 5 {
        writeln!(out, "    … and {} more editions", c.editions.len() - 5)?;
    }
    Ok(())
}

/// `cuesheet add --release MBID [--film] [--year] [--media] [--json]`
pub fn add_release(
    library: &mut Library,
    release: &str,
    film: Option<String>,
    year: Option<i32>,
    media: Media,
    json: bool,
) -> cuesheet_core::Result<()> {
    let client = library.catalog_client()?;
    let added = library.add_release(
        &client,
        release,
        &AddOptions {
            film_title: film,
            film_year: year,
            media,
        },
    )?;
    if let Some(problem) = &added.cover_problem {
        eprintln!("no cover: {problem}");
    }
    let detail = library.get_soundtrack(added.soundtrack_id)?;
    if json {
        return print_out(|out| write_json(out, &detail));
    }
    done(&format!(
        "added soundtrack {}: {} — {} with {} song(s){} (MusicBrainz release {})",
        detail.id,
        detail.film_title,
        detail.album_title.as_deref().unwrap_or("untitled album"),
        detail.tracks.len(),
        if added.cover { " and its cover" } else { "" },
        added.release_id
    ))
}

pub(super) fn stderr_progress(event: CatalogEvent) {
    match event {
        CatalogEvent::Looking {
            done,
            total,
            film_title,
        } => eprintln!("looking up {}/{total}: {film_title}", done + 1),
        CatalogEvent::Waiting { seconds } => {
            eprintln!("MusicBrainz asks us to slow down: waiting {seconds} s")
        }
        CatalogEvent::Finished { .. } => {}
    }
}

/// `cuesheet enrich [SOUNDTRACK…] [--all] [--apply] [--release MBID] [--json]`
pub fn enrich(
    library: &mut Library,
    soundtracks: &[String],
    all: bool,
    apply: bool,
    release: Option<String>,
    json: bool,
) -> cuesheet_core::Result<()> {
    let ids = if all {
        all_soundtrack_ids(library.conn())?
    } else {
        if soundtracks.is_empty() {
            return Err(Error::InvalidInput(
                "name the soundtracks to fill in (ids or film titles), or give --all".into(),
            ));
        }
        soundtracks
            .iter()
            .map(|s| library.find_soundtrack(s).map(|d| d.id))
            .collect::<cuesheet_core::Result<Vec<_>>>()?
    };
    let client = library
        .catalog_client()?
        .with_wait_report(|seconds| stderr_progress(CatalogEvent::Waiting { seconds }));
    let report = library.enrich(
        &client,
        &ids,
        &EnrichOptions { apply, release },
        &stderr_progress,
    )?;
    print_out(|out| {
        if json {
            write_json(out, &report)
        } else {
            write_report(out, &report, apply)
        }
    })
}

/// `cuesheet enrich --pending`: the review list kept from earlier runs, read offline.
pub fn pending_reviews(library: &Library, json: bool) -> cuesheet_core::Result<()> {
    let waiting = library.pending_reviews(None)?;
    print_out(|out| {
        if json {
            return write_json(out, &waiting);
        }
        if waiting.is_empty() {
            return writeln!(out, "Nothing waiting for review.");
        }
        for p in &waiting {
            write_proposal(out, p)?;
        }
        writeln!(
            out,
            "Settle one with `cuesheet enrich ID --release MBID --apply`, or keep it as it is \
             with `cuesheet enrich ID --dismiss`."
        )
    })
}

/// `cuesheet enrich SOUNDTRACK… --dismiss`.
pub fn dismiss_reviews(library: &mut Library, soundtracks: &[String]) -> cuesheet_core::Result<()> {
    if soundtracks.is_empty() {
        return Err(Error::InvalidInput(
            "name the soundtracks to take off the review list (ids or film titles)".into(),
        ));
    }
    let ids = soundtracks
        .iter()
        .map(|s| library.find_soundtrack(s).map(|d| d.id))
        .collect::<cuesheet_core::Result<Vec<_>>>()?;
    for id in &ids {
        library.dismiss_review(*id)?;
    }
    done(&format!(
        "took {} soundtrack(s) off the review list",
        ids.len()
    ))
}

fn fills_text(fills: &catalog::enrich::Fills) -> String {
    let mut parts = Vec::new();
    if fills.cover {
        parts.push("cover".to_owned());
    }
    if fills.ids {
        parts.push("MusicBrainz ids".into());
    }
    if fills.isrcs > 0 {
        parts.push(format!("{} ISRCs", fills.isrcs));
    }
    if fills.durations > 0 {
        parts.push(format!("{} lengths", fills.durations));
    }
    if fills.tracks_added > 0 {
        parts.push(format!("{} missing songs", fills.tracks_added));
    }
    for (on, name) in [
        (fills.label, "label"),
        (fills.album_title, "album title"),
        (fills.album_year, "album year"),
        (fills.source_link, "source link"),
    ] {
        if on {
            parts.push(name.into());
        }
    }
    if parts.is_empty() {
        "nothing missing".into()
    } else {
        parts.join(", ")
    }
}

/// One soundtrack's match, with the candidates of a doubtful one.
fn write_proposal(out: &mut dyn Write, p: &Proposal) -> io::Result<()> {
    let found = p
        .candidate
        .as_ref()
        .map(|c| format!("{} ({})", c.title, edition_line(&c.release)))
        .unwrap_or_default();
    match p.verdict {
        Verdict::Confident => writeln!(
            out,
            "{:>5}  {} — confident: {found}; {} {}",
            p.soundtrack_id,
            p.film_title,
            if p.applied { "filled" } else { "would fill" },
            fills_text(&p.fills)
        )?,
        Verdict::Doubtful => {
            writeln!(
                out,
                "{:>5}  {} — doubtful: {} ({found})",
                p.soundtrack_id, p.film_title, p.reason
            )?;
            for c in &p.candidates {
                writeln!(
                    out,
                    "         candidate: {} — {}  release {}",
                    c.title,
                    edition_line(&c.release),
                    c.release.id
                )?;
            }
        }
        Verdict::NotFound => writeln!(
            out,
            "{:>5}  {} — not found: {}",
            p.soundtrack_id, p.film_title, p.reason
        )?,
    }
    if let Some(problem) = &p.cover_problem {
        writeln!(out, "         no cover: {problem}")?;
    }
    Ok(())
}

fn write_report(out: &mut dyn Write, report: &EnrichReport, apply: bool) -> io::Result<()> {
    for p in &report.proposals {
        write_proposal(out, p)?;
    }
    let c = &report.counts;
    writeln!(
        out,
        "{} confident, {} to review, {} not found{}; {} requests ({} answered from the cache){}",
        c.confident,
        c.doubtful,
        c.not_found,
        if apply {
            format!(", {} filled in", c.applied)
        } else {
            String::new()
        },
        report.requests.total(),
        report.requests.cached,
        if report.cancelled { "; cancelled" } else { "" }
    )?;
    if !apply && c.confident > 0 {
        writeln!(out, "Fill in the confident ones with --apply.")?;
    }
    if c.doubtful > 0 {
        writeln!(
            out,
            "Settle a doubtful one with: cuesheet enrich SOUNDTRACK --release RELEASE_ID --apply"
        )?;
    }
    Ok(())
}

/// `cuesheet musicbrainz-contact [EMAIL|none]`
pub fn contact(library: &Library, email: Option<String>) -> cuesheet_core::Result<()> {
    match email.as_deref() {
        None => {
            let config = catalog::CatalogConfig::load(Some(library.conn()))?;
            done(&format!("MusicBrainz sees: {}", config.user_agent()))
        }
        Some(value) => {
            let email = (!value.eq_ignore_ascii_case("none")).then_some(value);
            let saved = client::set_contact(library.conn(), email)?;
            done(&match saved {
                Some(email) => format!("MusicBrainz will see {email} as the contact"),
                None => "MusicBrainz will see the project's page as the contact".into(),
            })
        }
    }
}
