//! The JSON shapes the Web API answers with: tracks, items, users, playlists and paging
//! objects, plus the helpers that read a request body.

use super::*;

impl World {
    pub(super) fn track_json(&self, base: &str, track: &FakeTrack) -> Value {
        let album = self.albums.get(&track.album);
        let album_id = album.map_or_else(|| base62_id(&["album", &track.album]), |a| a.id.clone());
        let album_artists: Vec<Value> = album
            .map_or(&track.artists, |a| &a.artists)
            .iter()
            .map(|name| artist_json(base, name))
            .collect();
        let track_number = self
            .catalogue
            .iter()
            .filter(|t| t.album == track.album)
            .position(|t| t.id == track.id)
            .map_or(1, |p| p + 1);
        let external_ids = match &track.isrc {
            Some(isrc) => json!({"isrc": isrc}),
            None => json!({}),
        };
        json!({
            "id": track.id,
            "uri": track.uri(),
            "name": track.name,
            "type": "track",
            "artists": track.artists.iter().map(|a| artist_json(base, a)).collect::<Vec<_>>(),
            "album": {
                "id": album_id,
                "name": track.album,
                "uri": format!("spotify:album:{album_id}"),
                "album_type": album.map_or("album", |a| a.album_type),
                "artists": album_artists,
                "release_date": album.map_or("2000", |a| a.release_date.as_str()),
                "release_date_precision": "year",
                "images": [],
                "type": "album",
                "href": format!("{base}/v1/albums/{album_id}"),
                "external_urls": {"spotify": format!("https://open.spotify.com/album/{album_id}")},
            },
            "duration_ms": track.duration_ms,
            "explicit": false,
            "external_ids": external_ids,
            "external_urls": {"spotify": format!("https://open.spotify.com/track/{}", track.id)},
            "href": format!("{base}/v1/tracks/{}", track.id),
            "is_local": false,
            "track_number": track_number,
            "disc_number": 1,
        })
    }

    pub(super) fn item_json(&self, base: &str, item: &Item) -> Value {
        // A URI not in the catalogue reads back as an unavailable item: `"item": null`.
        let track = self
            .track_by_uri(&item.uri)
            .map_or(Value::Null, |t| self.track_json(base, t));
        if let Some(file) = &item.local {
            return json!({
                "added_at": item.added_at,
                "added_by": user_json(base),
                "is_local": true,
                "item": local_track_json(&item.uri, file),
            });
        }
        json!({
            "added_at": item.added_at,
            "added_by": user_json(base),
            "is_local": false,
            "item": track,
        })
    }
}

/// A local file as Spotify describes it: a track object with no ids, links or ISRC.
fn local_track_json(uri: &str, file: &LocalFile) -> Value {
    json!({
        "id": null,
        "uri": uri,
        "name": file.title,
        "type": "track",
        "is_local": true,
        "artists": [{"id": null, "uri": null, "href": null, "name": file.artist,
                     "type": "artist", "external_urls": {}}],
        "album": {"id": null, "uri": null, "href": null, "name": file.album, "type": "album",
                  "album_type": null, "artists": [], "images": [], "release_date": null,
                  "release_date_precision": null, "external_urls": {}},
        "duration_ms": file.seconds * 1000,
        "explicit": false,
        "external_ids": {},
        "external_urls": {},
        "href": null,
        "disc_number": 0,
        "track_number": 0,
    })
}

/// The user as Spotify shows them beside an item they added; an owner also has a name, and
/// `/me` says more.
pub(super) fn user_json(base: &str) -> Value {
    json!({
        "id": USER_ID,
        "type": "user",
        "uri": format!("spotify:user:{USER_ID}"),
        "href": format!("{base}/v1/users/{USER_ID}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{USER_ID}")},
    })
}

pub(super) fn owner_json(base: &str) -> Value {
    let mut owner = user_json(base);
    owner["display_name"] = json!(USER_NAME);
    owner
}

pub(super) fn me_json(base: &str) -> Reply {
    let mut me = owner_json(base);
    me["product"] = json!("premium");
    Reply::json(200, &me)
}

pub(super) fn artist_json(base: &str, name: &str) -> Value {
    let id = base62_id(&["artist", name]);
    json!({
        "id": id,
        "name": name,
        "uri": format!("spotify:artist:{id}"),
        "type": "artist",
        "href": format!("{base}/v1/artists/{id}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/artist/{id}")},
    })
}

/// A playlist object; `items` is the paging object of a single-playlist read, or `None` for the
/// `{href, total}` summary that creation and listing answer with.
pub(super) fn playlist_json(base: &str, playlist: &Playlist, items: Option<Value>) -> Value {
    let id = &playlist.id;
    let items = items.unwrap_or_else(|| {
        json!({"href": format!("{base}/v1/playlists/{id}/items"), "total": playlist.items.len()})
    });
    let description = if playlist.description.is_empty() {
        Value::Null
    } else {
        Value::String(playlist.description.clone())
    };
    json!({
        "id": id,
        "name": playlist.name,
        "description": description,
        "public": playlist.public,
        "collaborative": playlist.collaborative,
        "snapshot_id": playlist.snapshot_id,
        "uri": format!("spotify:playlist:{id}"),
        "href": format!("{base}/v1/playlists/{id}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{id}")},
        "images": [],
        "primary_color": null,
        "owner": owner_json(base),
        "items": items,
        "type": "playlist",
    })
}

/// A paging object. `href_base` ends in `?` or `&`, ready for `offset=…&limit=…`.
pub(super) fn page(
    href_base: &str,
    items: Vec<Value>,
    total: usize,
    limit: usize,
    offset: usize,
) -> Value {
    let href = |offset: usize| format!("{href_base}offset={offset}&limit={limit}");
    let next = (offset + limit < total).then(|| href(offset + limit));
    let previous = (offset > 0).then(|| href(offset.saturating_sub(limit)));
    json!({
        "href": href(offset),
        "items": items,
        "limit": limit,
        "next": next,
        "offset": offset,
        "previous": previous,
        "total": total,
    })
}

pub(super) fn not_found() -> Reply {
    Reply::error(404, "Resource not found")
}

/// `limit` (1..=max, `default` when absent) and `offset` (0 when absent) of a paged read.
pub(super) fn paging_params(
    params: &Params,
    default: usize,
    max: usize,
) -> Result<(usize, usize), Reply> {
    let limit = match param(params, "limit") {
        None => default,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=max).contains(l))
            .ok_or_else(|| Reply::error(400, "Invalid limit"))?,
    };
    let offset = match param(params, "offset") {
        None => 0,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| Reply::error(400, "Invalid offset"))?,
    };
    Ok((limit, offset))
}

pub(super) fn json_object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Reply::error(400, "Error parsing JSON.")),
    }
}

pub(super) fn optional_string(
    body: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Reply::error(400, &format!("{key} must be a string"))),
    }
}

pub(super) fn optional_bool(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Reply::error(400, &format!("{key} must be a boolean"))),
    }
}
