//! `cuesheet ranked …`: ranked lists of soundtracks, printed for people or as JSON.
//!
//! This module only unpacks arguments and prints; the core decides every rule.

use clap::Subcommand;
use cuesheet_core::ranked::RankedListDetail;
use cuesheet_core::{Error, Library};

use super::output::year;
use super::{done, print_out, write_json};

#[derive(Debug, Subcommand)]
pub enum RankedAction {
    /// List the ranked lists.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a ranked list in order.
    Show {
        list: String,
        #[arg(long)]
        json: bool,
    },
    /// Make an empty ranked list.
    Create {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Put a soundtrack on a list, at the end or at a rank.
    Add {
        list: String,
        soundtrack: String,
        #[arg(long)]
        rank: Option<u32>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Move the soundtrack at one rank to another.
    Move { list: String, from: u32, to: u32 },
    /// Take the soundtrack at a rank off the list.
    Remove { list: String, rank: u32 },
    /// Set the note of the soundtrack at a rank.
    Note {
        list: String,
        rank: u32,
        text: String,
    },
    /// Make a playlist of the top SONGS songs of each of the top TOP soundtracks (favourites,
    /// then ratings, then album order).
    Playlist {
        list: String,
        #[arg(long, default_value_t = 10)]
        top: u32,
        #[arg(long, default_value_t = 3)]
        songs: u32,
    },
    /// Delete a ranked list (its soundtracks stay in the library).
    Delete { list: String },
    /// Print the survey thread a list was counted from (`cuesheet survey -` counts it again).
    Thread { list: String },
}

pub(super) fn ranked_action(
    library: &mut Library,
    action: RankedAction,
) -> cuesheet_core::Result<()> {
    let at_rank = |detail: &RankedListDetail, rank: u32| {
        detail
            .entries
            .iter()
            .find(|e| e.rank == rank)
            .map(|e| e.entry_id)
            .or_else(|| {
                detail
                    .waiting
                    .iter()
                    .find(|w| w.rank == rank)
                    .map(|w| w.entry_id)
            })
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{} has no soundtrack at rank {rank} (it has {})",
                    detail.summary.name, detail.summary.entry_count
                ))
            })
    };
    match action {
        RankedAction::List { json } => {
            let lists = library.list_ranked_lists()?;
            print_out(|out| {
                if json {
                    return write_json(out, &lists);
                }
                if lists.is_empty() {
                    return writeln!(
                        out,
                        "No ranked lists yet: try `cuesheet ranked create \"Best of\"`."
                    );
                }
                for list in &lists {
                    writeln!(
                        out,
                        "{:>5}  {}  ({} soundtracks)",
                        list.id, list.name, list.entry_count
                    )?;
                }
                Ok(())
            })
        }
        RankedAction::Show { list, json } => {
            let detail = library.find_ranked_list(&list)?;
            print_out(|out| {
                if json {
                    return write_json(out, &detail);
                }
                writeln!(out, "{}", detail.summary.name)?;
                // Entries and titles waiting for their soundtrack, in one rank order.
                let mut lines: Vec<(u32, String, &str)> = detail
                    .entries
                    .iter()
                    .map(|e| {
                        let what = format!(
                            "{} ({})",
                            e.soundtrack.film_title,
                            year(e.soundtrack.film_year)
                        );
                        (e.rank, what, e.note.as_str())
                    })
                    .chain(detail.waiting.iter().map(|w| {
                        (
                            w.rank,
                            format!("{} [not in the library yet]", w.title),
                            w.note.as_str(),
                        )
                    }))
                    .collect();
                lines.sort_by_key(|(rank, _, _)| *rank);
                for (rank, what, note) in lines {
                    let note = if note.is_empty() {
                        String::new()
                    } else {
                        format!(" — {note}")
                    };
                    writeln!(out, "{rank:>4}. {what}{note}")?;
                }
                Ok(())
            })
        }
        RankedAction::Create { name, description } => {
            let id = library.create_ranked_list(&name, &description)?;
            done(&format!("created ranked list {id}: {}", name.trim()))
        }
        RankedAction::Add {
            list,
            soundtrack,
            rank,
            note,
        } => {
            let detail = library.find_ranked_list(&list)?;
            let soundtrack = library.find_soundtrack(&soundtrack)?;
            library.add_to_ranked_list(detail.summary.id, soundtrack.id, rank, &note)?;
            done(&format!(
                "{}: added {}",
                detail.summary.name, soundtrack.film_title
            ))
        }
        RankedAction::Move { list, from, to } => {
            let detail = library.find_ranked_list(&list)?;
            library.move_ranked_entry(at_rank(&detail, from)?, to)?;
            done(&format!("{}: moved {from} to {to}", detail.summary.name))
        }
        RankedAction::Remove { list, rank } => {
            let detail = library.find_ranked_list(&list)?;
            library.remove_ranked_entry(at_rank(&detail, rank)?)?;
            done(&format!("{}: removed rank {rank}", detail.summary.name))
        }
        RankedAction::Note { list, rank, text } => {
            let detail = library.find_ranked_list(&list)?;
            library.set_ranked_note(at_rank(&detail, rank)?, &text)?;
            done(&format!(
                "{}: note saved for rank {rank}",
                detail.summary.name
            ))
        }
        RankedAction::Playlist { list, top, songs } => {
            let detail = library.find_ranked_list(&list)?;
            let id = library.playlist_from_ranked_list(detail.summary.id, top, songs)?;
            let made = library.get_playlist(id)?;
            done(&format!(
                "created playlist {id}: {} with {} song(s)",
                made.summary.name, made.summary.song_count
            ))
        }
        RankedAction::Thread { list } => {
            let detail = library.find_ranked_list(&list)?;
            let kept = library
                .ranked_list_survey(detail.summary.id)?
                .ok_or_else(|| {
                    Error::InvalidInput(format!(
                        "{} was not counted from a survey: it keeps no thread",
                        detail.summary.name
                    ))
                })?;
            print_out(|out| out.write_all(kept.thread.as_bytes()))
        }
        RankedAction::Delete { list } => {
            let detail = library.find_ranked_list(&list)?;
            library.delete_ranked_list(detail.summary.id)?;
            done(&format!("deleted ranked list {}", detail.summary.name))
        }
    }
}
