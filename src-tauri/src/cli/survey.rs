//! `cuesheet survey FILE`: counts a comment thread's votes for soundtracks and prints the
//! tally for people or, with `--json`, for scripts; `--ranked-list NAME` saves it as a ranked
//! list, and `--add-found` first adds the titles found online to the library. Without
//! `--online` nothing touches the network; look-up progress goes to standard error.
//!
//! This module only reads the file, unpacks flags and prints; the core counts and saves.

use std::io::Write;
use std::path::{Path, PathBuf};

use cuesheet_core::catalog::CatalogEvent;
use cuesheet_core::survey::{
    self, online_lookup, read_thread_file, AddedFound, SaveSurvey, SurveyCount, SurveySummary,
    TitleLookup,
};
use cuesheet_core::{Error, Library};

use super::catalog::stderr_progress;
use super::{print_out, read_stdin, write_json};

#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// The thread as a browser copies it (a .txt file), or "-" for standard input.
    file: PathBuf,
    /// Look up title-like phrases the library lacks on MusicBrainz (each phrase once).
    #[arg(long)]
    online: bool,
    /// Count a reply that only agrees ("+1", "this") as a vote for what the comment it answers
    /// voted for.
    #[arg(long)]
    agreeing_replies: bool,
    /// Save the count as a new ranked list with this name (titles not in the library wait for
    /// their soundtrack).
    #[arg(long, value_name = "NAME")]
    ranked_list: Option<String>,
    /// With --online and --ranked-list: add the soundtracks found on MusicBrainz to the
    /// library (the suggested edition, as `cuesheet add` does) instead of leaving their
    /// entries waiting.
    #[arg(long, requires_all = ["online", "ranked_list"])]
    add_found: bool,
    /// Print the tally as JSON.
    #[arg(long)]
    json: bool,
}

pub(super) fn survey(library: &mut Library, args: SurveyArgs) -> cuesheet_core::Result<()> {
    let (name, thread) = read_thread(&args.file)?;
    let mut lookup = if args.online {
        let client = library
            .catalog_client()?
            .with_wait_report(|seconds| stderr_progress(CatalogEvent::Waiting { seconds }));
        Some(online_lookup(client))
    } else {
        None
    };
    let known = survey::known_soundtracks(library.conn())?;
    let mut count = survey::count_reporting(
        &thread,
        &known,
        args.agreeing_replies,
        lookup.as_mut().map(|l| l as &mut dyn TitleLookup),
        &stderr_progress,
    )?;
    if count.comments.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{name} holds no comments: paste the thread's comments, one per paragraph or as the page shows them"
        )));
    }
    let mut added = AddedFound::default();
    if let (true, Some(lookup)) = (args.add_found, &lookup) {
        if let Some(list_name) = &args.ranked_list {
            // Refused before anything is added: the adds would otherwise land for nothing.
            library.check_ranked_list_name_free(list_name)?;
        }
        added = library.add_found_titles(lookup.client(), &mut count.tally, &stderr_progress)?;
        for failed in &added.failed {
            eprintln!(
                "{} stays waiting for its soundtrack: {}",
                failed.title, failed.problem
            );
        }
    }
    let mut summary = SurveySummary::from(&count);
    summary.added = added.added.clone();
    if let Some(list_name) = &args.ranked_list {
        let id = library.save_survey(&SaveSurvey {
            name: list_name.clone(),
            thread: thread.clone(),
            agreeing_replies: args.agreeing_replies,
            tally: count.tally.clone(),
        })?;
        summary.ranked_list_id = Some(id);
    }
    print_out(|out| {
        if args.json {
            write_json(out, &summary)
        } else {
            write_tally(out, &count, &summary, args.ranked_list.as_deref())
        }
    })
}

/// The thread's text from a file or standard input, with the name messages use for it.
fn read_thread(path: &Path) -> cuesheet_core::Result<(String, String)> {
    if path == Path::new("-") {
        return Ok(("standard input".into(), read_stdin()?));
    }
    Ok((path.display().to_string(), read_thread_file(path)?))
}

fn write_tally(
    out: &mut dyn Write,
    count: &SurveyCount,
    summary: &SurveySummary,
    list_name: Option<&str>,
) -> std::io::Result<()> {
    let agreeing = count.comments.iter().filter(|c| c.agrees).count();
    writeln!(
        out,
        "{} comment(s), read as {:?}{}",
        count.comments.len(),
        count.shape,
        match (agreeing, count.agreeing_replies) {
            (0, _) => String::new(),
            (n, true) => format!("; {n} agreeing repl(ies) counted for the comment they answer"),
            (n, false) =>
                format!("; {n} agreeing repl(ies) not counted (--agreeing-replies counts them)"),
        }
    )?;
    if count.tally.is_empty() {
        writeln!(out, "No soundtrack titles found.")?;
    }
    for (rank, entry) in count.tally.iter().enumerate() {
        let source = match (&entry.soundtrack_id, &entry.release_group_id) {
            (Some(id), _) => format!("soundtrack {id}"),
            (None, Some(group)) => format!("MusicBrainz {group}"),
            (None, None) => "not in the library".into(),
        };
        writeln!(
            out,
            "{:>3}. {} — {} vote{} ({source})",
            rank + 1,
            entry.title,
            entry.votes,
            if entry.votes == 1 { "" } else { "s" }
        )?;
        let mut shown: Vec<u32> = Vec::new();
        for evidence in &entry.evidence {
            if shown.contains(&evidence.comment) {
                continue;
            }
            shown.push(evidence.comment);
            writeln!(out, "       #{:<4} “{}”", evidence.comment, evidence.text)?;
        }
    }
    if !count.unrecognised.is_empty() {
        writeln!(
            out,
            "Not recognised (not in the library{}): {}",
            if count.looked_up > 0 {
                ", not found online"
            } else {
                "; --online looks them up"
            },
            count.unrecognised.join(", ")
        )?;
    }
    for added in &summary.added {
        writeln!(
            out,
            "Added {} from MusicBrainz: soundtrack {}",
            added.title, added.soundtrack_id
        )?;
    }
    if let (Some(id), Some(name)) = (summary.ranked_list_id, list_name) {
        writeln!(out, "Created ranked list {id}: {}", name.trim())?;
    }
    Ok(())
}
