//! What the fake knows: the catalogue, tokens and playlists, the helpers every endpoint reads
//! its parameters with, and the routing of a Web API request to its endpoint.

use super::*;

// ---------------------------------------------------------------------------------------------
// The world: catalogue, tokens, playlists

pub(super) struct AuthCode {
    pub(super) challenge: String,
    pub(super) client_id: String,
    pub(super) redirect_uri: String,
    pub(super) scope: String,
    pub(super) used: bool,
}

pub(super) struct AccessToken {
    pub(super) issued: Instant,
    pub(super) expired: bool,
}

pub(super) struct RefreshToken {
    /// The client the token was granted to; `None` (tokens from `issue_tokens`) accepts any.
    pub(super) client_id: Option<String>,
    pub(super) scope: String,
}

pub(super) struct AlbumInfo {
    pub(super) id: String,
    pub(super) album_type: &'static str,
    pub(super) artists: Vec<String>,
    pub(super) release_date: String,
}

pub(super) struct World {
    pub(super) catalogue: Vec<FakeTrack>,
    /// Track id → position in `catalogue`.
    pub(super) index: HashMap<String, usize>,
    /// Release year of albums whose year is known (the seeded ones).
    pub(super) years: HashMap<String, String>,
    pub(super) albums: HashMap<String, AlbumInfo>,
    pub(super) codes: HashMap<String, AuthCode>,
    pub(super) access: HashMap<String, AccessToken>,
    pub(super) refresh: HashMap<String, RefreshToken>,
    pub(super) playlists: Vec<Playlist>,
}

/// One Web API request as the routing reads it, with the switch that changes what search finds.
pub(super) struct ApiRequest<'a> {
    pub(super) method: &'a str,
    pub(super) path: &'a str,
    pub(super) params: &'a Params,
    pub(super) authorization: Option<&'a str>,
    pub(super) body: &'a [u8],
    pub(super) quoted_filters_find_nothing: bool,
}

/// A parsed query string or form body, in order (names may repeat).
pub(super) type Params = Vec<(String, String)>;

pub(super) fn parse_form(bytes: &[u8]) -> Params {
    form_urlencoded::parse(bytes).into_owned().collect()
}

pub(super) fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Percent-encodes a query value. Spaces become `%20`, not `+`, so that clients which only
/// percent-decode read the same value as those that decode forms.
pub(super) fn encode(value: &str) -> String {
    let form: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    // byte_serialize writes a literal `+` as `%2B`, so every `+` left stands for a space.
    form.replace('+', "%20")
}

impl World {
    pub(super) fn seeded() -> World {
        let (catalogue, years) = seed_catalogue();
        let mut world = World {
            catalogue: Vec::new(),
            index: HashMap::new(),
            years,
            albums: HashMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            playlists: Vec::new(),
        };
        for track in catalogue {
            world.push_track(track);
        }
        world.rebuild_albums();
        world
    }

    pub(super) fn push_track(&mut self, track: FakeTrack) {
        if let Some(&at) = self.index.get(&track.id) {
            self.catalogue[at] = track;
        } else {
            self.index.insert(track.id.clone(), self.catalogue.len());
            self.catalogue.push(track);
        }
    }

    pub(super) fn add_track(&mut self, track: FakeTrack) {
        self.push_track(track);
        self.rebuild_albums();
    }

    /// Album objects follow from the tracks: one main artist → an "album" by them; several →
    /// a "compilation" by Various Artists (which is what most soundtracks are).
    pub(super) fn rebuild_albums(&mut self) {
        let mut order: Vec<&str> = Vec::new();
        let mut artists: HashMap<&str, Vec<&str>> = HashMap::new();
        for track in &self.catalogue {
            let main = track.artists.first().map_or("", String::as_str);
            let seen = artists.entry(track.album.as_str()).or_insert_with(|| {
                order.push(track.album.as_str());
                Vec::new()
            });
            if !seen.contains(&main) {
                seen.push(main);
            }
        }
        let mut albums = HashMap::new();
        for album in order {
            let (album_type, album_artists) = match artists[album].as_slice() {
                [only] => ("album", vec![(*only).to_owned()]),
                _ => ("compilation", vec!["Various Artists".to_owned()]),
            };
            albums.insert(
                album.to_owned(),
                AlbumInfo {
                    id: base62_id(&["album", album]),
                    album_type,
                    artists: album_artists,
                    // Tracks added by tests have no known year; any fixed one keeps answers
                    // stable.
                    release_date: self
                        .years
                        .get(album)
                        .cloned()
                        .unwrap_or_else(|| "2000".into()),
                },
            );
        }
        self.albums = albums;
    }

    pub(super) fn mint_access(&mut self) -> String {
        let token = fresh_secret("BQ", 120);
        self.access.insert(
            token.clone(),
            AccessToken {
                issued: Instant::now(),
                expired: false,
            },
        );
        token
    }

    pub(super) fn mint_refresh(&mut self, client_id: Option<String>, scope: &str) -> String {
        let token = fresh_secret("AQ", 128);
        self.refresh.insert(
            token.clone(),
            RefreshToken {
                client_id,
                scope: scope.to_owned(),
            },
        );
        token
    }

    pub(super) fn playlist(&self, id: &str) -> Option<&Playlist> {
        self.playlists.iter().find(|p| p.id == id)
    }

    pub(super) fn playlist_mut(&mut self, id: &str) -> Option<&mut Playlist> {
        self.playlists.iter_mut().find(|p| p.id == id)
    }

    pub(super) fn track_by_uri(&self, uri: &str) -> Option<&FakeTrack> {
        let id = uri.strip_prefix("spotify:track:")?;
        self.index.get(id).map(|&at| &self.catalogue[at])
    }

    // -- accounts ------------------------------------------------------------------------------
}

impl World {
    pub(super) fn api(&mut self, base: &str, request: ApiRequest<'_>) -> Reply {
        let ApiRequest {
            method,
            path,
            params,
            authorization,
            body,
            quoted_filters_find_nothing,
        } = request;
        if let Err(reply) = self.check_token(authorization) {
            return reply;
        }
        let rest = path.strip_prefix("/v1").unwrap_or(path);
        let segments: Vec<&str> = rest.strip_prefix('/').unwrap_or(rest).split('/').collect();
        let result = match (method, segments.as_slice()) {
            ("GET", ["me"]) => Ok(me_json(base)),
            ("GET", ["me", "playlists"]) => self.list_playlists(base, params),
            ("POST", ["me", "playlists"]) => self.create_playlist(base, body),
            ("GET", ["search"]) => self.search(base, params, quoted_filters_find_nothing),
            // Several tracks at once was removed in 2026.
            ("GET", ["tracks"]) => Err(Reply::error(403, "Forbidden")),
            ("GET", ["tracks", id]) => self.get_track(base, id),
            (_, ["playlists", _, "tracks"]) => Err(Reply::error(403, "Forbidden")),
            ("GET" | "POST", ["users", _, "playlists"]) => Err(Reply::error(403, "Forbidden")),
            ("GET", ["playlists", id]) => self.get_playlist(base, id),
            ("PUT", ["playlists", id]) => self.change_details(id, body),
            ("GET", ["playlists", id, "items"]) => self.list_items(base, id, params),
            ("POST", ["playlists", id, "items"]) => self.add_items(id, body),
            ("PUT", ["playlists", id, "items"]) => self.replace_or_reorder(id, body),
            ("DELETE", ["playlists", id, "items"]) => self.remove_items(id, body),
            ("GET", ["playlists", id, "followers", "contains"]) => self.follows(id, params),
            ("PUT", ["playlists", id, "followers"]) => self.set_followed(id, true, body),
            ("DELETE", ["playlists", id, "followers"]) => self.set_followed(id, false, body),
            (
                _,
                ["me"]
                | ["me", "playlists"]
                | ["search"]
                | ["tracks"]
                | ["tracks", _]
                | ["playlists", _]
                | ["playlists", _, "items"]
                | ["playlists", _, "followers"]
                | ["playlists", _, "followers", "contains"]
                | ["users", _, "playlists"],
            ) => Err(Reply::error(405, "Method not allowed")),
            _ => Err(Reply::error(404, "Service not found")),
        };
        result.unwrap_or_else(|reply| reply)
    }
}
