//! "Add the titles found online" when a count is saved: each title of the reviewed tally that
//! MusicBrainz found and the library lacks is added as a soundtrack with the look-up's own add
//! (`catalog::add::add_release`: the suggested edition's track list, ISRCs, ids and cover), so
//! the ranked list points at soundtracks instead of waiting entries.
//!
//! It talks to the network only through the `CatalogClient` it is given, and writes only
//! through that add (each soundtrack its own transaction). A title whose add fails is left
//! waiting and reported; a cancel or a lost network stops the adds and keeps those made.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TallyEntry;
use crate::catalog::add::{soundtrack_with_release, AddOptions};
use crate::catalog::{CatalogClient, CatalogEvent};
use crate::error::{Error, Result};

/// What adding the titles found online did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddedFound {
    /// Titles now in the library, with their soundtrack ids.
    pub added: Vec<AddedTitle>,
    /// Titles that stay waiting, with why.
    pub failed: Vec<FailedTitle>,
}

/// What "Make ranked list" did in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedSurvey {
    pub list_id: i64,
    pub added: AddedFound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddedTitle {
    pub title: String,
    pub soundtrack_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FailedTitle {
    pub title: String,
    pub problem: String,
}

/// The tally's titles that adding would fetch: found online, with an edition, not in the
/// library.
pub fn titles_to_add(tally: &[TallyEntry]) -> usize {
    tally
        .iter()
        .filter(|e| e.soundtrack_id.is_none() && e.release_id.is_some() && e.votes > 0)
        .count()
}

impl crate::Library {
    /// Adds the tally's titles found online and not in the library, and points their entries
    /// at the new soundtracks (a release the library already holds is pointed at, not added
    /// again). Progress goes to `on_event`; `Cancelled` and `Offline` stop the adds, keeping
    /// those made and writing their ids into `tally` first.
    pub fn add_found_titles(
        &mut self,
        client: &CatalogClient,
        tally: &mut [TallyEntry],
        on_event: &dyn Fn(CatalogEvent),
    ) -> Result<AddedFound> {
        let total = titles_to_add(tally) as u32;
        let mut report = AddedFound::default();
        let mut done = 0;
        for entry in tally.iter_mut() {
            let Some(release_id) = entry.release_id.clone() else {
                continue;
            };
            if entry.soundtrack_id.is_some() || entry.votes == 0 {
                continue;
            }
            on_event(CatalogEvent::Looking {
                done,
                total,
                film_title: entry.title.clone(),
            });
            done += 1;
            let options = AddOptions {
                film_title: Some(entry.title.clone()),
                ..AddOptions::default()
            };
            let added = match self.add_release(client, &release_id, &options) {
                Ok(added) => Ok(added.soundtrack_id),
                Err(Error::Conflict(message)) => soundtrack_with_release(self.conn(), &release_id)?
                    .ok_or(Error::Conflict(message)),
                Err(e) => Err(e),
            };
            match added {
                Ok(soundtrack_id) => {
                    entry.soundtrack_id = Some(soundtrack_id);
                    report.added.push(AddedTitle {
                        title: entry.title.clone(),
                        soundtrack_id,
                    });
                }
                Err(e @ (Error::Cancelled(_) | Error::Offline(_))) => return Err(e),
                Err(e) => report.failed.push(FailedTitle {
                    title: entry.title.clone(),
                    problem: e.to_string(),
                }),
            }
        }
        on_event(CatalogEvent::Finished { done, total });
        Ok(report)
    }
}
