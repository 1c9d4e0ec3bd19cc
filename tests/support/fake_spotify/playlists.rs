//! Playlists and their items: the user's list, creation, details, following, and every write to
//! the items, with Spotify's limits and refusals. Spotify has no delete: "deleting" a playlist in
//! its apps unfollows it, and it stays readable and writable by id; only the user's list and the
//! followers check show the difference.

use super::*;

/// Spotify keeps at most this many characters of a description and refuses longer ones.
pub(super) const MAX_DESCRIPTION_CHARS: usize = 300;

pub(super) struct Item {
    pub(super) uri: String,
    pub(super) added_at: String,
    /// A file from the user's own computer, added in Spotify's desktop app: it reads back with
    /// `is_local` and a `spotify:local:` URI, which no write accepts.
    pub(super) local: Option<LocalFile>,
}

#[derive(Clone)]
pub(super) struct LocalFile {
    pub(super) title: String,
    pub(super) artist: String,
    pub(super) album: String,
    pub(super) seconds: u64,
}

impl LocalFile {
    /// `spotify:local:<artist>:<album>:<title>:<seconds>`, each part form-encoded as Spotify does.
    pub(super) fn uri(&self) -> String {
        let part =
            |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
        format!(
            "spotify:local:{}:{}:{}:{}",
            part(&self.artist),
            part(&self.album),
            part(&self.title),
            self.seconds
        )
    }
}

impl Item {
    /// The items one write adds: Spotify stamps them all with the write's time.
    pub(super) fn added_now(uris: Vec<String>) -> Vec<Item> {
        let added_at = iso_now();
        uris.into_iter()
            .map(|uri| Item {
                uri,
                added_at: added_at.clone(),
                local: None,
            })
            .collect()
    }

    pub(super) fn local_now(file: LocalFile) -> Item {
        Item {
            uri: file.uri(),
            added_at: iso_now(),
            local: Some(file),
        }
    }
}

pub(super) struct Playlist {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) public: bool,
    pub(super) collaborative: bool,
    pub(super) items: Vec<Item>,
    pub(super) snapshot_id: String,
    /// Every snapshot this playlist ever had: Spotify accepts any of them in a write.
    pub(super) snapshots: HashSet<String>,
    /// Whether the user still follows it: their own playlists are followed until they
    /// "delete" (unfollow) them in Spotify.
    pub(super) followed: bool,
}

impl Playlist {
    pub(super) fn new_snapshot(&mut self) {
        self.snapshot_id = fresh_secret("AAAA", 28);
        self.snapshots.insert(self.snapshot_id.clone());
    }

    /// Ends a write to the items: a new snapshot, which the answer carries.
    pub(super) fn written(&mut self, status: u16) -> Reply {
        self.new_snapshot();
        Reply::json(status, &json!({"snapshot_id": self.snapshot_id}))
    }

    pub(super) fn to_fake(&self) -> FakePlaylist {
        FakePlaylist {
            id: self.id.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            public: self.public,
            owner: USER_ID.into(),
            uris: self.items.iter().map(|i| i.uri.clone()).collect(),
            snapshot_id: self.snapshot_id.clone(),
            followed: self.followed,
        }
    }
}

impl World {
    pub(super) fn list_playlists(&self, base: &str, params: &Params) -> Result<Reply, Reply> {
        let (limit, offset) = paging_params(params, 20, 50)?;
        // The user's library: what they follow, newest first. An unfollowed playlist is gone
        // from here, though it still answers by id.
        let owned: Vec<&Playlist> = self.playlists.iter().rev().filter(|p| p.followed).collect();
        let items = owned
            .iter()
            .skip(offset)
            .take(limit)
            .map(|p| playlist_json(base, p, None))
            .collect();
        let href_base = format!("{base}/v1/me/playlists?");
        Ok(Reply::json(
            200,
            &page(&href_base, items, owned.len(), limit, offset),
        ))
    }

    pub(super) fn create_playlist(&mut self, base: &str, body: &[u8]) -> Result<Reply, Reply> {
        let body = json_object(body)?;
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Reply::error(400, "Missing required field: name"))?;
        let description = optional_string(&body, "description")?.unwrap_or_default();
        check_description(&description)?;
        let public = optional_bool(&body, "public")?.unwrap_or(true);
        let collaborative = optional_bool(&body, "collaborative")?.unwrap_or(false);
        if public && collaborative {
            return Err(Reply::error(
                400,
                "Collaborative playlists can only be private.",
            ));
        }
        let mut playlist = Playlist {
            id: fresh_base62(),
            name: name.to_owned(),
            description,
            public,
            collaborative,
            items: Vec::new(),
            snapshot_id: String::new(),
            snapshots: HashSet::new(),
            followed: true,
        };
        playlist.new_snapshot();
        let answer = playlist_json(base, &playlist, None);
        self.playlists.push(playlist);
        Ok(Reply::json(201, &answer))
    }

    pub(super) fn get_playlist(&self, base: &str, id: &str) -> Result<Reply, Reply> {
        let playlist = self.playlist(id).ok_or_else(not_found)?;
        let first: Vec<Value> = playlist
            .items
            .iter()
            .take(100)
            .map(|item| self.item_json(base, item))
            .collect();
        let href_base = format!("{base}/v1/playlists/{id}/items?");
        let items = page(&href_base, first, playlist.items.len(), 100, 0);
        Ok(Reply::json(
            200,
            &playlist_json(base, playlist, Some(items)),
        ))
    }

    pub(super) fn change_details(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        let body = json_object(body)?;
        let name = optional_string(&body, "name")?;
        let description = optional_string(&body, "description")?;
        let public = optional_bool(&body, "public")?;
        let collaborative = optional_bool(&body, "collaborative")?;
        if let Some(description) = &description {
            check_description(description)?;
        }
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        if let Some(name) = name {
            if name.trim().is_empty() {
                return Err(Reply::error(400, "Playlist name must not be empty"));
            }
            playlist.name = name;
        }
        if let Some(description) = description {
            playlist.description = description;
        }
        if let Some(public) = public {
            playlist.public = public;
        }
        if let Some(collaborative) = collaborative {
            playlist.collaborative = collaborative;
        }
        playlist.new_snapshot();
        Ok(Reply::empty(200))
    }

    /// `GET …/followers/contains[?ids=<user>]`: one boolean per id asked about, or for the
    /// current user when none is named (Spotify has made `ids` optional).
    pub(super) fn follows(&self, id: &str, params: &Params) -> Result<Reply, Reply> {
        let playlist = self.playlist(id).ok_or_else(not_found)?;
        let answers: Vec<bool> = match param(params, "ids").filter(|ids| !ids.is_empty()) {
            None => vec![playlist.followed],
            Some(ids) => ids
                .split(',')
                .map(|user| user.trim() == USER_ID && playlist.followed)
                .collect(),
        };
        Ok(Reply::json(200, &json!(answers)))
    }

    /// `PUT …/followers` (follow again, optionally `{"public": bool}`) or `DELETE …/followers`
    /// (what "delete" in Spotify's apps does).
    pub(super) fn set_followed(
        &mut self,
        id: &str,
        follow: bool,
        body: &[u8],
    ) -> Result<Reply, Reply> {
        if follow && !body.iter().all(u8::is_ascii_whitespace) {
            let body = json_object(body)?;
            optional_bool(&body, "public")?;
        }
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        playlist.followed = follow;
        Ok(Reply::empty(200))
    }

    pub(super) fn list_items(&self, base: &str, id: &str, params: &Params) -> Result<Reply, Reply> {
        let playlist = self.playlist(id).ok_or_else(not_found)?;
        let (limit, offset) = paging_params(params, 20, 50)?;
        let items = playlist
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .map(|item| self.item_json(base, item))
            .collect();
        let href_base = format!("{base}/v1/playlists/{id}/items?");
        Ok(Reply::json(
            200,
            &page(&href_base, items, playlist.items.len(), limit, offset),
        ))
    }

    /// The URIs of a write, checked: at most 100, each a track of the catalogue.
    pub(super) fn checked_uris(&self, value: Option<&Value>) -> Result<Vec<String>, Reply> {
        let Some(list) = value.and_then(Value::as_array) else {
            return Err(Reply::error(400, "Missing required field: uris"));
        };
        if list.len() > MAX_URIS_PER_REQUEST {
            return Err(Reply::error(
                400,
                "You can add a maximum of 100 tracks per request.",
            ));
        }
        list.iter()
            .map(|uri| match uri.as_str() {
                Some(uri) if self.track_by_uri(uri).is_some() => Ok(uri.to_owned()),
                Some(uri) => Err(Reply::error(400, &format!("Invalid track uri: {uri}"))),
                None => Err(Reply::error(400, "Invalid track uri")),
            })
            .collect()
    }

    pub(super) fn add_items(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        let uris = self.checked_uris(body.get("uris"))?;
        if uris.is_empty() {
            return Err(Reply::error(400, "No uris provided"));
        }
        let position = match body.get("position") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| Reply::error(400, "Invalid position"))?,
            ),
        };
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        if playlist.items.len() + uris.len() > MAX_PLAYLIST_ITEMS {
            return Err(Reply::error(400, "Playlist size limit reached"));
        }
        let at = match position {
            None => playlist.items.len(),
            Some(p) => usize::try_from(p)
                .ok()
                .filter(|p| *p <= playlist.items.len())
                .ok_or_else(|| Reply::error(400, "Index out of bounds"))?,
        };
        playlist.items.splice(at..at, Item::added_now(uris));
        Ok(playlist.written(201))
    }

    pub(super) fn replace_or_reorder(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        if body.contains_key("uris") {
            let uris = self.checked_uris(body.get("uris"))?;
            let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
            playlist.items = Item::added_now(uris);
            return Ok(playlist.written(200));
        }
        let index = |key: &str, default: Option<u64>| -> Result<usize, Reply> {
            match body.get(key) {
                None | Some(Value::Null) => default,
                Some(v) => v.as_u64(),
            }
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| Reply::error(400, &format!("Missing or invalid field: {key}")))
        };
        let range_start = index("range_start", None)?;
        let insert_before = index("insert_before", None)?;
        let range_length = index("range_length", Some(1))?;
        let snapshot = optional_string(&body, "snapshot_id")?;
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        check_snapshot(playlist, snapshot.as_deref())?;
        let len = playlist.items.len();
        if range_length == 0 || range_start + range_length > len || insert_before > len {
            return Err(Reply::error(400, "Index out of bounds"));
        }
        // The indices name places in the list before the move. Moving a range before one of
        // its own items, or right after itself, leaves the order as it was.
        let range_end = range_start + range_length;
        if insert_before < range_start || insert_before > range_end {
            let moved: Vec<Item> = playlist.items.drain(range_start..range_end).collect();
            let at = if insert_before < range_start {
                insert_before
            } else {
                insert_before - range_length
            };
            playlist.items.splice(at..at, moved);
        }
        Ok(playlist.written(200))
    }

    pub(super) fn remove_items(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        self.playlist(id).ok_or_else(not_found)?;
        let body = json_object(body)?;
        let Some(list) = body.get("items").and_then(Value::as_array) else {
            // Also what a body still using the pre-2026 key `tracks` gets.
            return Err(Reply::error(400, "Missing required field: items"));
        };
        if list.is_empty() {
            return Err(Reply::error(400, "No uris provided"));
        }
        if list.len() > MAX_URIS_PER_REQUEST {
            return Err(Reply::error(
                400,
                "You can remove a maximum of 100 tracks per request.",
            ));
        }
        let mut doomed = HashSet::new();
        for entry in list {
            match entry.get("uri").and_then(Value::as_str) {
                Some(uri) if is_track_uri(uri) => {
                    doomed.insert(uri.to_owned());
                }
                Some(uri) => return Err(Reply::error(400, &format!("Invalid track uri: {uri}"))),
                None => return Err(Reply::error(400, "Each item needs a uri")),
            }
        }
        let snapshot = optional_string(&body, "snapshot_id")?;
        let playlist = self.playlist_mut(id).ok_or_else(not_found)?;
        check_snapshot(playlist, snapshot.as_deref())?;
        playlist.items.retain(|item| !doomed.contains(&item.uri));
        Ok(playlist.written(200))
    }

    // -- JSON shapes ---------------------------------------------------------------------------
}

/// What Spotify has answered descriptions with, as other clients met it: a line break made
/// creation fail with 500 (and nothing was created), and one past 300 characters is refused.
pub(super) fn check_description(description: &str) -> Result<(), Reply> {
    if description.contains(['\n', '\r']) {
        return Err(Reply::error(500, "Server error"));
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Reply::error(400, "Description is too long"));
    }
    Ok(())
}

/// A write may name the snapshot it was computed against; it must be one this playlist had.
pub(super) fn check_snapshot(playlist: &Playlist, snapshot: Option<&str>) -> Result<(), Reply> {
    match snapshot {
        Some(s) if !playlist.snapshots.contains(s) => Err(Reply::error(400, "Invalid snapshot id")),
        _ => Ok(()),
    }
}

pub(super) fn is_track_uri(uri: &str) -> bool {
    uri.strip_prefix("spotify:track:")
        .is_some_and(|id| id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
}
