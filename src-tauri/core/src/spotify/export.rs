//! Export: make one Spotify playlist hold exactly a playlist's matched songs in its order, with
//! the fewest calls, safe to run again after any interruption. It must not decide matches
//! (matching does), plan the edits (sync does) or work out what someone changed in Spotify
//! (outside does).
//!
//! Spotify as it behaves, not as one might assume: it has no delete (deleting a playlist in its
//! apps unfollows it, and it stays writable by id), so every export asks whether the user still
//! follows the playlist; people edit the playlist in Spotify's apps, so every export compares
//! the snapshot (the same one read answers both); and a write Spotify refuses with a 4xx did not
//! happen, so it is never sent again.

use super::matching::{report, resolve, song_refs, wanted_uris};
use super::outside::{self, OutsideChanges};
use super::*;
use client::{Following, RemotePlaylist};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportSummary {
    pub playlist_id: i64,
    pub remote_id: String,
    /// Opens the playlist in Spotify.
    pub url: String,
    /// A new Spotify playlist was made (first export, or made again after a deletion).
    pub created: bool,
    /// The playlist had been deleted in Spotify and was followed again, as asked.
    pub followed_again: bool,
    /// Nothing had to change: the Spotify playlist already held these songs (one read, no
    /// write).
    pub unchanged: bool,
    /// Songs on the Spotify playlist now.
    pub exported: u32,
    pub counts: MatchCounts,
    pub calls: CallCounts,
    /// The fewest write calls any plan could have used for this export (for the benchmark).
    pub minimum_writes: u32,
    /// Edits made in Spotify since the last export, which this export undid; `null` when
    /// there were none.
    pub changed_in_spotify: Option<OutsideChanges>,
    /// The playlist's description could not be set after creating it (it keeps a short one).
    pub description_skipped: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Show a new Spotify playlist on the user's profile. `public: false` only keeps it off the
    /// profile; it does not make it private (anyone with the link can open it).
    pub public: bool,
    /// Make a new Spotify playlist when the one we synced with was deleted.
    pub recreate: bool,
    /// Follow the playlist we synced with again when it was deleted in Spotify.
    pub follow_again: bool,
}

/// At most this many re-reads after writes whose answers were lost.
const MAX_SYNC_ROUNDS: u32 = 4;
/// Spotify refuses descriptions longer than this (in characters).
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// Exports a playlist: matches what is undecided, then makes the Spotify playlist hold exactly
/// the matched songs in our order. Safe to run again after any interruption.
pub fn export_playlist(
    data_dir: &Path,
    playlist: &str,
    options: ExportOptions,
    work: &Work<'_>,
) -> Result<ExportSummary> {
    let (conn, config) = open(data_dir)?;
    let detail = playlists::find_playlist(&conn, playlist)?;
    let playlist_id = detail.summary.id;
    let songs = song_refs(&detail);
    let link = store::link(&conn, playlist_id)?;

    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let decisions = resolve(&conn, &songs, false, Some(&client), work)?;
    let wanted = wanted_uris(&decisions);
    let counts = report(&detail, &songs, &decisions, CallCounts::default()).counts;

    let remote = remote_playlist(&conn, &client, &detail, link.as_ref(), options, &wanted)?;
    let minimum_writes = sync::minimum_calls(&remote.content, &wanted) as u32;
    let unchanged = !remote.created && !remote.followed_again && remote.content == wanted;
    sync_items(&conn, &client, playlist_id, &remote, &wanted, &detail)?;
    (work.on_event)(SpotifyEvent::Finished);
    Ok(ExportSummary {
        playlist_id,
        remote_id: remote.id,
        url: remote.url,
        created: remote.created,
        followed_again: remote.followed_again,
        unchanged,
        exported: wanted.len() as u32,
        counts,
        calls: client.counts(),
        minimum_writes,
        changed_in_spotify: remote.changed.filter(|c| !c.is_empty()),
        description_skipped: remote.description_skipped,
    })
}

/// What a playlist deleted in Spotify gets: the user chooses what happens next.
fn deleted_in_spotify(name: &str) -> Error {
    Error::NotFound(format!(
        "the Spotify playlist made from \"{name}\" was deleted in Spotify: it is no longer among \
         your playlists there. Export again and choose \"Create it again\" for a new one (CLI: \
         --recreate), or \"Follow it again\" to bring that one back as it was (CLI: \
         --follow-again). Nothing was changed."
    ))
}

/// The tag in a created playlist's description that lets an interrupted first export find it.
fn marker(conn: &Connection, playlist_id: i64) -> Result<String> {
    Ok(format!(
        "[cuesheet {}-{playlist_id}]",
        store::library_id(conn)?
    ))
}

/// The playlist to sync and what it holds now.
struct Remote {
    id: String,
    url: String,
    created: bool,
    followed_again: bool,
    /// Its items as the sync plans with them (`RemoteItem::sync_key`).
    content: Vec<String>,
    /// The snapshot `content` was read at, when known: recorded as is if nothing is written.
    snapshot: Option<String>,
    changed: Option<OutsideChanges>,
    description_skipped: bool,
}

/// Finds (or makes) the remote playlist and learns its current content.
fn remote_playlist(
    conn: &Connection,
    client: &Client<'_>,
    detail: &PlaylistDetail,
    link: Option<&Link>,
    options: ExportOptions,
    wanted: &[String],
) -> Result<Remote> {
    let name = &detail.summary.name;
    if let (Some(link), false) = (link, options.recreate) {
        client.report(SpotifyEvent::Reading);
        let mut followed_again = false;
        let snapshot = match client.following(&link.remote_id)? {
            Following::Yes { snapshot_id } => snapshot_id,
            Following::No if options.follow_again => {
                match client.follow(&link.remote_id, link.public) {
                    Ok(()) => {}
                    // No such playlist at all any more: only creating it again can help.
                    Err(Error::NotFound(_)) => return Err(deleted_in_spotify(name)),
                    Err(error) => return Err(error),
                }
                followed_again = true;
                client.playlist_snapshot(&link.remote_id)?
            }
            Following::No => return Err(deleted_in_spotify(name)),
        };
        let (content, changed) = match (&link.synced_uris, &link.snapshot_id) {
            (Some(synced), Some(recorded)) if snapshot.as_ref() == Some(recorded) => {
                (synced.clone(), None)
            }
            (synced, _) => {
                let items = client
                    .playlist_items(&link.remote_id)?
                    .ok_or_else(|| deleted_in_spotify(name))?;
                // Only a finished export's record says which songs were ours.
                let changed = synced
                    .as_ref()
                    .map(|synced| outside::changes(synced, &items, wanted));
                (items.iter().map(|i| i.sync_key()).collect(), changed)
            }
        };
        return Ok(Remote {
            id: link.remote_id.clone(),
            url: link.url.clone(),
            created: false,
            followed_again,
            content,
            snapshot,
            changed,
            description_skipped: false,
        });
    }
    let tag = marker(conn, detail.summary.id)?;
    if !options.recreate {
        if let Some(found) = client.find_own_playlist(|p| p.description.contains(&tag))? {
            store::save_new_link(
                conn,
                detail.summary.id,
                &found.id,
                &found.url,
                options.public,
            )?;
            let items = client
                .playlist_items(&found.id)?
                .ok_or_else(|| deleted_in_spotify(name))?;
            return Ok(Remote {
                id: found.id,
                url: found.url,
                created: false,
                followed_again: false,
                content: items.iter().map(|i| i.sync_key()).collect(),
                snapshot: None,
                changed: None,
                description_skipped: false,
            });
        }
    }
    // Created with a short description that cannot upset Spotify; the curator's own text
    // follows in a second call that may fail without harm.
    let created = create_once(
        client,
        name,
        &format!("Made with Cuesheet {tag}"),
        &tag,
        options.public,
    )?;
    // Recorded before anything else happens, so a kill now cannot lead to a second playlist.
    store::save_new_link(
        conn,
        detail.summary.id,
        &created.id,
        &created.url,
        options.public,
    )?;
    let mut description_skipped = false;
    if let Some(description) = description_with_tag(&detail.summary.description, &tag) {
        match client.set_description(&created.id, &description) {
            Ok(()) => {}
            Err(error @ Error::Cancelled(_)) => return Err(error),
            Err(error) => {
                tracing::warn!(%error, "could not set the Spotify playlist's description");
                description_skipped = true;
            }
        }
    }
    Ok(Remote {
        id: created.id,
        url: created.url,
        created: true,
        followed_again: false,
        content: Vec::new(),
        snapshot: None,
        changed: None,
        description_skipped,
    })
}

/// The curator's description as Spotify takes it: on one line (a line break has made Spotify
/// answer 500), cut to fit [`MAX_DESCRIPTION_CHARS`] with our tag kept at the end. `None` when
/// there is no text of the curator's to set.
pub fn description_with_tag(description: &str, tag: &str) -> Option<String> {
    let one_line = description
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.is_empty() {
        return None;
    }
    let room = MAX_DESCRIPTION_CHARS.saturating_sub(tag.chars().count() + 1);
    let text = if one_line.chars().count() > room {
        let cut: String = one_line.chars().take(room.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    };
    Some(format!("{text} {tag}"))
}

/// Creates the playlist. When the answer is lost (or Spotify fails), it may exist anyway: look
/// for our tag before trying again, so a retry never makes a second one. A refusal (4xx) is
/// final: nothing was created, and asking again would be refused again.
fn create_once(
    client: &Client<'_>,
    name: &str,
    description: &str,
    tag: &str,
    public: bool,
) -> Result<RemotePlaylist> {
    let mut attempt = 0;
    loop {
        match client.create_playlist(name, description, public) {
            Ok(created) => return Ok(created),
            Err(error) if client.last_was_refused() => return Err(error),
            Err(error @ (Error::Offline(_) | Error::Spotify(_))) if attempt < 2 => {
                attempt += 1;
                tracing::info!(%error, "creating the Spotify playlist failed; checking whether it exists");
                if let Some(found) = client.find_own_playlist(|p| p.description.contains(tag))? {
                    return Ok(found);
                }
            }
            Err(error) => return Err(error),
        }
    }
}

fn sync_items(
    conn: &Connection,
    client: &Client<'_>,
    playlist_id: i64,
    target: &Remote,
    wanted: &[String],
    detail: &PlaylistDetail,
) -> Result<()> {
    let remote_id = target.id.as_str();
    let mut remote = target.content.clone();
    let mut snapshot = target.snapshot.clone();
    let mut round = 0;
    'rounds: loop {
        let ops = sync::plan(&remote, wanted);
        if ops.is_empty() {
            if snapshot.is_none() {
                snapshot = client.playlist_snapshot(remote_id)?;
            }
            store::mark_synced(conn, playlist_id, wanted, snapshot.as_deref())?;
            return Ok(());
        }
        store::mark_unsynced(conn, playlist_id)?;
        let total = ops.len() as u32;
        for (done, op) in ops.iter().enumerate() {
            match client.apply(remote_id, op) {
                Ok(new_snapshot) => {
                    snapshot = new_snapshot;
                    sync::apply(&mut remote, op);
                    client.report(SpotifyEvent::Writing {
                        done: done as u32 + 1,
                        total,
                    });
                }
                Err(Error::NotFound(_)) => return Err(deleted_in_spotify(&detail.summary.name)),
                // Spotify said no (4xx): the write did not happen. Sending it again, or
                // planning around it blind, would only be refused again.
                Err(error) if client.last_was_refused() => return Err(error),
                // The answer was lost or Spotify failed mid-way: the write may or may not have
                // happened, so read what is there and plan again rather than guess.
                Err(Error::Offline(_) | Error::Spotify(_)) if round < MAX_SYNC_ROUNDS => {
                    round += 1;
                    client.report(SpotifyEvent::Reading);
                    remote = client
                        .playlist_items(remote_id)?
                        .ok_or_else(|| deleted_in_spotify(&detail.summary.name))?
                        .iter()
                        .map(|i| i.sync_key())
                        .collect();
                    snapshot = None;
                    continue 'rounds;
                }
                Err(error) => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_go_on_one_line_within_the_limit_with_the_tag() {
        let tag = "[cuesheet 0a1b2c3d-7]";
        assert_eq!(description_with_tag(" \n\t ", tag), None);
        assert_eq!(
            description_with_tag("Songs from\nthe film,\r\n\tin order", tag).unwrap(),
            format!("Songs from the film, in order {tag}")
        );
        let long = "word ".repeat(200);
        let cut = description_with_tag(&long, tag).unwrap();
        assert!(
            cut.chars().count() <= MAX_DESCRIPTION_CHARS,
            "{}",
            cut.len()
        );
        assert!(cut.ends_with(&format!("… {tag}")), "{cut}");
        let accents = "é".repeat(400);
        let cut = description_with_tag(&accents, tag).unwrap();
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(!cut.contains('\n'));
    }
}
