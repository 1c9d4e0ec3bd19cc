//! The Web API calls export needs, with Spotify's 2026 rules and faults handled in one place:
//! bearer tokens from the [`Session`], 429 with `Retry-After` (waiting shown as progress),
//! `QUOTA_EXCEEDED`, retries with backoff for 5xx and timeouts, one refresh after a 401, the
//! five-user 403, the lapsed-Premium 403, and a count of every call by kind.
//!
//! Written on ureq rather than rspotify's typed client because we need the status, headers and
//! body of every failure, lenient JSON types (rspotify's playlist types panic without `items`),
//! and control over which calls may be retried: a write whose answer was lost is NOT retried
//! here, since it may have happened; the sync re-reads the playlist and plans again instead. A
//! write Spotify answered with a 4xx did not happen, and [`Client::last_was_refused`] says so, so
//! that nobody sends it again.
//! This module must not touch the database or decide what to export.

use std::cell::{Cell, RefCell};
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::auth::Session;
use super::matcher::Candidate;
use super::sync::Op;
use super::{SpotifyConfig, SpotifyEvent, Work};
use crate::error::{Error, Result};

/// Search pages are at most this long in Development Mode.
pub const SEARCH_LIMIT: u32 = 10;
/// Playlist items are read in pages of this many.
const ITEMS_PAGE: usize = 50;
/// Retries for a failed read (5xx, time-out, dropped connection) before giving up.
const MAX_RETRIES: u32 = 4;
/// The longest single `Retry-After` we sit out, and the most waiting in one piece of work.
const MAX_SINGLE_WAIT_SECS: u64 = 120;
const MAX_TOTAL_WAIT_SECS: u64 = 600;

/// Calls made, by kind: what the summary and the benchmark report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CallCounts {
    pub searches: u32,
    pub reads: u32,
    pub writes: u32,
    /// Answers that were 429, 5xx or lost, and made us wait or try again.
    pub retries: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Search,
    Read,
    Write,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub candidates: Vec<Candidate>,
    /// The page holds every match Spotify has for the query (no further page).
    pub complete: bool,
}

/// One item of a remote playlist, as far as export cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    /// The track's (or episode's) URI, or a local file's `spotify:local:…` URI; `None` for a
    /// song Spotify no longer serves (`"item": null`).
    pub uri: Option<String>,
    /// A file from the user's computer, added in Spotify's desktop app.
    pub local: bool,
    /// What Spotify calls it, when it says.
    pub title: Option<String>,
    pub artists: Vec<String>,
}

impl RemoteItem {
    /// What the sync plans with: the URI, or for an unavailable song a stand-in that no song
    /// of ours has and that cannot be removed by URI (see `sync::removable_by_uri`).
    pub fn sync_key(&self) -> String {
        self.uri
            .clone()
            .unwrap_or_else(|| super::sync::UNAVAILABLE.to_string())
    }
}

/// Whether the user still follows a playlist (Spotify's "delete" only unfollows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Following {
    /// Followed, with its current snapshot id.
    Yes { snapshot_id: Option<String> },
    /// Deleted in Spotify (unfollowed), or no such playlist at all.
    No,
}

/// A remote playlist as far as export cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePlaylist {
    pub id: String,
    pub url: String,
    pub snapshot_id: Option<String>,
    pub description: String,
}

pub struct Client<'a> {
    agent: ureq::Agent,
    api_url: String,
    session: &'a Session,
    work: &'a Work<'a>,
    counts: Cell<CallCounts>,
    waited_secs: Cell<u64>,
    /// Set once any answer arrived: later connection failures are "lost", not "offline".
    reached: Cell<bool>,
    last_status: RefCell<Option<u16>>,
}

impl std::fmt::Debug for Client<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("counts", &self.counts.get())
            .finish_non_exhaustive()
    }
}

impl<'a> Client<'a> {
    pub fn new(config: &SpotifyConfig, session: &'a Session, work: &'a Work<'a>) -> Client<'a> {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(config.timeout)
            .build();
        Client {
            agent,
            api_url: config.api_url.clone(),
            session,
            work,
            counts: Cell::new(CallCounts::default()),
            waited_secs: Cell::new(0),
            reached: Cell::new(false),
            last_status: RefCell::new(None),
        }
    }

    /// Passes a progress event on to whoever watches this work.
    pub fn report(&self, event: SpotifyEvent) {
        (self.work.on_event)(event);
    }

    pub fn counts(&self) -> CallCounts {
        self.counts.get()
    }

    /// Whether the last call failed because Spotify refused it (a 4xx answer): a refused write
    /// did not happen, and sending it again would only be refused again.
    pub fn last_was_refused(&self) -> bool {
        matches!(*self.last_status.borrow(), Some(400..=499))
    }

    fn count(&self, update: impl FnOnce(&mut CallCounts)) {
        let mut counts = self.counts.get();
        update(&mut counts);
        self.counts.set(counts);
    }

    fn check_cancel(&self) -> Result<()> {
        if self.work.cancel.load(Ordering::Relaxed) {
            Err(Error::Cancelled(
                "cancelled; what was done so far is kept, and the next export finishes the job"
                    .into(),
            ))
        } else {
            Ok(())
        }
    }

    /// Sleeps in short steps so a cancel is honoured within a fraction of a second.
    fn pause(&self, duration: Duration) -> Result<()> {
        let step = Duration::from_millis(100);
        let mut left = duration;
        while !left.is_zero() {
            self.check_cancel()?;
            let nap = left.min(step);
            std::thread::sleep(nap);
            left -= nap;
        }
        Ok(())
    }

    /// One API call with the retry policy. `path` starts with `/` and is relative to `/v1`.
    fn call(&self, kind: Kind, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}{}", self.api_url, path);
        // Reads and idempotent writes may be sent again after a lost answer; see the module doc.
        let may_repeat = kind != Kind::Write;
        let mut failures = 0u32;
        let mut refreshed = false;
        loop {
            self.check_cancel()?;
            let token = self.session.access_token()?;
            self.count(|c| match kind {
                Kind::Search => c.searches += 1,
                Kind::Read => c.reads += 1,
                Kind::Write => c.writes += 1,
            });
            let request = self
                .agent
                .request(method, &url)
                .set("Authorization", &format!("Bearer {token}"))
                .set("Accept", "application/json");
            let result = match body {
                Some(body) => request
                    .set("Content-Type", "application/json")
                    .send_string(&body.to_string()),
                None => request.call(),
            };
            match result {
                Ok(response) => {
                    self.reached.set(true);
                    *self.last_status.borrow_mut() = Some(response.status());
                    let text = response.into_string().unwrap_or_default();
                    if text.trim().is_empty() {
                        return Ok(Value::Null);
                    }
                    return serde_json::from_str(&text).map_err(|_| {
                        Error::Spotify(format!(
                            "Spotify's answer to {method} {} was not JSON",
                            describe(path)
                        ))
                    });
                }
                Err(ureq::Error::Status(status, response)) => {
                    self.reached.set(true);
                    *self.last_status.borrow_mut() = Some(status);
                    let retry_after = response
                        .header("Retry-After")
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let text = response.into_string().unwrap_or_default();
                    let message = api_message(&text);
                    match status {
                        401 if !refreshed => {
                            refreshed = true;
                            self.session.refresh_after_rejection(&token)?;
                            continue;
                        }
                        401 => {
                            return Err(Error::AuthRequired(
                                "Spotify no longer accepts this login; log in to Spotify again."
                                    .into(),
                            ))
                        }
                        403 if is_premium_lapse(&text) => return Err(premium_lapsed(&message)),
                        403 if is_not_allowlisted(&message) => {
                            return Err(Error::AuthRequired(format!(
                                "Spotify refused this account for this Client ID: apps in \
                                 Development Mode only let in the owner (who needs Premium) and \
                                 at most five users added under \"User Management\" in the app's \
                                 dashboard. Add your Spotify account there, then log in again. \
                                 (Spotify said: {message})"
                            )))
                        }
                        429 if text.contains("QUOTA_EXCEEDED")
                            || message.contains("QUOTA_EXCEEDED") =>
                        {
                            return Err(Error::RateLimited(
                                "Spotify says this app's quota is used up (QUOTA_EXCEEDED): \
                                 waiting will not help. Try again tomorrow, or check the app's \
                                 quota in Spotify's developer dashboard. What was exported so far \
                                 is kept, and the next export finishes the job."
                                    .into(),
                            ))
                        }
                        429 => {
                            self.count(|c| c.retries += 1);
                            let seconds = retry_after.unwrap_or(1).max(1);
                            let total = self.waited_secs.get() + seconds;
                            if seconds > MAX_SINGLE_WAIT_SECS || total > MAX_TOTAL_WAIT_SECS {
                                return Err(Error::RateLimited(format!(
                                    "Spotify asks us to wait {seconds} seconds before the next \
                                     call, longer than Cuesheet waits. Try again later; what \
                                     was done so far is kept."
                                )));
                            }
                            self.waited_secs.set(total);
                            (self.work.on_event)(SpotifyEvent::Waiting { seconds });
                            tracing::info!(seconds, "Spotify rate limit: waiting");
                            self.pause(Duration::from_secs(seconds))?;
                            continue;
                        }
                        500..=599 if may_repeat && failures < MAX_RETRIES => {
                            failures += 1;
                            self.count(|c| c.retries += 1);
                            self.pause(backoff(failures))?;
                            continue;
                        }
                        500..=599 => {
                            return Err(Error::Spotify(format!(
                                "Spotify is having trouble ({status} on {method} {}); try \
                                 again in a few minutes. What was done so far is kept.",
                                describe(path)
                            )))
                        }
                        404 => {
                            return Err(Error::NotFound(format!(
                                "Spotify has no {}: {message}",
                                describe(path)
                            )))
                        }
                        _ => {
                            return Err(Error::Spotify(format!(
                                "Spotify refused {method} {} ({status}): {message}",
                                describe(path)
                            )))
                        }
                    }
                }
                Err(ureq::Error::Transport(transport)) => {
                    *self.last_status.borrow_mut() = None;
                    let never_reached = !self.reached.get()
                        && matches!(
                            transport.kind(),
                            ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed
                        );
                    if may_repeat && !never_reached && failures < MAX_RETRIES {
                        failures += 1;
                        self.count(|c| c.retries += 1);
                        self.pause(backoff(failures))?;
                        continue;
                    }
                    return Err(Error::Offline(if never_reached {
                        "could not reach Spotify: check your internet connection. Nothing in \
                         your library changed."
                            .to_string()
                    } else {
                        format!(
                            "the connection to Spotify was lost ({} on {method} {}). What was \
                             done so far is kept; export again to finish.",
                            transport.kind(),
                            describe(path)
                        )
                    }));
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Typed calls

    /// `GET /me`: who is logged in (also proves the account is allow-listed).
    pub fn me(&self) -> Result<(String, Option<String>)> {
        let me = self.call(Kind::Read, "GET", "/me", None)?;
        let id = me["id"].as_str().unwrap_or_default().to_string();
        let name = me["display_name"].as_str().map(str::to_string);
        Ok((id, name))
    }

    /// The first page of a search (`limit` ≤ 10).
    pub fn search(&self, query: &str) -> Result<SearchPage> {
        let path = format!(
            "/search?q={}&type=track&limit={SEARCH_LIMIT}",
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let answer = self.call(Kind::Search, "GET", &path, None)?;
        let items = answer["tracks"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let complete = match answer["tracks"]["total"].as_u64() {
            Some(total) => total as usize <= items.len(),
            None => items.len() < SEARCH_LIMIT as usize,
        };
        Ok(SearchPage {
            candidates: items.iter().filter_map(candidate_from).collect(),
            complete,
        })
    }

    /// `GET /tracks/{id}`; `None` when Spotify has no such track.
    pub fn track(&self, uri: &str) -> Result<Option<Candidate>> {
        let id = uri.rsplit(':').next().unwrap_or(uri);
        match self.call(Kind::Read, "GET", &format!("/tracks/{id}"), None) {
            Ok(track) => Ok(candidate_from(&track)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The user's playlists, page by page, until `found` says stop. Used to find a playlist an
    /// interrupted first export created but could not record.
    pub fn find_own_playlist(
        &self,
        mut found: impl FnMut(&RemotePlaylist) -> bool,
    ) -> Result<Option<RemotePlaylist>> {
        let mut offset = 0usize;
        loop {
            let page = self.call(
                Kind::Read,
                "GET",
                &format!("/me/playlists?limit=50&offset={offset}"),
                None,
            )?;
            let items = page["items"].as_array().cloned().unwrap_or_default();
            for item in &items {
                if let Some(playlist) = playlist_from(item) {
                    if found(&playlist) {
                        return Ok(Some(playlist));
                    }
                }
            }
            offset += items.len();
            let total = page["total"].as_u64().unwrap_or(0) as usize;
            // A bound on pages keeps a huge account from costing hundreds of calls.
            if items.is_empty() || offset >= total || offset >= 1000 {
                return Ok(None);
            }
        }
    }

    /// `POST /me/playlists` (the 2026 way; `/users/{id}/playlists` answers 403).
    pub fn create_playlist(
        &self,
        name: &str,
        description: &str,
        public: bool,
    ) -> Result<RemotePlaylist> {
        let body = json!({ "name": name, "description": description, "public": public });
        let answer = self.call(Kind::Write, "POST", "/me/playlists", Some(&body))?;
        playlist_from(&answer)
            .ok_or_else(|| Error::Spotify("Spotify created the playlist but sent no id".into()))
    }

    /// Whether the user still follows playlist `id`, and its snapshot when they do. One read when
    /// it is on the first page of the user's playlists (which carries the snapshot too);
    /// otherwise the followers check, and the snapshot, are asked for directly. That check is
    /// also what decides when the list does not show it, since a list can lag behind a
    /// playlist made a moment ago.
    pub fn following(&self, id: &str) -> Result<Following> {
        let page = self.call(Kind::Read, "GET", "/me/playlists?limit=50&offset=0", None)?;
        let listed = page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(playlist_from)
            .find(|p| p.id == id);
        if let Some(found) = listed {
            if found.snapshot_id.is_some() {
                return Ok(Following::Yes {
                    snapshot_id: found.snapshot_id,
                });
            }
        }
        // `ids` is optional since Spotify deprecated it (the current user is meant); naming the
        // user when we know them suits both the old and the new form.
        let path = match self.session.tokens().ok().and_then(|t| t.user_id) {
            Some(user) => format!(
                "/playlists/{id}/followers/contains?ids={}",
                url::form_urlencoded::byte_serialize(user.as_bytes()).collect::<String>()
            ),
            None => format!("/playlists/{id}/followers/contains"),
        };
        let follows = match self.call(Kind::Read, "GET", &path, None) {
            Ok(answer) => answer[0].as_bool().unwrap_or(false),
            Err(Error::NotFound(_)) => false,
            Err(e) => return Err(e),
        };
        if !follows {
            return Ok(Following::No);
        }
        Ok(match self.playlist_snapshot(id)? {
            Some(snapshot) => Following::Yes {
                snapshot_id: Some(snapshot),
            },
            None => Following::No,
        })
    }

    /// Follows playlist `id` again (`PUT /playlists/{id}/followers`): a playlist deleted in
    /// Spotify comes back to the user's list as it was.
    pub fn follow(&self, id: &str, public: bool) -> Result<()> {
        let body = json!({ "public": public });
        self.call(
            Kind::Write,
            "PUT",
            &format!("/playlists/{id}/followers"),
            Some(&body),
        )?;
        Ok(())
    }

    /// Changes a playlist's description (`PUT /playlists/{id}`).
    pub fn set_description(&self, id: &str, description: &str) -> Result<()> {
        let body = json!({ "description": description });
        self.call(Kind::Write, "PUT", &format!("/playlists/{id}"), Some(&body))?;
        Ok(())
    }

    /// The playlist's current snapshot; `None` when it no longer exists.
    pub fn playlist_snapshot(&self, id: &str) -> Result<Option<String>> {
        match self.call(
            Kind::Read,
            "GET",
            &format!("/playlists/{id}?fields=snapshot_id"),
            None,
        ) {
            Ok(answer) => Ok(Some(
                answer["snapshot_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every item in order; `None` when there is no such playlist.
    pub fn playlist_items(&self, id: &str) -> Result<Option<Vec<RemoteItem>>> {
        let mut found = Vec::new();
        loop {
            let path = format!(
                "/playlists/{id}/items?limit={ITEMS_PAGE}&offset={}",
                found.len()
            );
            let page = match self.call(Kind::Read, "GET", &path, None) {
                Ok(page) => page,
                Err(Error::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            let items = page["items"].as_array().cloned().unwrap_or_default();
            found.extend(items.iter().map(remote_item_from));
            let total = page["total"].as_u64().map(|t| t as usize);
            if items.is_empty() || total.is_some_and(|t| found.len() >= t) {
                return Ok(Some(found));
            }
        }
    }

    /// Runs one planned write; returns the new snapshot id.
    pub fn apply(&self, playlist_id: &str, op: &Op) -> Result<Option<String>> {
        let path = format!("/playlists/{playlist_id}/items");
        let (method, body) = match op {
            Op::Replace { uris } => ("PUT", json!({ "uris": uris })),
            Op::Insert { uris, position } => match position {
                Some(position) => ("POST", json!({ "uris": uris, "position": position })),
                None => ("POST", json!({ "uris": uris })),
            },
            Op::RemoveAll { uris } => {
                let items: Vec<Value> = uris.iter().map(|uri| json!({ "uri": uri })).collect();
                ("DELETE", json!({ "items": items }))
            }
            Op::Move {
                range_start,
                insert_before,
                range_length,
            } => (
                "PUT",
                json!({
                    "range_start": range_start,
                    "insert_before": insert_before,
                    "range_length": range_length,
                }),
            ),
        };
        let answer = self.call(Kind::Write, method, &path, Some(&body))?;
        Ok(answer["snapshot_id"].as_str().map(str::to_string))
    }
}

fn backoff(failures: u32) -> Duration {
    Duration::from_millis(250 * (1u64 << failures.min(5)))
}

/// The path without its query, which may hold a user's search words (never a secret, but
/// long and noisy in a message).
fn describe(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

fn api_message(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    parsed
        .as_ref()
        .and_then(|v| {
            v["error"]["message"]
                .as_str()
                .or_else(|| v["error_description"].as_str())
                .or_else(|| v["error"].as_str())
        })
        .map(str::to_string)
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// The app owner's Premium has lapsed: Spotify's 403 says an active premium subscription is
/// required, as plain text or inside JSON, so the whole body is read.
pub(crate) fn is_premium_lapse(body: &str) -> bool {
    let body = body.to_lowercase();
    body.contains("premium") && (body.contains("subscription") || body.contains("required"))
}

/// The message for a lapsed Premium, wherever Spotify said it (a call, the token endpoint).
pub(crate) fn premium_lapsed(said: &str) -> Error {
    Error::Spotify(format!(
        "Spotify refused because the Spotify account that owns this Client ID has no active \
         Premium subscription: apps in Development Mode only work while their owner has \
         Premium. Renew Premium on that account (or use a Client ID from an account that has \
         it), then try again; waiting or logging in again will not help. Nothing in your \
         library changed. (Spotify said: {})",
        said.trim()
    ))
}

fn is_not_allowlisted(message: &str) -> bool {
    let message = message.to_lowercase();
    message.contains("not be registered")
        || message.contains("not registered")
        || message.contains("developer.spotify.com/dashboard")
}

/// A track object to a candidate, leniently: only `uri` and `name` are required.
pub(crate) fn candidate_from(track: &Value) -> Option<Candidate> {
    let uri = track["uri"].as_str()?;
    if !uri.starts_with("spotify:track:") {
        return None;
    }
    Some(Candidate {
        uri: uri.to_string(),
        title: track["name"].as_str()?.to_string(),
        artists: track["artists"]
            .as_array()
            .map(|artists| {
                artists
                    .iter()
                    .filter_map(|a| a["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        album: track["album"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        duration_ms: track["duration_ms"].as_i64(),
        isrc: track["external_ids"]["isrc"].as_str().map(str::to_string),
    })
}

/// A playlist item, leniently: 2026 renamed `track` to `item`, so either is read; a local file
/// says `is_local`; an unavailable song has no object at all.
fn remote_item_from(item: &Value) -> RemoteItem {
    let track = if item["item"].is_object() {
        &item["item"]
    } else {
        &item["track"]
    };
    let uri = track["uri"].as_str().map(str::to_string);
    RemoteItem {
        local: item["is_local"].as_bool().unwrap_or(false)
            || uri
                .as_deref()
                .is_some_and(|u| u.starts_with("spotify:local:")),
        uri,
        title: track["name"].as_str().map(str::to_string),
        artists: track["artists"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["name"].as_str().map(str::to_string))
            .collect(),
    }
}

fn playlist_from(value: &Value) -> Option<RemotePlaylist> {
    let id = value["id"].as_str()?.to_string();
    let url = value["external_urls"]["spotify"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("https://open.spotify.com/playlist/{id}"));
    Some(RemotePlaylist {
        id,
        url,
        snapshot_id: value["snapshot_id"].as_str().map(str::to_string),
        description: value["description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_read_leniently() {
        let full = json!({
            "uri": "spotify:track:abc", "name": "Big Empty",
            "artists": [{"name": "Stone Temple Pilots"}],
            "album": {"name": "The Crow"}, "duration_ms": 294000,
            "external_ids": {"isrc": "USAT29400001"}
        });
        let candidate = candidate_from(&full).unwrap();
        assert_eq!(candidate.artists, vec!["Stone Temple Pilots"]);
        assert_eq!(candidate.isrc.as_deref(), Some("USAT29400001"));
        let bare = json!({"uri": "spotify:track:x", "name": "Bare"});
        assert_eq!(candidate_from(&bare).unwrap().album, "");
        assert!(candidate_from(&json!({"uri": "spotify:episode:x", "name": "Talk"})).is_none());
        assert!(candidate_from(&json!({"name": "no uri"})).is_none());
    }

    #[test]
    fn spotify_error_bodies_are_summarised() {
        assert_eq!(
            api_message(r#"{"error":{"status":404,"message":"Resource not found"}}"#),
            "Resource not found"
        );
        assert_eq!(
            api_message(r#"{"error":"invalid_grant","error_description":"Refresh token revoked"}"#),
            "Refresh token revoked"
        );
        assert!(is_not_allowlisted(
            "Check settings on developer.spotify.com/dashboard, the user may not be registered."
        ));
        assert!(!is_not_allowlisted("Forbidden"));
        // A lapsed Premium, as plain text or inside JSON; an ordinary 403 is not one.
        let said = "Active premium subscription required for the owner of the app.";
        assert!(is_premium_lapse(said));
        assert!(is_premium_lapse(
            &json!({"error": {"status": 403, "message": said}}).to_string()
        ));
        assert!(!is_premium_lapse("Forbidden"));
        let message = premium_lapsed(said).to_string();
        assert!(message.contains("Renew Premium"), "{message}");
        assert!(message.contains(said), "{message}");
    }

    #[test]
    fn playlist_items_are_read_whatever_they_hold() {
        let track = remote_item_from(&json!({
            "is_local": false,
            "item": {"uri": "spotify:track:abc", "name": "Would?", "artists": [{"name": "Alice in Chains"}]}
        }));
        assert_eq!(track.uri.as_deref(), Some("spotify:track:abc"));
        assert_eq!(track.sync_key(), "spotify:track:abc");
        assert!(!track.local);
        // Before 2026 the object was called `track`.
        let old = remote_item_from(&json!({"track": {"uri": "spotify:track:old", "name": "Old"}}));
        assert_eq!(old.uri.as_deref(), Some("spotify:track:old"));
        let local = remote_item_from(&json!({
            "is_local": true,
            "item": {"uri": "spotify:local:Band:Album:Demo:200", "id": null, "name": "Demo",
                     "artists": [{"name": "Band", "id": null}]}
        }));
        assert!(local.local);
        assert_eq!(local.title.as_deref(), Some("Demo"));
        assert!(!super::super::sync::removable_by_uri(&local.sync_key()));
        let gone = remote_item_from(&json!({"is_local": false, "item": null}));
        assert_eq!(gone.uri, None);
        assert_eq!(gone.sync_key(), super::super::sync::UNAVAILABLE);
    }
}
