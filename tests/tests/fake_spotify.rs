//! Tests of the fake Spotify itself (tests/support/fake_spotify/), over real HTTP with a
//! blocking client: login and tokens, search, playlists, the removed 2026 endpoints, faults and
//! the request log. They check the fake behaves as Spotify does, so other tests can trust it.
//! They must not test the app: nothing here runs `cuesheet`.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cuesheet_tests::fake_spotify::{AppItem, FakeSpotify, FakeTrack, PremiumLapse};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CLIENT_ID: &str = "test-client";
const REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";

/// One answer, whatever its status.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn message(&self) -> String {
        self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// A client that neither follows redirects (the login tests read them) nor reuses connections
/// (so a dropped connection is seen by exactly the request it was meant for).
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .max_idle_connections(0)
        .timeout(timeout)
        .build()
}

fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Answer, String> {
    let mut request = agent.request(method, url);
    for (name, value) in headers {
        request = request.set(name, value);
    }
    let result = match body {
        Some(body) => request.send_string(body),
        None => request.call(),
    };
    let response = match result {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(ureq::Error::Transport(transport)) => return Err(transport.to_string()),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .map(|name| {
            let value = response.header(&name).unwrap_or_default().to_owned();
            (name, value)
        })
        .collect();
    let body = response.into_string().expect("a readable body");
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// A Web API call with a token; `path` starts after `/v1`.
fn try_api(
    fake: &FakeSpotify,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Answer, String> {
    let auth = format!("Bearer {token}");
    let body = body.map(|b| b.to_string());
    let mut headers = vec![("Authorization", auth.as_str())];
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    send(
        &agent(Duration::from_secs(10)),
        method,
        &format!("{}{path}", fake.api_url()),
        &headers,
        body.as_deref(),
    )
}

fn api(fake: &FakeSpotify, token: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
    try_api(fake, token, method, path, body)
        .unwrap_or_else(|e| panic!("{method} {path} got no answer: {e}"))
}

/// A call on a playlist's items, where every write to a playlist goes.
fn items(fake: &FakeSpotify, token: &str, method: &str, id: &str, body: Option<Value>) -> Answer {
    api(fake, token, method, &format!("/playlists/{id}/items"), body)
}

fn token_request(fake: &FakeSpotify, form: &[(&str, &str)]) -> Answer {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    send(
        &agent(Duration::from_secs(10)),
        "POST",
        &format!("{}/api/token", fake.accounts_url()),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(&body),
    )
    .expect("the token endpoint answers")
}

fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `/authorize` with a correct request, where `overrides` replace (or, with "", remove) fields.
fn authorize(fake: &FakeSpotify, challenge: &str, overrides: &[(&str, &str)]) -> Answer {
    let mut fields = vec![
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("code_challenge_method", "S256"),
        ("code_challenge", challenge),
        ("state", "st ate/1"),
        ("scope", "playlist-modify-private playlist-modify-public"),
    ];
    for (name, value) in overrides {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            fields.push((name, value));
        }
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&fields)
        .finish();
    send(
        &agent(Duration::from_secs(10)),
        "GET",
        &format!("{}/authorize?{query}", fake.accounts_url()),
        &[],
        None,
    )
    .expect("/authorize answers")
}

/// The redirect's target and its query fields.
fn redirect_of(answer: &Answer) -> (String, Vec<(String, String)>) {
    assert_eq!(answer.status, 303, "{answer:?}");
    let location = answer.header("location").expect("a Location header");
    let (target, query) = location.split_once('?').expect("a query in the Location");
    let fields = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    (target.to_owned(), fields)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Logs in the browser way and returns the code the redirect carried.
fn code_for(fake: &FakeSpotify, verifier: &str) -> String {
    let (_, fields) = redirect_of(&authorize(fake, &challenge_of(verifier), &[]));
    field(&fields, "code").expect("a code").to_owned()
}

fn exchange(fake: &FakeSpotify, code: &str, verifier: &str) -> Answer {
    token_request(
        fake,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ],
    )
}

fn originals(fake: &FakeSpotify) -> Vec<FakeTrack> {
    fake.catalogue().into_iter().filter(|t| !t.decoy).collect()
}

fn create_playlist(fake: &FakeSpotify, token: &str, name: &str) -> Value {
    let created = api(
        fake,
        token,
        "POST",
        "/me/playlists",
        Some(json!({"name": name, "description": "made by a test", "public": false})),
    );
    assert_eq!(created.status, 201, "{created:?}");
    created.json()
}

const VERIFIER: &str = "a-verifier-of-sixty-four-characters-0123456789abcdefghijklmnopqr";

#[test]
fn pkce_login_gives_tokens_for_the_right_verifier_once() {
    let fake = FakeSpotify::start();
    let (target, fields) = redirect_of(&authorize(&fake, &challenge_of(VERIFIER), &[]));
    assert_eq!(target, REDIRECT_URI);
    assert_eq!(field(&fields, "state"), Some("st ate/1"), "state echoed");
    let code = field(&fields, "code").expect("a code").to_owned();

    let tokens = exchange(&fake, &code, VERIFIER);
    assert_eq!(tokens.status, 200, "{tokens:?}");
    let tokens = tokens.json();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(
        tokens["scope"],
        "playlist-modify-private playlist-modify-public"
    );
    assert!(tokens["refresh_token"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let access = tokens["access_token"].as_str().unwrap();
    let me = api(&fake, access, "GET", "/me", None);
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["id"], "fan");
    assert_eq!(me.json()["product"], "premium");

    let again = exchange(&fake, &code, VERIFIER);
    assert_eq!(again.status, 400, "a code is single use");
    assert_eq!(again.json()["error"], "invalid_grant");

    let other_code = code_for(&fake, VERIFIER);
    let wrong = exchange(&fake, &other_code, &VERIFIER.replace('a', "b"));
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    assert!(wrong.json()["error_description"].as_str().is_some());

    let third_code = code_for(&fake, VERIFIER);
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", third_code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9999/elsewhere"),
        ("client_id", CLIENT_ID),
        ("code_verifier", VERIFIER),
    ];
    assert_eq!(
        token_request(&fake, &form).json()["error"],
        "invalid_grant",
        "the redirect URI must match"
    );
    let fourth_code = code_for(&fake, VERIFIER);
    form[1].1 = &fourth_code;
    form[2].1 = REDIRECT_URI;
    form[3].1 = "another-client";
    assert_eq!(
        token_request(&fake, &form).json()["error"],
        "invalid_grant",
        "the client id must match"
    );
}

#[test]
fn authorize_refuses_what_spotify_refuses() {
    let fake = FakeSpotify::start();
    let challenge = challenge_of(VERIFIER);
    for (overrides, why) in [
        (
            vec![("redirect_uri", "http://localhost:8888/callback")],
            "localhost",
        ),
        (vec![("code_challenge_method", "plain")], "plain PKCE"),
        (vec![("code_challenge", "")], "no challenge"),
        (vec![("response_type", "token")], "implicit grant"),
    ] {
        let answer = authorize(&fake, &challenge, &overrides);
        assert_eq!(answer.status, 400, "{why}: {answer:?}");
        assert!(!answer.body.is_empty(), "{why}: says why");
        assert!(answer.header("location").is_none(), "{why}: no redirect");
    }

    fake.faults().deny_login = true;
    let (target, fields) = redirect_of(&authorize(&fake, &challenge, &[]));
    assert_eq!(target, REDIRECT_URI);
    assert_eq!(field(&fields, "error"), Some("access_denied"));
    assert_eq!(field(&fields, "state"), Some("st ate/1"));
    assert_eq!(field(&fields, "code"), None);
}

#[test]
fn refresh_gives_new_access_tokens_until_revoked() {
    let fake = FakeSpotify::start();
    let issued = fake.issue_tokens();
    assert_eq!(issued.expires_in, 3600);
    let refresh = || {
        token_request(
            &fake,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &issued.refresh_token),
                ("client_id", CLIENT_ID),
            ],
        )
    };
    let refreshed = refresh();
    assert_eq!(refreshed.status, 200, "{refreshed:?}");
    let refreshed = refreshed.json();
    let access = refreshed["access_token"].as_str().unwrap();
    assert_ne!(access, issued.access_token);
    assert!(
        refreshed.get("refresh_token").is_none(),
        "like Spotify, the refresh answer leaves refresh_token out"
    );
    assert_eq!(api(&fake, access, "GET", "/me", None).status, 200);
    assert_eq!(refresh().status, 200, "the old refresh token still works");

    fake.revoke_refresh_tokens();
    let revoked = refresh();
    assert_eq!(revoked.status, 400);
    assert_eq!(revoked.json()["error"], "invalid_grant");
    assert_eq!(revoked.json()["error_description"], "Refresh token revoked");
}

#[test]
fn expired_or_missing_access_tokens_answer_401() {
    let fake = FakeSpotify::start();
    let issued = fake.issue_tokens();
    assert_eq!(
        api(&fake, &issued.access_token, "GET", "/me", None).status,
        200
    );
    let none = send(
        &agent(Duration::from_secs(5)),
        "GET",
        &format!("{}/me", fake.api_url()),
        &[],
        None,
    )
    .unwrap();
    assert_eq!(none.status, 401);
    assert_eq!(api(&fake, "made-up", "GET", "/me", None).status, 401);

    fake.expire_access_tokens();
    let expired = api(&fake, &issued.access_token, "GET", "/me", None);
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json()["error"]["status"], 401);
    assert_eq!(expired.message(), "The access token expired");

    let fresh = fake.issue_tokens();
    assert_eq!(
        api(&fake, &fresh.access_token, "GET", "/me", None).status,
        200
    );
}

fn search(fake: &FakeSpotify, token: &str, q: &str, extra: &str) -> Answer {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    api(
        fake,
        token,
        "GET",
        &format!("/search?q={q}&type=track{extra}"),
        None,
    )
}

fn names_and_artists(answer: &Answer) -> Vec<(String, String)> {
    answer.json()["tracks"]["items"]
        .as_array()
        .expect("tracks.items")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["artists"][0]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn search_caps_the_limit_at_ten() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    for limit in ["11", "0", "ten"] {
        let answer = search(&fake, &token, "love", &format!("&limit={limit}"));
        assert_eq!(answer.status, 400, "limit={limit}");
        assert_eq!(answer.message(), "Invalid limit");
    }
    let ten = search(&fake, &token, "a", "&limit=10");
    assert_eq!(ten.status, 200);
    assert_eq!(ten.json()["tracks"]["items"].as_array().unwrap().len(), 10);
    let default = search(&fake, &token, "a", "").json();
    assert_eq!(default["tracks"]["limit"], 5);
    assert_eq!(default["tracks"]["items"].as_array().unwrap().len(), 5);
    let next = default["tracks"]["next"].as_str().expect("a next page");
    assert!(next.contains("offset=5"), "{next}");
    let no_type = api(&fake, &token, "GET", "/search?q=love", None);
    assert_eq!(no_type.status, 400);
}

#[test]
fn search_filters_by_field_and_lists_decoys_first() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let catalogue = fake.catalogue();
    // A song whose title is unique among the originals and which has the three decoys.
    let with_decoys = catalogue
        .windows(4)
        .find(|w| {
            !w[0].decoy
                && w[1..].iter().all(|d| d.decoy)
                && originals(&fake)
                    .iter()
                    .filter(|t| t.name.eq_ignore_ascii_case(&w[0].name))
                    .count()
                    == 1
        })
        .map(|w| w[0].clone())
        .expect("an original followed by its decoys");

    let found = search(
        &fake,
        &token,
        &format!("track:\"{}\"", with_decoys.name),
        "&limit=10",
    );
    let found = found.json();
    let items = found["tracks"]["items"].as_array().unwrap();
    let first_original = items
        .iter()
        .position(|t| t["id"] == with_decoys.id.as_str())
        .expect("the original is found");
    assert!(
        first_original >= 3,
        "live, karaoke and cover come before the original: {items:#?}"
    );
    let decoy_ids: Vec<&str> = catalogue
        .iter()
        .filter(|t| t.decoy)
        .map(|t| t.id.as_str())
        .collect();
    assert!(items[..first_original]
        .iter()
        .all(|t| decoy_ids.contains(&t["id"].as_str().unwrap())));

    // Field filters narrow to the original.
    let exact = search(
        &fake,
        &token,
        &format!(
            "track:\"{}\" artist:\"{}\" album:\"{}\"",
            with_decoys.name, with_decoys.artists[0], with_decoys.album
        ),
        "",
    );
    let exact = exact.json();
    assert_eq!(exact["tracks"]["total"], 1, "{exact:#}");
    assert_eq!(exact["tracks"]["items"][0]["id"], with_decoys.id.as_str());
    let by_isrc = search(
        &fake,
        &token,
        &format!("isrc:{}", with_decoys.isrc.as_deref().unwrap()),
        "",
    );
    assert_eq!(
        by_isrc.json()["tracks"]["items"][0]["id"],
        with_decoys.id.as_str()
    );

    // The namesake (another song of the same title) also comes before the real one.
    let breath = search(&fake, &token, "track:Breath", "&limit=10");
    let hits = names_and_artists(&breath);
    let namesake = hits.iter().position(|(_, a)| a == "Nova Harbor").unwrap();
    let real = hits.iter().position(|(_, a)| a == "Pearl Jam").unwrap();
    assert!(namesake < real, "{hits:?}");

    // Free words must all appear somewhere; year filters on the album's release.
    let free = search(&fake, &token, "breath pearl singles", "");
    assert_eq!(
        names_and_artists(&free),
        [("Breath".into(), "Pearl Jam".into())]
    );
    assert_eq!(
        search(&fake, &token, "breath pearl year:1992", "").json()["tracks"]["total"],
        1
    );
    assert_eq!(
        search(&fake, &token, "breath pearl year:1993", "").json()["tracks"]["total"],
        0
    );
    assert_eq!(
        search(&fake, &token, "breath pearl year:1990-1995", "").json()["tracks"]["total"],
        1
    );
}

#[test]
fn search_ignores_case_and_accents() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    fake.add_track(FakeTrack {
        name: "Déjà Vu".into(),
        artists: vec!["Beyoncé".into()],
        album: "B'Day".into(),
        duration_ms: 240_000,
        ..FakeTrack::default()
    });
    let added = fake
        .catalogue()
        .into_iter()
        .find(|t| t.name == "Déjà Vu")
        .expect("added to the catalogue");
    assert_eq!(added.id.len(), 22, "an id was made up");
    for q in [
        "track:\"deja vu\" artist:beyonce",
        "DEJA BEYONCÉ",
        "album:b'day",
    ] {
        let found = search(&fake, &token, q, "");
        assert_eq!(
            names_and_artists(&found),
            [("Déjà Vu".into(), "Beyoncé".into())],
            "{q}"
        );
    }
}

#[test]
fn tracks_have_the_2026_shape() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let track = originals(&fake).remove(0);
    let answer = api(&fake, &token, "GET", &format!("/tracks/{}", track.id), None);
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert_eq!(json["uri"], track.uri());
    assert_eq!(json["name"], track.name.as_str());
    assert_eq!(json["duration_ms"], track.duration_ms);
    assert_eq!(json["external_ids"]["isrc"], track.isrc.as_deref().unwrap());
    assert_eq!(json["album"]["name"], track.album.as_str());
    assert_eq!(json["album"]["album_type"], "compilation", "a soundtrack");
    assert_eq!(json["album"]["release_date"], "1992");
    assert_eq!(json["artists"][0]["type"], "artist");
    assert!(json.get("popularity").is_none());
    assert!(json.get("available_markets").is_none());

    let unknown = api(&fake, &token, "GET", "/tracks/0000000000000000000000", None);
    assert_eq!(unknown.status, 404);
    let several = api(
        &fake,
        &token,
        "GET",
        &format!("/tracks?ids={}", track.id),
        None,
    );
    assert_eq!(several.status, 403);
}

#[test]
fn the_catalogue_follows_the_starter_list() {
    let fake = FakeSpotify::start();
    let catalogue = fake.catalogue();
    let starter: Value =
        serde_json::from_str(cuesheet_tests::fake_spotify::STARTER_CATALOG).unwrap();
    assert!(catalogue
        .iter()
        .any(|t| t.name.ends_with(" - Remastered 2011")));
    let songs: Vec<(String, String)> = starter["soundtracks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            let album = s["album_title"].as_str().unwrap().to_owned();
            s["tracks"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |t| (t["title"].as_str().unwrap().to_owned(), album.clone()))
        })
        .collect();
    let holds = |(title, album): &(String, String)| {
        catalogue
            .iter()
            .any(|t| !t.decoy && &t.name == title && &t.album == album)
    };
    for (i, song) in songs.iter().enumerate() {
        assert_eq!(holds(song), (i + 1) % 17 != 0, "song {}: {song:?}", i + 1);
    }
    let third = &songs[2];
    let decoys: Vec<&FakeTrack> = catalogue
        .iter()
        .filter(|t| t.decoy && t.name.starts_with(third.0.as_str()))
        .collect();
    assert!(decoys.iter().any(|t| t.name.ends_with(" - Live")));
    assert!(decoys.iter().any(|t| t.name.ends_with("(Karaoke Version)")));
    assert!(decoys
        .iter()
        .any(|t| t.name == third.0 && t.artists == ["The Cover Collective"]));

    let first = &catalogue[0];
    let remaster = catalogue
        .iter()
        .find(|t| t.name == format!("{} - Remastered 2011", first.name))
        .expect("a remaster of the first song");
    assert!(!remaster.decoy);
    assert_ne!(remaster.album, first.album);
    assert_eq!(remaster.artists, first.artists);
    // Ids are stable from run to run.
    assert_eq!(FakeSpotify::start().catalogue(), catalogue);
}

#[test]
fn playlists_are_created_and_filled_100_uris_at_a_time() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let created = create_playlist(&fake, &token, "Singles");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "Singles");
    assert_eq!(created["public"], false);
    assert_eq!(created["owner"]["id"], "fan");
    assert_eq!(created["items"]["total"], 0);
    assert_eq!(created["uri"], format!("spotify:playlist:{id}"));
    let nameless = api(
        &fake,
        &token,
        "POST",
        "/me/playlists",
        Some(json!({"public": false})),
    );
    assert_eq!(nameless.status, 400);

    let uris: Vec<String> = originals(&fake)
        .iter()
        .take(250)
        .map(FakeTrack::uri)
        .collect();
    assert_eq!(uris.len(), 250);
    let mut snapshots = vec![created["snapshot_id"].as_str().unwrap().to_owned()];
    for chunk in uris.chunks(100) {
        let added = items(&fake, &token, "POST", &id, Some(json!({ "uris": chunk })));
        assert_eq!(added.status, 201, "{added:?}");
        let snapshot = added.json()["snapshot_id"].as_str().unwrap().to_owned();
        assert!(
            !snapshots.contains(&snapshot),
            "every write makes a new snapshot"
        );
        snapshots.push(snapshot);
    }
    assert_eq!(fake.playlist_uris(&id).unwrap(), uris);

    let too_many: Vec<&String> = uris.iter().take(101).collect();
    let refused = items(
        &fake,
        &token,
        "POST",
        &id,
        Some(json!({ "uris": too_many })),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.message(),
        "You can add a maximum of 100 tracks per request."
    );
    let unknown = items(
        &fake,
        &token,
        "POST",
        &id,
        Some(json!({"uris": ["spotify:track:0000000000000000000000"]})),
    );
    assert_eq!(unknown.status, 400);
    let first = items(
        &fake,
        &token,
        "POST",
        &id,
        Some(json!({"uris": [uris[9]], "position": 0})),
    );
    assert_eq!(first.status, 201);
    assert_eq!(fake.playlist_uris(&id).unwrap()[0], uris[9]);
    assert_eq!(fake.playlist_uris(&id).unwrap().len(), 251);

    // Reading back: items renamed from `track` to `item`, pages of at most 50.
    let page = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}/items?limit=50&offset=200"),
        None,
    );
    let page = page.json();
    assert_eq!(page["total"], 251);
    assert_eq!(page["items"].as_array().unwrap().len(), 50);
    assert_eq!(page["items"][0]["item"]["uri"], uris[199].as_str());
    assert!(page["items"][0].get("track").is_none());
    let too_big = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}/items?limit=51"),
        None,
    );
    assert_eq!(too_big.status, 400);
    let whole = api(&fake, &token, "GET", &format!("/playlists/{id}"), None).json();
    assert_eq!(whole["items"]["total"], 251);
    assert_eq!(whole["items"]["items"].as_array().unwrap().len(), 100);
    assert_eq!(
        whole["snapshot_id"],
        fake.playlists()[0].snapshot_id.as_str()
    );

    let mine = api(&fake, &token, "GET", "/me/playlists?limit=50", None).json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], id.as_str());
    assert_eq!(
        api(&fake, &token, "GET", "/me/playlists?limit=51", None).status,
        400
    );
}

/// A playlist holding five distinct tracks; returns its id and their URIs (A to E).
fn five_song_playlist(fake: &FakeSpotify, token: &str) -> (String, Vec<String>) {
    let id = create_playlist(fake, token, "Five")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uris: Vec<String> = originals(fake).iter().take(5).map(FakeTrack::uri).collect();
    fake.set_playlist_uris(&id, uris.clone());
    (id, uris)
}

#[test]
fn reordering_follows_spotify_semantics() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let (id, uris) = five_song_playlist(&fake, &token);
    // (range_start, insert_before, range_length, order afterwards as indices into A..E)
    let cases: [(u64, u64, u64, [usize; 5]); 7] = [
        (0, 5, 1, [1, 2, 3, 4, 0]),
        (4, 0, 1, [4, 0, 1, 2, 3]),
        (0, 3, 1, [1, 2, 0, 3, 4]),
        (1, 0, 2, [1, 2, 0, 3, 4]),
        (0, 4, 2, [2, 3, 0, 1, 4]),
        (3, 1, 2, [0, 3, 4, 1, 2]),
        (2, 2, 1, [0, 1, 2, 3, 4]),
    ];
    for (start, before, length, expected) in cases {
        fake.set_playlist_uris(&id, uris.clone());
        let before_snapshot = fake.playlists()[0].snapshot_id.clone();
        let moved = items(
            &fake,
            &token,
            "PUT",
            &id,
            Some(json!({
                "range_start": start,
                "insert_before": before,
                "range_length": length,
                "snapshot_id": before_snapshot,
            })),
        );
        assert_eq!(moved.status, 200, "{moved:?}");
        let expected: Vec<String> = expected.iter().map(|&i| uris[i].clone()).collect();
        assert_eq!(
            fake.playlist_uris(&id).unwrap(),
            expected,
            "range_start {start}, insert_before {before}, range_length {length}"
        );
        assert_ne!(moved.json()["snapshot_id"], before_snapshot.as_str());
    }
    let out_of_range = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"range_start": 4, "insert_before": 0, "range_length": 2})),
    );
    assert_eq!(out_of_range.status, 400);
    let default_length = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"range_start": 0, "insert_before": 2})),
    );
    assert_eq!(default_length.status, 200, "range_length defaults to 1");
    let bad_snapshot = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"range_start": 0, "insert_before": 2, "snapshot_id": "nope"})),
    );
    assert_eq!(bad_snapshot.status, 400);
}

#[test]
fn replace_and_remove_by_uri() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let (id, uris) = five_song_playlist(&fake, &token);
    let (a, b, c) = (uris[0].as_str(), uris[1].as_str(), uris[2].as_str());
    let replaced = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"uris": [a, b, a, c, a]})),
    );
    assert_eq!(replaced.status, 200);
    let replaced_snapshot = replaced.json()["snapshot_id"].as_str().unwrap().to_owned();
    assert_eq!(fake.playlist_uris(&id).unwrap(), [a, b, a, c, a]);

    let removed = items(
        &fake,
        &token,
        "DELETE",
        &id,
        Some(json!({"items": [{"uri": a}], "snapshot_id": replaced_snapshot})),
    );
    assert_eq!(removed.status, 200, "{removed:?}");
    assert_eq!(
        fake.playlist_uris(&id).unwrap(),
        [b, c],
        "every occurrence goes"
    );
    assert_ne!(removed.json()["snapshot_id"], replaced_snapshot.as_str());

    let old_key = items(
        &fake,
        &token,
        "DELETE",
        &id,
        Some(json!({"tracks": [{"uri": b}]})),
    );
    assert_eq!(old_key.status, 400, "the pre-2026 body is refused");
    let many: Vec<Value> = (0..101).map(|_| json!({"uri": b})).collect();
    let too_many = items(&fake, &token, "DELETE", &id, Some(json!({ "items": many })));
    assert_eq!(too_many.status, 400);
    let replace_too_many: Vec<&str> = std::iter::repeat_n(b, 101).collect();
    let refused = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({ "uris": replace_too_many })),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(
        fake.playlist_uris(&id).unwrap(),
        [b, c],
        "refused writes change nothing"
    );
}

#[test]
fn a_deleted_playlist_is_only_unfollowed_and_outside_edits_show() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let (id, uris) = five_song_playlist(&fake, &token);
    let read = items(&fake, &token, "GET", &id, None).json();
    assert_eq!(read["total"], 5);
    assert_eq!(read["items"][4]["item"]["uri"], uris[4].as_str());

    fake.set_playlist_uris(&id, vec!["spotify:track:1111111111111111111111".into()]);
    let read = items(&fake, &token, "GET", &id, None).json();
    assert_eq!(read["total"], 1);
    assert!(
        read["items"][0]["item"].is_null(),
        "unknown tracks read as unavailable"
    );
    fake.set_playlist_uris(&id, uris.clone());

    let follows = |fake: &FakeSpotify| {
        api(
            fake,
            &token,
            "GET",
            &format!("/playlists/{id}/followers/contains"),
            None,
        )
        .json()
    };
    let listed = |fake: &FakeSpotify| {
        api(fake, &token, "GET", "/me/playlists?limit=50", None).json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id.as_str())
    };
    assert_eq!(follows(&fake), json!([true]));
    assert!(listed(&fake));

    // "Delete" in Spotify's app: gone from the user's list and the followers check, and still
    // there by id for reads and writes alike. No 404 ever comes.
    fake.delete_playlist(&id);
    assert!(fake.playlists().is_empty());
    assert_eq!(fake.all_playlists().len(), 1);
    assert!(!listed(&fake));
    assert_eq!(follows(&fake), json!([false]));
    let asked = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}/followers/contains?ids=fan,someone"),
        None,
    );
    assert_eq!(asked.json(), json!([false, false]));
    let snapshot = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}?fields=snapshot_id"),
        None,
    );
    assert_eq!(snapshot.status, 200);
    let added = items(&fake, &token, "POST", &id, Some(json!({"uris": [uris[0]]})));
    assert_eq!(added.status, 201, "{added:?}");
    assert_eq!(fake.playlist_uris(&id).unwrap().len(), 6);

    // Following it again brings it back to the list.
    let follow = api(
        &fake,
        &token,
        "PUT",
        &format!("/playlists/{id}/followers"),
        Some(json!({"public": false})),
    );
    assert_eq!(follow.status, 200, "{follow:?}");
    assert_eq!(follows(&fake), json!([true]));
    assert!(listed(&fake));
    let unfollow = api(
        &fake,
        &token,
        "DELETE",
        &format!("/playlists/{id}/followers"),
        None,
    );
    assert_eq!(unfollow.status, 200);
    assert_eq!(follows(&fake), json!([false]));

    let unknown = api(
        &fake,
        &token,
        "GET",
        "/playlists/0000000000000000000000/followers/contains",
        None,
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn local_files_and_unavailable_songs_read_back_and_cannot_be_removed_by_uri() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let (id, uris) = five_song_playlist(&fake, &token);
    let before = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}?fields=snapshot_id"),
        None,
    )
    .json()["snapshot_id"]
        .clone();
    fake.add_in_app(
        &id,
        Some(1),
        AppItem::LocalFile {
            title: "Demo Tape".into(),
            artist: "My Band".into(),
        },
    );
    fake.add_in_app(&id, None, AppItem::Unavailable);
    let after = api(
        &fake,
        &token,
        "GET",
        &format!("/playlists/{id}?fields=snapshot_id"),
        None,
    )
    .json()["snapshot_id"]
        .clone();
    assert_ne!(before, after, "an edit in the app makes a new snapshot");

    let read = items(&fake, &token, "GET", &id, None).json();
    assert_eq!(read["total"], 7);
    let local = &read["items"][1];
    assert_eq!(local["is_local"], true);
    let local_uri = local["item"]["uri"].as_str().unwrap().to_owned();
    assert!(
        local_uri.starts_with("spotify:local:My+Band:"),
        "{local_uri}"
    );
    assert_eq!(local["item"]["name"], "Demo Tape");
    assert!(local["item"]["id"].is_null());
    assert_eq!(read["items"][6]["is_local"], false);
    assert!(read["items"][6]["item"].is_null(), "unavailable: item null");

    // A local URI in a DELETE is refused whole: nothing is removed.
    let refused = items(
        &fake,
        &token,
        "DELETE",
        &id,
        Some(json!({"items": [{"uri": local_uri}, {"uri": uris[0]}]})),
    );
    assert_eq!(refused.status, 400, "{refused:?}");
    assert_eq!(fake.playlist_uris(&id).unwrap().len(), 7);
    // Nor can one be added or put back.
    let put = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"uris": [local_uri]})),
    );
    assert_eq!(put.status, 400);
    // Replacing the content clears them.
    let replaced = items(
        &fake,
        &token,
        "PUT",
        &id,
        Some(json!({"uris": uris.clone()})),
    );
    assert_eq!(replaced.status, 200);
    assert_eq!(fake.playlist_uris(&id).unwrap(), uris);
}

#[test]
fn descriptions_with_a_line_break_fail_and_long_ones_are_refused() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let create = |description: &str| {
        api(
            &fake,
            &token,
            "POST",
            "/me/playlists",
            Some(json!({"name": "Notes", "description": description, "public": false})),
        )
    };
    assert_eq!(create("line one\nline two").status, 500);
    assert_eq!(create(&"x".repeat(301)).status, 400);
    assert!(fake.all_playlists().is_empty(), "neither was created");
    let made = create(&"é".repeat(300));
    assert_eq!(made.status, 201);
    let id = made.json()["id"].as_str().unwrap().to_owned();
    let details = |description: &str| {
        api(
            &fake,
            &token,
            "PUT",
            &format!("/playlists/{id}"),
            Some(json!({ "description": description })),
        )
        .status
    };
    assert_eq!(details("a\r\nb"), 500);
    assert_eq!(details(&"y".repeat(301)), 400);
    assert_eq!(details("one line"), 200);
    assert_eq!(fake.playlists()[0].description, "one line");
}

#[test]
fn quoted_or_apostrophe_filters_find_nothing_when_switched_on() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let song = originals(&fake)
        .into_iter()
        .find(|t| t.name.contains('\'') && t.name.split_whitespace().count() > 1)
        .expect("a starter song with an apostrophe in its title");
    let word = song
        .name
        .split_whitespace()
        .find(|w| !w.contains('\''))
        .unwrap()
        .to_owned();
    let apostrophe_word = song
        .name
        .split_whitespace()
        .find(|w| w.contains('\''))
        .unwrap()
        .to_owned();
    let queries = [
        format!("track:\"{}\"", song.name),
        format!("track:\"{}\" artist:\"{}\"", song.name, song.artists[0]),
        format!("track:{apostrophe_word}"),
        format!("{} {}", song.name, song.artists[0]),
        format!("track:{word} {}", song.name),
    ];
    let found = |fake: &FakeSpotify, q: &str| {
        search(fake, &token, q, "&limit=10").json()["tracks"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == song.id.as_str())
    };
    for q in &queries {
        assert!(found(&fake, q), "{q} finds the song normally");
    }
    fake.faults().quoted_filters_find_nothing = true;
    for q in &queries[..3] {
        let answer = search(&fake, &token, q, "&limit=10");
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["tracks"]["total"], 0, "{q}");
    }
    // Plain words, and a filter on a plain word, are not touched.
    for q in &queries[3..] {
        assert!(found(&fake, q), "{q} still finds the song");
    }
}

#[test]
fn a_lapsed_premium_refuses_tokens_and_calls_in_both_forms() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    fake.faults().premium_lapsed = Some(PremiumLapse::PlainText);
    let plain = api(&fake, &token, "GET", "/me", None);
    assert_eq!(plain.status, 403);
    assert_eq!(
        plain.body,
        "Active premium subscription required for the owner of the app."
    );
    let refresh = token_request(
        &fake,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "whatever"),
            ("client_id", CLIENT_ID),
        ],
    );
    assert_eq!(refresh.status, 403);
    assert!(refresh.body.contains("premium subscription required"));

    fake.faults().premium_lapsed = Some(PremiumLapse::Json);
    let json_form = api(&fake, &token, "GET", "/me", None);
    assert_eq!(json_form.status, 403);
    assert!(json_form
        .message()
        .contains("premium subscription required"));
    let refresh = token_request(
        &fake,
        &[("grant_type", "refresh_token"), ("refresh_token", "x")],
    );
    assert_eq!(refresh.status, 403);
    assert!(refresh.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("premium subscription required"));

    fake.faults().premium_lapsed = None;
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);
}

#[test]
fn removed_2026_endpoints_answer_403() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    let id = create_playlist(&fake, &token, "Old ways")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = originals(&fake)[0].uri();
    for (method, path, body) in [
        ("GET", format!("/playlists/{id}/tracks"), None),
        (
            "POST",
            format!("/playlists/{id}/tracks"),
            Some(json!({"uris": [uri]})),
        ),
        (
            "DELETE",
            format!("/playlists/{id}/tracks"),
            Some(json!({"tracks": [{"uri": uri}]})),
        ),
        (
            "POST",
            "/users/fan/playlists".into(),
            Some(json!({"name": "x"})),
        ),
        ("GET", "/users/fan/playlists".into(), None),
        ("GET", "/tracks?ids=a,b".into(), None),
    ] {
        let answer = api(&fake, &token, method, &path, body);
        assert_eq!(answer.status, 403, "{method} {path}");
        assert_eq!(answer.message(), "Forbidden");
    }
    assert_eq!(fake.playlist_uris(&id).unwrap(), Vec::<String>::new());
    assert_eq!(fake.playlists().len(), 1, "no playlist made the old way");
    let unknown = api(&fake, &token, "GET", "/browse/new-releases", None);
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"]["status"], 404);
}

#[test]
fn rate_limit_quota_and_server_error_faults() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;

    {
        let mut faults = fake.faults();
        faults.rate_limit_next = 1;
        faults.retry_after_secs = 7;
    }
    let limited = api(&fake, &token, "GET", "/me", None);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("7"));
    assert_eq!(limited.json()["error"]["status"], 429);
    assert_eq!(
        api(&fake, &token, "GET", "/me", None).status,
        200,
        "it counts down"
    );

    fake.faults().quota_exceeded = true;
    for _ in 0..2 {
        let quota = api(&fake, &token, "GET", "/me", None);
        assert_eq!(quota.status, 429);
        assert!(quota.message().contains("QUOTA_EXCEEDED"), "{quota:?}");
        assert_eq!(quota.header("retry-after"), None);
    }
    fake.faults().quota_exceeded = false;

    fake.faults().server_error_next = 2;
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 503);
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 503);
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);

    // A refused write changes nothing; reads are not refused.
    let id = create_playlist(&fake, &token, "Refusals")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fake.faults().refuse_next_writes = 1;
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);
    let uri = originals(&fake)[0].uri();
    let refused = items(&fake, &token, "POST", &id, Some(json!({"uris": [uri]})));
    assert_eq!(refused.status, 400);
    assert_eq!(fake.playlist_uris(&id).unwrap(), Vec::<String>::new());
    let added = items(&fake, &token, "POST", &id, Some(json!({"uris": [uri]})));
    assert_eq!(added.status, 201, "it counts down");
    // A playlist made in the app is the user's like any other.
    let made = fake.create_in_app("In the app");
    let listed = api(&fake, &token, "GET", "/me/playlists?limit=1", None).json();
    assert_eq!(listed["items"][0]["id"], made.as_str());
    assert_eq!(listed["items"][0]["public"], false);

    // Faults concern the Web API only: logins still work.
    fake.faults().server_error_next = 1;
    let code = code_for(&fake, VERIFIER);
    assert_eq!(exchange(&fake, &code, VERIFIER).status, 200);
    assert_eq!(fake.faults().server_error_next, 1);
}

#[test]
fn not_allowlisted_answers_403() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    fake.faults().not_allowlisted = true;
    let refused = api(&fake, &token, "GET", "/me", None);
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.message(),
        "Check settings on developer.spotify.com/dashboard, the user may not be registered."
    );
    fake.faults().not_allowlisted = false;
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);
}

#[test]
fn dropped_slow_and_lost_connections() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;

    fake.faults().drop_next = 1;
    let dropped = try_api(&fake, &token, "GET", "/me", None);
    let error = dropped.expect_err("no answer at all");
    assert!(
        error.contains("Unexpected EOF"),
        "closed without a status line: {error}"
    );
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);

    {
        let mut faults = fake.faults();
        faults.slow_next = 1;
        faults.slow_for = Duration::from_secs(3);
    }
    let impatient = send(
        &agent(Duration::from_millis(300)),
        "GET",
        &format!("{}/me", fake.api_url()),
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    let error = impatient.expect_err("no answer in time");
    assert!(error.contains("timed out"), "the client timed out: {error}");
    let started = Instant::now();
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "only one was slow"
    );

    fake.faults().latency = Duration::from_millis(150);
    let started = Instant::now();
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    fake.faults().latency = Duration::ZERO;

    // Network lost after one more write: the create succeeds, everything after is dropped.
    fake.faults().fail_writes_after = Some(1);
    assert_eq!(
        api(&fake, &token, "GET", "/me", None).status,
        200,
        "reads do not count"
    );
    let id = create_playlist(&fake, &token, "Half way")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = originals(&fake)[0].uri();
    let lost = try_api(
        &fake,
        &token,
        "POST",
        &format!("/playlists/{id}/items"),
        Some(json!({"uris": [uri]})),
    );
    assert!(lost.is_err(), "{lost:?}");
    assert!(try_api(&fake, &token, "GET", "/me", None).is_err());
    assert_eq!(fake.playlist_uris(&id).unwrap(), Vec::<String>::new());
    fake.faults().fail_writes_after = None;
    assert_eq!(api(&fake, &token, "GET", "/me", None).status, 200);

    let statuses: Vec<u16> = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/me")
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.first(),
        Some(&0),
        "a dropped request is recorded with status 0"
    );
}

#[test]
fn requests_are_recorded_in_order() {
    let fake = FakeSpotify::start();
    let token = fake.issue_tokens().access_token;
    create_playlist(&fake, &token, "Warm-up");
    fake.clear_requests();
    assert!(fake.requests().is_empty());

    api(&fake, &token, "GET", "/me", None);
    search(&fake, &token, "breath", "&limit=2");
    let id = create_playlist(&fake, &token, "Logged")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api(&fake, &token, "GET", "/nowhere", None);
    let code = code_for(&fake, VERIFIER);
    exchange(&fake, &code, VERIFIER);

    let log = fake.requests();
    let seen: Vec<(&str, &str, u16, bool)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.status, r.is_write()))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", "/v1/me", 200, false),
            ("GET", "/v1/search", 200, false),
            ("POST", "/v1/me/playlists", 201, true),
            ("GET", "/v1/nowhere", 404, false),
            ("GET", "/authorize", 303, false),
            ("POST", "/api/token", 200, false),
        ]
    );
    assert_eq!(log[1].query, "q=breath&type=track&limit=2");
    let body: Value = serde_json::from_str(&log[2].body).unwrap();
    assert_eq!(body["name"], "Logged");
    assert!(
        log[5].body.contains("code_verifier="),
        "bodies are kept verbatim"
    );
    assert!(fake.playlist_uris(&id).is_some());
}

#[test]
fn the_binary_says_where_it_listens() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-spotify"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("fake-spotify runs");
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(4)
        .map(|l| l.unwrap())
        .collect();
    let checked = std::panic::catch_unwind(|| {
        let api_url = lines[0].strip_prefix("api: ").expect("the API line first");
        assert!(api_url.starts_with("http://127.0.0.1:") && api_url.ends_with("/v1"));
        let accounts = lines[1].strip_prefix("accounts: ").expect("accounts line");
        assert_eq!(format!("{accounts}/v1"), api_url);
        assert!(lines[2].starts_with("catalogue: "), "{lines:?}");
        let answer = send(
            &agent(Duration::from_secs(5)),
            "GET",
            &format!("{api_url}/me"),
            &[],
            None,
        )
        .expect("it serves");
        assert_eq!(answer.status, 401);
    });
    child.kill().expect("the child we started stops");
    child.wait().unwrap();
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
}
