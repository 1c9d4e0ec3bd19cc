//! A fake of MusicBrainz's `ws/2` web service, the Cover Art Archive and the image host it
//! redirects to, as they behave by their own documentation (see DESIGN.md, "Online look-ups"):
//! three servers on 127.0.0.1, so the app's client can be pointed at them through
//! `CUESHEET_MUSICBRAINZ_URL` and `CUESHEET_COVERART_URL`.
//!
//! It keeps the services' rules, not our client's habits: MusicBrainz answers 403 to a missing
//! or library-default User-Agent and 503 to a request arriving less than a second after the
//! one before (declined requests count too); searches need `fmt=json` (XML otherwise), parse
//! Lucene (`field:(terms)`, `AND`, escapes; an unescaped special character in a value is a 400)
//! and score hits; look-ups honour `inc` (an unknown one is a 400) and answer a merged id with
//! 301 plus the new release's body; the Cover Art Archive answers 307 to the image host or 404
//! when there is no front image; the image host fails now and then with 500. This file owns the
//! server; `catalogue.rs` the data. It must not import anything of the app, and never reach the
//! real network.

pub mod catalogue;

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization as _;

pub use catalogue::{Catalogue, FakeRelease, StarterTruth, VARIOUS_ARTISTS_ID};

/// MusicBrainz's rule: on average one request per second per client; faster is declined.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// User-Agents MusicBrainz treats as anonymous or blocks (library defaults).
const GENERIC_AGENTS: &[&str] = &[
    "ureq",
    "python",
    "java",
    "curl",
    "wget",
    "go-http-client",
    "apache-httpclient",
    "okhttp",
    "reqwest",
    "libwww",
    "jakarta",
    "musicbrainz_rs",
    "axios",
    "node-fetch",
];
const RELEASE_INCS: &[&str] = &[
    "artists",
    "artist-credits",
    "labels",
    "recordings",
    "release-groups",
    "media",
    "discids",
    "isrcs",
    "aliases",
    "annotation",
    "tags",
    "genres",
    "ratings",
    "user-tags",
    "user-genres",
    "url-rels",
    "artist-rels",
    "label-rels",
    "recording-rels",
    "release-rels",
    "release-group-rels",
    "work-rels",
    "recording-level-rels",
    "work-level-rels",
];

/// Which of the three servers a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    MusicBrainz,
    CoverArt,
    Images,
}

/// One request received, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub host: Host,
    pub path: String,
    /// The raw query, without `?`.
    pub query: String,
    pub user_agent: Option<String>,
    pub status: u16,
    pub at: Instant,
}

/// Switches a test may flip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faults {
    /// Every Nth request to the image host answers 500 (0: never). Archive.org's download
    /// nodes do this now and then.
    pub image_error_every: u32,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            image_error_every: 3,
        }
    }
}

struct Shared {
    catalogue: Catalogue,
    log: Mutex<Vec<Recorded>>,
    faults: Mutex<Faults>,
    last_musicbrainz: Mutex<Option<Instant>>,
    image_requests: Mutex<u32>,
    image_base: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The running fake; dropping it stops the servers.
pub struct FakeMusicBrainz {
    shared: Arc<Shared>,
    addrs: [SocketAddr; 3],
    runtime: Option<tokio::runtime::Runtime>,
}

impl fmt::Debug for FakeMusicBrainz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeMusicBrainz")
            .field("addrs", &self.addrs)
            .finish_non_exhaustive()
    }
}

impl FakeMusicBrainz {
    /// Starts the three servers on free ports of 127.0.0.1. Panics if it cannot.
    pub fn start() -> FakeMusicBrainz {
        Self::try_start().unwrap_or_else(|e| panic!("the fake MusicBrainz cannot start: {e}"))
    }

    pub fn try_start() -> io::Result<FakeMusicBrainz> {
        let listeners = [bind()?, bind()?, bind()?];
        let addrs = [
            listeners[0].local_addr()?,
            listeners[1].local_addr()?,
            listeners[2].local_addr()?,
        ];
        let shared = Arc::new(Shared {
            catalogue: catalogue::build(),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Faults::default()),
            last_musicbrainz: Mutex::new(None),
            image_requests: Mutex::new(0),
            image_base: format!("http://{}", addrs[2]),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("fake-musicbrainz")
            .enable_all()
            .build()?;
        for (listener, host) in
            listeners
                .into_iter()
                .zip([Host::MusicBrainz, Host::CoverArt, Host::Images])
        {
            runtime.spawn(serve(listener, host, Arc::clone(&shared)));
        }
        Ok(FakeMusicBrainz {
            shared,
            addrs,
            runtime: Some(runtime),
        })
    }

    /// What `CUESHEET_MUSICBRAINZ_URL` takes: `http://127.0.0.1:PORT/ws/2`.
    pub fn musicbrainz_url(&self) -> String {
        format!("http://{}/ws/2", self.addrs[0])
    }

    /// What `CUESHEET_COVERART_URL` takes.
    pub fn coverart_url(&self) -> String {
        format!("http://{}", self.addrs[1])
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.shared.faults)
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.shared.catalogue
    }

    /// The release with this id (not following merges).
    pub fn release(&self, id: &str) -> Option<&FakeRelease> {
        self.shared.catalogue.releases.iter().find(|r| r.id == id)
    }

    /// The first release whose title and date start as given.
    pub fn find_release(&self, title: &str, date_prefix: &str) -> &FakeRelease {
        self.shared
            .catalogue
            .releases
            .iter()
            .find(|r| r.title == title && r.date.starts_with(date_prefix))
            .unwrap_or_else(|| panic!("the fake has no release {title:?} of {date_prefix}"))
    }

    pub fn group_id_of(&self, release: &FakeRelease) -> String {
        self.shared.catalogue.groups[release.group].id.clone()
    }
}

impl Drop for FakeMusicBrainz {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(2));
            }
        }
    }
}

fn bind() -> io::Result<StdTcpListener> {
    let listener = StdTcpListener::bind(("127.0.0.1", 0))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

async fn serve(listener: StdTcpListener, host: Host, shared: Arc<Shared>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        eprintln!("fake MusicBrainz: cannot serve");
        return;
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, std::convert::Infallible>(handle(&shared, host, req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

struct Reply {
    status: u16,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    /// MusicBrainz's error shape.
    fn error(status: u16, message: &str) -> Reply {
        Reply::json(
            status,
            &json!({ "error": message, "help": "For usage, please see: https://musicbrainz.org/development/mmd" }),
        )
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: text.as_bytes().to_vec(),
        }
    }

    fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }
}

fn handle(
    shared: &Shared,
    host: Host,
    req: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let user_agent = req
        .headers()
        .get(hyper::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let accept = req
        .headers()
        .get(hyper::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let now = Instant::now();
    let reply = if req.method() != hyper::Method::GET && req.method() != hyper::Method::HEAD {
        Reply::error(405, "Method not allowed")
    } else {
        match host {
            Host::MusicBrainz => {
                musicbrainz(shared, &path, &query, user_agent.as_deref(), &accept, now)
            }
            Host::CoverArt => coverart(shared, &path),
            Host::Images => images(shared, &path),
        }
    };
    lock(&shared.log).push(Recorded {
        host,
        path,
        query,
        user_agent,
        status: reply.status,
        at: now,
    });
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(reply.status).unwrap_or(hyper::StatusCode::OK);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(reply.content_type),
    );
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    response
}

// ---------------------------------------------------------------------------------------------
// MusicBrainz

fn is_generic_agent(agent: Option<&str>) -> bool {
    let Some(agent) = agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    let lowered = agent.to_ascii_lowercase();
    GENERIC_AGENTS.iter().any(|g| lowered.starts_with(g))
}

fn musicbrainz(
    shared: &Shared,
    path: &str,
    query: &str,
    agent: Option<&str>,
    accept: &str,
    now: Instant,
) -> Reply {
    // The checks in MusicBrainz's order: User-Agent, then the rate of this client.
    if is_generic_agent(agent) {
        return Reply::error(
            403,
            "Your requests are being blocked: send a User-Agent that identifies your application and how to contact you.",
        );
    }
    {
        let mut last = lock(&shared.last_musicbrainz);
        let too_soon = last.is_some_and(|l| now.duration_since(l) < MIN_INTERVAL);
        *last = Some(now);
        if too_soon {
            return Reply::error(
                503,
                "Your requests are exceeding the allowable rate limit. Please see http://wiki.musicbrainz.org/XMLWebService for more information.",
            );
        }
    }
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let wants_json = param("fmt") == Some("json")
        || (param("fmt").is_none() && accept.contains("application/json"));
    let Some(rest) = path.strip_prefix("/ws/2/") else {
        return Reply::error(404, "Not Found");
    };
    if !wants_json {
        return Reply {
            status: 200,
            content_type: "application/xml; charset=utf-8",
            headers: Vec::new(),
            body: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><metadata xmlns=\"http://musicbrainz.org/ns/mmd-2.0#\"/>".to_vec(),
        };
    }
    let rest = rest.trim_end_matches('/');
    match rest.split_once('/') {
        None if rest == "release" => match param("query") {
            Some(q) => search(shared, q, param("limit"), param("offset")),
            None => Reply::error(
                400,
                "Browse and search requests need a query or a linked entity.",
            ),
        },
        Some(("release", id)) => lookup(shared, id, param("inc").unwrap_or("")),
        _ => Reply::error(404, "Not Found"),
    }
}

fn is_mbid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn lookup(shared: &Shared, id: &str, inc: &str) -> Reply {
    if !is_mbid(id) {
        return Reply::error(400, "Invalid mbid.");
    }
    let incs: Vec<&str> = inc.split([' ', '+']).filter(|i| !i.is_empty()).collect();
    if let Some(bad) = incs.iter().find(|i| !RELEASE_INCS.contains(i)) {
        return Reply::error(
            400,
            &format!("{bad} is not a valid inc parameter for the release resource."),
        );
    }
    let catalogue = &shared.catalogue;
    if let Some(new_id) = catalogue.merged.get(id) {
        let release = catalogue
            .releases
            .iter()
            .find(|r| &r.id == new_id)
            .expect("merged into a release");
        return Reply::json(301, &release_json(catalogue, release, &incs, false)).with_header(
            "location",
            format!("/ws/2/release/{new_id}?inc={}&fmt=json", incs.join("+")),
        );
    }
    match catalogue.releases.iter().find(|r| r.id == id) {
        Some(release) => Reply::json(200, &release_json(catalogue, release, &incs, false)),
        None => Reply::error(404, "Not Found"),
    }
}

fn credit_json(credits: &[catalogue::FakeCredit]) -> Value {
    Value::Array(
        credits
            .iter()
            .map(|c| {
                json!({
                    "name": c.name, "joinphrase": c.joinphrase,
                    "artist": {"id": c.artist_id, "name": c.name, "sort-name": c.name, "disambiguation": ""}
                })
            })
            .collect(),
    )
}

fn group_json(catalogue: &Catalogue, release: &FakeRelease, with_types: bool) -> Value {
    let group = &catalogue.groups[release.group];
    let first = catalogue
        .releases
        .iter()
        .filter(|r| r.group == release.group && !r.date.is_empty())
        .map(|r| r.date.clone())
        .min()
        .unwrap_or_default();
    let mut value = json!({
        "id": group.id, "title": group.title, "primary-type": "Album",
        "first-release-date": first, "disambiguation": group.disambiguation,
        "artist-credit": credit_json(&group.credit),
    });
    if with_types {
        value["secondary-types"] = json!(group.secondary_types);
    }
    value
}

/// A release as a look-up (with the `incs` asked for) or as a search hit shows it.
fn release_json(
    catalogue: &Catalogue,
    release: &FakeRelease,
    incs: &[&str],
    for_search: bool,
) -> Value {
    let has = |inc: &str| incs.contains(&inc);
    let mut value = json!({
        "id": release.id, "title": release.title, "status": release.status,
        "date": release.date, "country": release.country, "barcode": release.barcode,
        "packaging": null, "disambiguation": "", "quality": "normal",
        "text-representation": {"language": "eng", "script": "Latn"},
        "release-events": [{"date": release.date, "area": {"iso-3166-1-codes": [release.country]}}],
    });
    let label_info = || {
        json!(release
            .label
            .iter()
            .map(|(name, catno)| json!({
                "catalog-number": if catno.is_empty() { Value::Null } else { json!(catno) },
                "label": {"id": catalogue::mbid(&format!("label {name}")), "name": name}
            }))
            .collect::<Vec<_>>())
    };
    if for_search {
        value["score"] = json!(0);
        value["artist-credit"] = credit_json(&release.credit);
        value["release-group"] = group_json(catalogue, release, !release.hide_types_in_search);
        value["label-info"] = label_info();
        value["track-count"] = json!(release.track_count());
        value["media"] = json!(release
            .media
            .iter()
            .map(|m| json!({
                "format": m.format, "disc-count": 1, "track-count": m.tracks.len()
            }))
            .collect::<Vec<_>>());
        return value;
    }
    value["cover-art-archive"] = json!({
        "artwork": release.front, "count": u32::from(release.front), "front": release.front,
        "back": false, "darkened": false
    });
    if has("artist-credits") || has("artists") {
        value["artist-credit"] = credit_json(&release.credit);
    }
    if has("release-groups") {
        value["release-group"] = group_json(catalogue, release, true);
    }
    if has("labels") {
        value["label-info"] = label_info();
    }
    if has("media") || has("recordings") || has("discids") {
        let recordings = has("recordings");
        let mut offset = 0;
        value["media"] = json!(release
            .media
            .iter()
            .enumerate()
            .map(|(m, medium)| {
                let mut medium_json = json!({
                    "position": m + 1, "title": "", "format": medium.format,
                    "track-count": medium.tracks.len(), "track-offset": offset,
                });
                offset += medium.tracks.len();
                if recordings {
                    let vinyl = medium.format.contains("Vinyl");
                    let half = medium.tracks.len().div_ceil(2);
                    medium_json["tracks"] =
                        json!(medium.tracks.iter().enumerate().map(|(i, t)| {
                    // Vinyl numbers its sides: A1, A2 … B1.
                    let number = if vinyl {
                        if i < half { format!("A{}", i + 1) } else { format!("B{}", i + 1 - half) }
                    } else {
                        (i + 1).to_string()
                    };
                    let mut recording = json!({
                        "id": t.recording_id, "title": t.title, "length": t.length,
                        "video": false, "disambiguation": "",
                    });
                    if has("isrcs") {
                        recording["isrcs"] = json!(t.isrcs);
                    }
                    if has("artist-credits") {
                        recording["artist-credit"] = credit_json(&t.credit);
                    }
                    let mut track = json!({
                        "id": t.id, "position": i + 1, "number": number, "title": t.title,
                        "length": t.length, "recording": recording,
                    });
                    if has("artist-credits") {
                        track["artist-credit"] = credit_json(&t.credit);
                    }
                    track
                }).collect::<Vec<_>>());
                }
                medium_json
            })
            .collect::<Vec<_>>());
    }
    value
}

// --- Search: a small Lucene.

/// One required part of a query: a field and the terms any of which may match.
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    field: String,
    terms: Vec<String>,
}

fn fold(text: &str) -> Vec<String> {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

const SPECIALS: &str = "+-&|!(){}[]^\"~*?:\\/";

/// Reads a value up to an unescaped delimiter; an unescaped special character inside it is a
/// syntax error, as in Lucene.
fn read_value(chars: &[char], mut i: usize, in_group: bool) -> Result<(String, usize), String> {
    let mut value = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(next) = chars.get(i + 1) else {
                return Err("a query cannot end with a backslash".into());
            };
            value.push(*next);
            i += 2;
            continue;
        }
        if in_group && c == ')' {
            return Ok((value, i));
        }
        if !in_group && c.is_whitespace() {
            return Ok((value, i));
        }
        if SPECIALS.contains(c) {
            return Err(format!("Cannot parse query: unexpected {c:?}"));
        }
        value.push(c);
        i += 1;
    }
    if in_group {
        return Err("Cannot parse query: missing ')'".into());
    }
    Ok((value, i))
}

/// `release:(the crow\: city) AND secondarytype:soundtrack` → clauses joined by AND. Bare
/// terms search the release title; `OR` between clauses is not supported by this fake.
fn parse_query(query: &str) -> Result<Vec<Clause>, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut clauses = Vec::new();
    let mut bare = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        // A field name: letters up to an unescaped colon.
        let name_end = chars[i..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric() && *c != '-')
            .map_or(chars.len(), |p| i + p);
        if name_end > i && chars.get(name_end) == Some(&':') {
            let field: String = chars[i..name_end]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            i = name_end + 1;
            let (value, next) = if chars.get(i) == Some(&'(') {
                let (value, end) = read_value(&chars, i + 1, true)?;
                (value, end + 1)
            } else if chars.get(i) == Some(&'"') {
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| *c == '"')
                    .map(|p| i + 1 + p)
                    .ok_or("Cannot parse query: unclosed quote")?;
                (chars[i + 1..end].iter().collect(), end + 1)
            } else {
                read_value(&chars, i, false)?
            };
            i = next;
            clauses.push(Clause {
                field,
                terms: fold(&value),
            });
            continue;
        }
        let (word, next) = read_value(&chars, i, false)?;
        i = next;
        match word.as_str() {
            "AND" => {}
            "OR" | "NOT" => return Err(format!("this fake does not support {word}")),
            _ => bare.extend(fold(&word)),
        }
    }
    if !bare.is_empty() {
        clauses.push(Clause {
            field: "release".into(),
            terms: bare,
        });
    }
    if clauses.is_empty() {
        return Err("Cannot parse query: it is empty".into());
    }
    Ok(clauses)
}

fn field_words(catalogue: &Catalogue, release: &FakeRelease, field: &str) -> Option<Vec<String>> {
    let group = &catalogue.groups[release.group];
    let words = match field {
        "release" | "releaseaccent" => fold(&release.title),
        "releasegroup" => fold(&group.title),
        "secondarytype" => group.secondary_types.iter().flat_map(|t| fold(t)).collect(),
        "primarytype" | "type" => vec!["album".into()],
        "status" => fold(&release.status),
        "country" => fold(&release.country),
        "format" => release.media.iter().flat_map(|m| fold(&m.format)).collect(),
        "artist" | "artistname" | "creditname" => {
            release.credit.iter().flat_map(|c| fold(&c.name)).collect()
        }
        "date" => vec![release.date.clone()],
        "reid" => vec![release.id.clone()],
        "rgid" => vec![group.id.clone()],
        "label" => release.label.iter().flat_map(|(l, _)| fold(l)).collect(),
        "catno" => release.label.iter().flat_map(|(_, c)| fold(c)).collect(),
        "barcode" => vec![release.barcode.clone()],
        "tracks" => vec![release.track_count().to_string()],
        _ => return None,
    };
    Some(words)
}

fn search(shared: &Shared, query: &str, limit: Option<&str>, offset: Option<&str>) -> Reply {
    let limit = match limit.map(str::parse::<usize>) {
        None => 25,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => return Reply::error(400, "limit must be between 1 and 100"),
    };
    let offset = match offset.map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(_) => return Reply::error(400, "offset must be a number"),
    };
    let clauses = match parse_query(query) {
        Ok(clauses) => clauses,
        Err(message) => return Reply::error(400, &message),
    };
    let catalogue = &shared.catalogue;
    let mut hits: Vec<(u32, &FakeRelease)> = Vec::new();
    'releases: for release in &catalogue.releases {
        let mut score = 0.0f64;
        for clause in &clauses {
            let Some(words) = field_words(catalogue, release, &clause.field) else {
                return Reply::error(400, &format!("unknown search field {:?}", clause.field));
            };
            let matched = clause
                .terms
                .iter()
                .filter(|t| {
                    words
                        .iter()
                        .any(|w| w == *t || (clause.field == "date" && w.starts_with(t.as_str())))
                })
                .count();
            if matched == 0 {
                continue 'releases;
            }
            if matches!(
                clause.field.as_str(),
                "release" | "releasegroup" | "releaseaccent"
            ) {
                // Dice coefficient of the terms and the title's words.
                score += 2.0 * matched as f64 / (clause.terms.len() + words.len()) as f64;
            }
        }
        hits.push(((score * 100.0).round().min(100.0) as u32, release));
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let count = hits.len();
    let releases: Vec<Value> = hits
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(score, release)| {
            let mut value = release_json(catalogue, release, &[], true);
            value["score"] = json!(score);
            value
        })
        .collect();
    Reply::json(
        200,
        &json!({
            "created": "2026-10-01T12:00:00.000Z", "count": count, "offset": offset,
            "releases": releases
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Cover Art Archive and the image host

fn coverart(shared: &Shared, path: &str) -> Reply {
    // /release/{mbid}/front[-250|-500|-1200]
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (id, which) = match parts.as_slice() {
        ["release", id, which] => (*id, *which),
        ["release", id] => (*id, ""),
        _ => return Reply::text(404, "Not Found"),
    };
    if !is_mbid(id) {
        return Reply::text(400, &format!("{id} is not a valid UUID"));
    }
    let Some(size) = (match which {
        "front" => Some("original"),
        "front-250" | "front-small" => Some("250"),
        "front-500" | "front-large" => Some("500"),
        "front-1200" => Some("1200"),
        "" => None,
        _ => return Reply::text(404, "Not Found"),
    }) else {
        return Reply::text(404, "This fake serves front images only");
    };
    match shared.catalogue.releases.iter().find(|r| r.id == id) {
        Some(release) if release.front => Reply::text(307, "See: the image host").with_header(
            "location",
            format!(
                "{}/download/mbid-{id}/mbid-{id}-front-{size}.jpg",
                shared.image_base
            ),
        ),
        _ => Reply::text(404, &format!("No cover art found for release {id}")),
    }
}

fn images(shared: &Shared, path: &str) -> Reply {
    let every = lock(&shared.faults).image_error_every;
    let n = {
        let mut count = lock(&shared.image_requests);
        *count += 1;
        *count
    };
    if every > 0 && n % every == 0 {
        return Reply::text(500, "Internal Server Error");
    }
    let Some(rest) = path.strip_prefix("/download/mbid-") else {
        return Reply::text(404, "Not Found");
    };
    let id = rest.split('/').next().unwrap_or("");
    let size = if path.contains("-250.") {
        250
    } else if path.contains("-1200.") {
        1200
    } else {
        500
    };
    match shared
        .catalogue
        .releases
        .iter()
        .find(|r| r.id == id && r.front)
    {
        Some(release) => Reply {
            status: 200,
            content_type: "image/jpeg",
            headers: Vec::new(),
            body: cover_jpeg(release.color, size),
        },
        None => Reply::text(404, "Not Found"),
    }
}

/// A square JPEG of one colour.
pub fn cover_jpeg(color: [u8; 3], size: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(size, size, image::Rgb(color));
    let mut bytes = Vec::new();
    picture
        .write_to(&mut io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("a JPEG can be written to memory");
    bytes
}
