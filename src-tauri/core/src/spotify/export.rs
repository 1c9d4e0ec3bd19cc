//! Export: make one Spotify playlist hold exactly a playlist's matched songs in its order, with
//! the fewest calls, safe to run again after any interruption. It must not decide matches
//! (matching does) or plan the edits (sync does).

use super::matching::{needs_search, report, resolve, song_refs, wanted_uris};
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportSummary {
    pub playlist_id: i64,
    pub remote_id: String,
    /// Opens the playlist in Spotify.
    pub url: String,
    /// A new Spotify playlist was made (first export, or made again after a deletion).
    pub created: bool,
    /// Nothing had changed, so no call was made.
    pub unchanged: bool,
    /// Songs on the Spotify playlist now.
    pub exported: u32,
    pub counts: MatchCounts,
    pub calls: CallCounts,
    /// The fewest write calls any plan could have used for this export (for the benchmark).
    pub minimum_writes: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub public: bool,
    /// Make a new Spotify playlist when the one we synced with was deleted.
    pub recreate: bool,
}

// ---------------------------------------------------------------------------------------------
// Export

/// At most this many re-reads after writes whose answers were lost.
const MAX_SYNC_ROUNDS: u32 = 4;

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

    // Nothing undecided and nothing changed since the last finished export: no call at all.
    if !options.recreate && !needs_search(&conn, &songs, false)? {
        let decisions = resolve(&conn, &songs, false, None, work)?;
        let wanted = wanted_uris(&decisions);
        if let Some(link) = &link {
            if link.synced_uris.as_ref() == Some(&wanted) {
                let counts = report(&detail, &songs, &decisions, CallCounts::default()).counts;
                (work.on_event)(SpotifyEvent::Finished);
                return Ok(ExportSummary {
                    playlist_id,
                    remote_id: link.remote_id.clone(),
                    url: link.url.clone(),
                    created: false,
                    unchanged: true,
                    exported: wanted.len() as u32,
                    counts,
                    calls: CallCounts::default(),
                    minimum_writes: 0,
                });
            }
        }
    }

    let session = Session::open(&config, TokenStore::for_data_dir(data_dir))?;
    let client = Client::new(&config, &session, work);
    let decisions = resolve(&conn, &songs, false, Some(&client), work)?;
    let wanted = wanted_uris(&decisions);
    let counts = report(&detail, &songs, &decisions, CallCounts::default()).counts;

    let (remote_id, url, created, remote) =
        remote_playlist(&conn, &client, &detail, link.as_ref(), options)?;
    let minimum_writes = sync::minimum_calls(&remote, &wanted) as u32;
    sync_items(
        &conn,
        &client,
        playlist_id,
        &remote_id,
        remote,
        &wanted,
        &detail,
        work,
    )?;
    (work.on_event)(SpotifyEvent::Finished);
    Ok(ExportSummary {
        playlist_id,
        remote_id,
        url,
        created,
        unchanged: false,
        exported: wanted.len() as u32,
        counts,
        calls: client.counts(),
        minimum_writes,
    })
}

fn gone(name: &str) -> Error {
    Error::NotFound(format!(
        "the Spotify playlist made from \"{name}\" no longer exists (it was deleted in Spotify). \
         Export again and choose to create it again (CLI: --recreate); nothing else changed."
    ))
}

/// The tag in a created playlist's description that lets an interrupted first export find it.
fn marker(conn: &Connection, playlist_id: i64) -> Result<String> {
    Ok(format!(
        "[cuesheet {}-{playlist_id}]",
        store::library_id(conn)?
    ))
}

/// Finds (or makes) the remote playlist and learns its current content.
fn remote_playlist(
    conn: &Connection,
    client: &Client<'_>,
    detail: &PlaylistDetail,
    link: Option<&Link>,
    options: ExportOptions,
) -> Result<(String, String, bool, Vec<String>)> {
    let name = &detail.summary.name;
    if let (Some(link), false) = (link, options.recreate) {
        client.report(SpotifyEvent::Reading);
        let remote = match (&link.synced_uris, &link.snapshot_id) {
            (Some(synced), Some(snapshot)) => match client.playlist_snapshot(&link.remote_id)? {
                None => return Err(gone(name)),
                Some(current) if &current == snapshot => synced.clone(),
                Some(_) => client
                    .playlist_items(&link.remote_id)?
                    .ok_or_else(|| gone(name))?,
            },
            _ => client
                .playlist_items(&link.remote_id)?
                .ok_or_else(|| gone(name))?,
        };
        return Ok((link.remote_id.clone(), link.url.clone(), false, remote));
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
            let remote = client
                .playlist_items(&found.id)?
                .ok_or_else(|| gone(name))?;
            return Ok((found.id, found.url, false, remote));
        }
    }
    let description = if detail.summary.description.trim().is_empty() {
        format!("Made with Cuesheet {tag}")
    } else {
        // Spotify keeps at most 300 characters of a description; the tag must survive.
        let room = 300usize.saturating_sub(tag.chars().count() + 1);
        let text: String = detail.summary.description.chars().take(room).collect();
        format!("{text} {tag}")
    };
    let created = create_once(client, name, &description, &tag, options.public)?;
    // Recorded before anything else happens, so a kill now cannot lead to a second playlist.
    store::save_new_link(
        conn,
        detail.summary.id,
        &created.id,
        &created.url,
        options.public,
    )?;
    Ok((created.id, created.url, true, Vec::new()))
}

/// Creates the playlist. When the answer is lost (or Spotify fails), it may exist anyway: look
/// for our tag before trying again, so a retry never makes a second one.
fn create_once(
    client: &Client<'_>,
    name: &str,
    description: &str,
    tag: &str,
    public: bool,
) -> Result<client::RemotePlaylist> {
    let mut attempt = 0;
    loop {
        match client.create_playlist(name, description, public) {
            Ok(created) => return Ok(created),
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

#[allow(clippy::too_many_arguments)]
fn sync_items(
    conn: &Connection,
    client: &Client<'_>,
    playlist_id: i64,
    remote_id: &str,
    mut remote: Vec<String>,
    wanted: &[String],
    detail: &PlaylistDetail,
    work: &Work<'_>,
) -> Result<()> {
    let mut snapshot = None;
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
                    (work.on_event)(SpotifyEvent::Writing {
                        done: done as u32 + 1,
                        total,
                    });
                }
                Err(Error::NotFound(_)) => return Err(gone(&detail.summary.name)),
                // The answer was lost or Spotify failed mid-way: the write may or may not have
                // happened, so read what is there and plan again rather than guess.
                Err(Error::Offline(_) | Error::Spotify(_)) if round < MAX_SYNC_ROUNDS => {
                    round += 1;
                    (work.on_event)(SpotifyEvent::Reading);
                    remote = client
                        .playlist_items(remote_id)?
                        .ok_or_else(|| gone(&detail.summary.name))?;
                    snapshot = None;
                    continue 'rounds;
                }
                Err(error) => return Err(error),
            }
        }
    }
}
