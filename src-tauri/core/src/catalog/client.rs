//! The HTTP side of online look-ups: MusicBrainz `ws/2` searches and look-ups, and front covers
//! from the Cover Art Archive, as a good citizen of both services.
//!
//! What it guarantees: one request at a time and at most one per second to each host, across
//! the whole process (a pacer per host, like Picard's); a `User-Agent` of the form
//! `Cuesheet/<version> ( <contact> )`; 503 answers waited out with a growing back-off
//! (`Retry-After` when sent); a 301 for a merged MBID followed to the new id; the Cover Art
//! Archive's 307 to the image host followed by hand (so the pacer sees it) and its 404 read as
//! "no cover"; passing failures of the image host retried; and a clear `offline` error when the
//! network is not there. Answers go through the cache in the library file when one is given.
//! This module must not touch the library's tables or decide which release is right.
//!
//! Written on the ureq 2 the app already uses for Spotify rather than with `musicbrainz_rs`:
//! that crate brings a second HTTP stack (ureq 3 with its own TLS set-up), does not escape
//! Lucene syntax in user text, sends a library User-Agent by default (which MusicBrainz blocks
//! since August 2026), and reads responses into strict types where one odd record fails the
//! whole answer. The five requests we need are a few dozen lines each here.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::cache;
use super::model::{releases_of_search, Release};
use crate::error::{Error, Result};

pub const MUSICBRAINZ_URL_ENV: &str = "CUESHEET_MUSICBRAINZ_URL";
pub const COVERART_URL_ENV: &str = "CUESHEET_COVERART_URL";
pub const DEFAULT_MUSICBRAINZ_URL: &str = "https://musicbrainz.org/ws/2";
pub const DEFAULT_COVERART_URL: &str = "https://coverartarchive.org";
/// Where the user's contact email for the User-Agent is kept (`library_meta`).
pub const CONTACT_KEY: &str = "musicbrainz_contact";

/// What a release look-up asks for: the track list with recordings, ISRCs and credits, labels,
/// media and the release group, in one request.
pub const RELEASE_INC: &str = "recordings+artist-credits+isrcs+labels+media+release-groups";

/// The least time between the starts of two requests to one host. MusicBrainz allows one per
/// second on average and answers 503 to every request above that.
const MIN_INTERVAL: Duration = Duration::from_millis(1100);
/// The least time between an answer and the next request to that host. The previous request
/// had arrived before its answer came back, so this guarantees a second between arrivals
/// whatever the network or a busy machine delayed (measured: start-to-start spacing alone let
/// one request in 53 arrive too soon on a loaded 2-core machine).
const AFTER_ANSWER: Duration = Duration::from_millis(1000);
/// Tries of one request that met 503 (MusicBrainz busy or our rate too high).
const MAX_BUSY_TRIES: u32 = 6;
/// Tries of one request that met another 5xx or a dropped connection.
const MAX_FAILED_TRIES: u32 = 4;
/// A Retry-After longer than this is not sat out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// The covers module refuses larger pictures anyway.
const MAX_IMAGE_BYTES: u64 = 40 * 1024 * 1024;

/// Where the services are and who we are to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogConfig {
    /// Ends in `/ws/2` (or whatever the override says), without a trailing slash.
    pub musicbrainz_url: String,
    /// Without a trailing slash; `/release/<MBID>/front-500` lives under it.
    pub coverart_url: String,
    /// The contact in the User-Agent: the user's email from Settings, else the project's page.
    pub contact: String,
    /// The user's country (ISO 3166-1, from the locale), a tie-break between editions.
    pub country: Option<String>,
    pub timeout: Duration,
}

impl CatalogConfig {
    /// The environment's addresses (else the real services), the contact saved in the library
    /// (else the project's homepage) and the locale's country.
    pub fn load(conn: Option<&Connection>) -> Result<CatalogConfig> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let contact = match conn {
            Some(conn) => contact_setting(conn)?,
            None => None,
        };
        Ok(CatalogConfig {
            musicbrainz_url: env(MUSICBRAINZ_URL_ENV)
                .unwrap_or_else(|| DEFAULT_MUSICBRAINZ_URL.into())
                .trim()
                .trim_end_matches('/')
                .to_owned(),
            coverart_url: env(COVERART_URL_ENV)
                .unwrap_or_else(|| DEFAULT_COVERART_URL.into())
                .trim()
                .trim_end_matches('/')
                .to_owned(),
            contact: contact.unwrap_or_else(|| env!("CARGO_PKG_HOMEPAGE").to_owned()),
            country: locale_country(),
            timeout: Duration::from_secs(30),
        })
    }

    /// `Cuesheet/0.1.0 ( https://github.com/cuesheet-app/cuesheet )`, as MusicBrainz asks.
    pub fn user_agent(&self) -> String {
        format!(
            "Cuesheet/{} ( {} )",
            env!("CARGO_PKG_VERSION"),
            self.contact
        )
    }
}

/// The contact email saved in Settings, if any.
pub fn contact_setting(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT value FROM library_meta WHERE key = ?1",
            [CONTACT_KEY],
            |row| row.get(0),
        )
        .optional()?)
}

/// Saves (or with `None` forgets) the contact email sent to MusicBrainz.
pub fn set_contact(conn: &Connection, email: Option<&str>) -> Result<Option<String>> {
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    match email {
        Some(email) => {
            crate::validate::text("contact email", email, 200)?;
            let plausible = email.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
            }) && !email
                .chars()
                .any(|c| c.is_whitespace() || "()<>\"".contains(c));
            if !plausible {
                return Err(Error::InvalidInput(format!(
                    "contact email: {email:?} does not look like an email address \
                     (name@example.org)"
                )));
            }
            conn.execute(
                "INSERT INTO library_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                rusqlite::params![CONTACT_KEY, email],
            )?;
        }
        None => {
            conn.execute("DELETE FROM library_meta WHERE key = ?1", [CONTACT_KEY])?;
        }
    }
    Ok(email.map(str::to_owned))
}

/// "en_GB.UTF-8" → "GB", from the first locale variable set, as the C library reads them.
fn locale_country() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.is_empty())
        .and_then(|locale| country_of_locale(&locale))
}

pub(crate) fn country_of_locale(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next()?;
    let (_, country) = base.split_once(['_', '-'])?;
    (country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| country.to_ascii_uppercase())
}

/// Requests made, by service: what the benchmark and `--json` summaries report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RequestCounts {
    /// Requests to MusicBrainz (searches and look-ups), retries included.
    pub musicbrainz: u32,
    /// Requests to the Cover Art Archive.
    pub coverart: u32,
    /// Requests to the image host the Cover Art Archive redirects to.
    pub images: u32,
    /// Answers taken from the cache instead of the network.
    pub cached: u32,
    /// Answers that were 503, 5xx or lost and made us wait and try again.
    pub retries: u32,
}

impl RequestCounts {
    pub fn total(&self) -> u32 {
        self.musicbrainz + self.coverart + self.images
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    MusicBrainz,
    CoverArt,
    Image,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Service::MusicBrainz => "MusicBrainz",
            Service::CoverArt => "the Cover Art Archive",
            Service::Image => "the Cover Art Archive's image host",
        }
    }
}

/// An answer the caller decides about (2xx, 3xx and 404 come back; other failures are errors).
struct Answer {
    status: u16,
    location: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

/// When each host was last asked; one lock per host keeps its requests one at a time.
#[derive(Debug, Default)]
struct HostSlot {
    last_start: Option<Instant>,
    /// When the last answer (or failure) came back: the request had surely arrived by then.
    last_end: Option<Instant>,
}

fn host_key(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .map(|u| {
            format!(
                "{}://{}:{}",
                u.scheme(),
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_else(|| url.to_owned())
}

fn host_slot(host: &str) -> Arc<Mutex<HostSlot>> {
    static SLOTS: OnceLock<Mutex<HashMap<String, Arc<Mutex<HostSlot>>>>> = OnceLock::new();
    let mut slots = lock(SLOTS.get_or_init(Default::default));
    Arc::clone(slots.entry(host.to_owned()).or_default())
}

/// The pace across processes: each `cuesheet` command is a process of its own, and two run
/// one after the other must not ask a host twice within a second either. When the last answer
/// from each host came is kept in a small file in the runtime (else temporary) folder.
/// Racing processes can at worst both wait, never skip the wait that a finished one recorded.
mod shared_pace {
    use std::path::PathBuf;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    fn file(host: &str) -> PathBuf {
        let dir = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|d| d.is_dir())
            .unwrap_or_else(std::env::temp_dir)
            .join("cuesheet-pace");
        let name: String = host
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        dir.join(name)
    }

    fn now_millis() -> u128 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default()
    }

    /// How long to wait before this host may be asked again.
    pub fn wait(host: &str, interval: Duration) -> Duration {
        let Ok(text) = std::fs::read_to_string(file(host)) else {
            return Duration::ZERO;
        };
        let Ok(last) = text.trim().parse::<u128>() else {
            return Duration::ZERO;
        };
        let ready = last + interval.as_millis();
        let now = now_millis();
        // A time far in the future is a broken clock or file, not a reason to wait for ever.
        if ready > now && ready - now <= interval.as_millis() {
            Duration::from_millis((ready - now) as u64)
        } else {
            Duration::ZERO
        }
    }

    /// Records that an answer from this host came now. Failing only costs the guard.
    pub fn record(host: &str) {
        let path = file(host);
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let partial = path.with_extension(format!("{}.partial", std::process::id()));
        if std::fs::write(&partial, now_millis().to_string()).is_ok() {
            let _ = std::fs::rename(&partial, &path);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Talks to MusicBrainz and the Cover Art Archive. Cheap to make; the pacing it honours is
/// shared by every client in the process.
pub struct CatalogClient {
    config: CatalogConfig,
    agent: ureq::Agent,
    cache: Option<Mutex<Connection>>,
    counts: Mutex<RequestCounts>,
    cancel: Arc<AtomicBool>,
    /// Told how long we wait when a service asks us to slow down.
    on_wait: Option<Box<dyn Fn(u64) + Send + Sync>>,
}

impl std::fmt::Debug for CatalogClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogClient")
            .field("config", &self.config)
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

impl CatalogClient {
    /// A client without a cache (every question goes to the network).
    pub fn new(config: CatalogConfig) -> CatalogClient {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(config.timeout)
            // Redirects are followed by hand: the pacer must see every request, and a merged
            // MBID's 301 already carries the new release in its body.
            .redirects(0)
            .user_agent(&config.user_agent())
            .build();
        CatalogClient {
            config,
            agent,
            cache: None,
            counts: Mutex::new(RequestCounts::default()),
            cancel: Arc::new(AtomicBool::new(false)),
            on_wait: None,
        }
    }

    /// A client for the library in `data_dir`: its settings (the contact email) and its cache,
    /// through a connection of its own so long work never holds the window's.
    pub fn for_library(data_dir: &std::path::Path) -> Result<CatalogClient> {
        let conn = crate::db::open(data_dir)?;
        let config = CatalogConfig::load(Some(&conn))?;
        Ok(CatalogClient::new(config).with_cache(conn))
    }

    /// Keeps answers in (and reads them from) this library connection's cache.
    pub fn with_cache(mut self, conn: Connection) -> CatalogClient {
        self.cache = Some(Mutex::new(conn));
        self
    }

    /// Stops waits and requests soon after `cancel` is set.
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> CatalogClient {
        self.cancel = cancel;
        self
    }

    /// Reports each wait a service asks for, in seconds.
    pub fn with_wait_report(mut self, on_wait: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(Box::new(on_wait));
        self
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    pub fn counts(&self) -> RequestCounts {
        *lock(&self.counts)
    }

    pub fn cancel_flag(&self) -> &Arc<AtomicBool> {
        &self.cancel
    }

    fn count(&self, update: impl FnOnce(&mut RequestCounts)) {
        update(&mut lock(&self.counts));
    }

    pub(crate) fn check_cancel(&self) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(Error::Cancelled(
                "cancelled; what was filled in so far is kept".into(),
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

    fn cached(&self, key: &str, lifetime: Duration) -> Option<Option<String>> {
        let cache = self.cache.as_ref()?;
        let hit = cache::read(&lock(cache), key, lifetime, now_secs())
            .ok()
            .flatten();
        if hit.is_some() {
            self.count(|c| c.cached += 1);
        }
        hit
    }

    fn remember(&self, key: &str, body: Option<&str>) {
        if let Some(cache) = &self.cache {
            // A cache that cannot be written only costs a request next time.
            if let Err(e) = cache::write(&lock(cache), key, body, now_secs()) {
                tracing::warn!("could not cache a MusicBrainz answer: {e}");
            }
        }
    }

    /// One GET with the pacing and retry rules; see the module doc.
    fn get(&self, service: Service, url: &str, accept: &str, limit: u64) -> Result<Answer> {
        let host_name = host_key(url);
        let slot = host_slot(&host_name);
        let mut busy = 0u32;
        let mut failed = 0u32;
        let mut reached = false;
        loop {
            self.check_cancel()?;
            // The host's lock is held from the wait to the end of the answer: one request at a
            // time per host, whatever other threads of the process want.
            let mut host = lock(&slot);
            let ready = [
                host.last_start.map(|t| t + MIN_INTERVAL),
                host.last_end.map(|t| t + AFTER_ANSWER),
            ]
            .into_iter()
            .flatten()
            .max();
            if let Some(ready) = ready {
                let now = Instant::now();
                if ready > now {
                    self.pause(ready - now)?;
                }
            }
            self.pause(shared_pace::wait(&host_name, AFTER_ANSWER))?;
            host.last_start = Some(Instant::now());
            self.count(|c| match service {
                Service::MusicBrainz => c.musicbrainz += 1,
                Service::CoverArt => c.coverart += 1,
                Service::Image => c.images += 1,
            });
            let result = self.agent.get(url).set("Accept", accept).call();
            host.last_end = Some(Instant::now());
            shared_pace::record(&host_name);
            let outcome = match result {
                Ok(response) => {
                    reached = true;
                    let status = response.status();
                    let location = response.header("Location").map(str::to_owned);
                    let content_type = response.content_type().to_owned();
                    let mut body = Vec::new();
                    let read = response
                        .into_reader()
                        .take(limit + 1)
                        .read_to_end(&mut body);
                    match read {
                        Ok(_) if body.len() as u64 > limit => {
                            return Err(Error::Catalog(format!(
                                "{} sent an answer larger than {} MB; it was not used",
                                service.name(),
                                limit / 1_000_000
                            )))
                        }
                        Ok(_) => Ok(Answer {
                            status,
                            location,
                            content_type,
                            body,
                        }),
                        Err(e) => Err(format!("the answer was cut off ({e})")),
                    }
                }
                Err(ureq::Error::Status(status, response)) => {
                    reached = true;
                    let retry_after = response
                        .header("Retry-After")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = response.into_string().unwrap_or_default();
                    match status {
                        404 => Ok(Answer {
                            status,
                            location: None,
                            content_type: String::new(),
                            body: text.into_bytes(),
                        }),
                        503 => {
                            busy += 1;
                            if busy >= MAX_BUSY_TRIES {
                                return Err(Error::RateLimited(format!(
                                    "{} stayed busy (503) after {busy} tries; try again in a \
                                     few minutes. Nothing in your library changed.",
                                    service.name()
                                )));
                            }
                            self.count(|c| c.retries += 1);
                            // Picard's back-off: 2, 4, 8 … seconds, or what the service asks.
                            let wait = retry_after
                                .filter(|w| *w <= MAX_RETRY_AFTER)
                                .unwrap_or(Duration::from_secs(1 << busy.min(5)));
                            if let Some(report) = &self.on_wait {
                                report(wait.as_secs().max(1));
                            }
                            tracing::info!(?wait, "{} busy: waiting", service.name());
                            drop(host);
                            self.pause(wait)?;
                            continue;
                        }
                        500..=599 => Err(format!("it answered {status}")),
                        403 => {
                            return Err(Error::Catalog(format!(
                                "{} refused the request (403 Forbidden: {}). It blocks \
                                 clients whose User-Agent it does not accept; Cuesheet sent \
                                 \"{}\".",
                                service.name(),
                                summary(&text),
                                self.config.user_agent()
                            )))
                        }
                        _ => {
                            return Err(Error::Catalog(format!(
                                "{} refused the request ({status}): {}",
                                service.name(),
                                summary(&text)
                            )))
                        }
                    }
                }
                Err(ureq::Error::Transport(transport)) => {
                    let never_reached = !reached
                        && matches!(
                            transport.kind(),
                            ureq::ErrorKind::Dns
                                | ureq::ErrorKind::ConnectionFailed
                                | ureq::ErrorKind::ProxyConnect
                        );
                    if never_reached {
                        return Err(Error::Offline(format!(
                            "could not reach {} ({}): check your internet connection. Nothing \
                             in your library changed.",
                            service.name(),
                            host_of(url)
                        )));
                    }
                    Err(format!("the connection failed ({})", transport.kind()))
                }
            };
            match outcome {
                Ok(answer) => return Ok(answer),
                Err(problem) => {
                    failed += 1;
                    if failed >= MAX_FAILED_TRIES {
                        return Err(Error::Catalog(format!(
                            "{} did not answer properly: {problem}, {failed} times. Try again \
                             later; nothing in your library changed.",
                            service.name()
                        )));
                    }
                    self.count(|c| c.retries += 1);
                    drop(host);
                    self.pause(Duration::from_millis(500 << failed.min(4)))?;
                }
            }
        }
    }

    /// A MusicBrainz GET of JSON, following a redirect (a merged id) by hand.
    fn musicbrainz_json(&self, url: &str) -> Result<Option<Value>> {
        let mut url = url.to_owned();
        for _ in 0..3 {
            let answer = self.get(
                Service::MusicBrainz,
                &url,
                "application/json",
                MAX_JSON_BYTES,
            )?;
            match answer.status {
                200..=299 => return parse_json(&answer.body).map(Some),
                404 => return Ok(None),
                301 | 302 | 303 | 307 | 308 => {
                    // MusicBrainz sends the merged entity's full answer with the 301; use it
                    // rather than spending a second request.
                    if let Ok(value) = parse_json(&answer.body) {
                        if value["id"].is_string() {
                            return Ok(Some(value));
                        }
                    }
                    let location = answer.location.ok_or_else(|| {
                        Error::Catalog(format!(
                            "MusicBrainz answered {} without saying where to",
                            answer.status
                        ))
                    })?;
                    url = same_origin(&resolve(&url, &location)?, &self.config.musicbrainz_url);
                }
                other => {
                    return Err(Error::Catalog(format!(
                        "MusicBrainz answered {other}, which Cuesheet does not expect"
                    )))
                }
            }
        }
        Err(Error::Catalog(
            "MusicBrainz redirected too many times".into(),
        ))
    }

    /// Releases matching a Lucene query (see `query::release_query`), best first as
    /// MusicBrainz scores them. Cached for a week.
    pub fn search_releases(&self, lucene: &str, limit: u32) -> Result<Vec<Release>> {
        let url = format!(
            "{}/release?query={}&limit={limit}&fmt=json",
            self.config.musicbrainz_url,
            encode(lucene)
        );
        if let Some(Some(body)) = self.cached(&url, cache::SEARCH_LIFETIME) {
            if let Ok(value) = serde_json::from_str::<Value>(&body) {
                return Ok(releases_of_search(&value));
            }
        }
        let value = self.musicbrainz_json(&url)?.unwrap_or(Value::Null);
        self.remember(&url, Some(&value.to_string()));
        Ok(releases_of_search(&value))
    }

    /// One release with its track list, recordings, ISRCs, credits, labels and release
    /// group. A merged id answers with the release it was merged into (compare the `id`).
    /// `NotFound` when MusicBrainz has no such release. Cached for a week.
    pub fn release(&self, mbid: &str) -> Result<Release> {
        let mbid = check_mbid(mbid)?;
        let url = format!(
            "{}/release/{mbid}?inc={RELEASE_INC}&fmt=json",
            self.config.musicbrainz_url
        );
        let value = match self.cached(&url, cache::SEARCH_LIFETIME) {
            Some(Some(body)) => parse_json(body.as_bytes())?,
            _ => {
                let value = self
                    .musicbrainz_json(&url)?
                    .ok_or_else(|| Error::NotFound(format!("MusicBrainz has no release {mbid}")))?;
                self.remember(&url, Some(&value.to_string()));
                value
            }
        };
        let release: Release = serde_json::from_value(value).map_err(|e| {
            Error::Catalog(format!(
                "MusicBrainz's answer for release {mbid} could not be read: {e}"
            ))
        })?;
        if release.id.is_empty() {
            return Err(Error::Catalog(format!(
                "MusicBrainz's answer for release {mbid} has no id"
            )));
        }
        Ok(release)
    }

    /// The release's front cover at 500 px, as image bytes; `None` when it has none (404, an
    /// empty answer, or something that is not an image). "None" is remembered for a month.
    pub fn front_cover(&self, release_id: &str) -> Result<Option<Vec<u8>>> {
        self.front_cover_sized(release_id, 500)
    }

    /// The front cover at 250, 500 or 1200 px; see [`CatalogClient::front_cover`].
    pub fn front_cover_sized(&self, release_id: &str, size: u32) -> Result<Option<Vec<u8>>> {
        let release_id = check_mbid(release_id)?;
        let size = match size {
            0..=250 => 250,
            251..=500 => 500,
            _ => 1200,
        };
        let mut url = format!(
            "{}/release/{release_id}/front-{size}",
            self.config.coverart_url
        );
        let key = format!("cover-none {url}");
        if let Some(None) = self.cached(&key, cache::NO_COVER_LIFETIME) {
            return Ok(None);
        }
        let mut service = Service::CoverArt;
        for _ in 0..5 {
            let answer = self.get(service, &url, "image/*", MAX_IMAGE_BYTES)?;
            match answer.status {
                200..=299 => {
                    let is_image = answer.content_type.starts_with("image/")
                        || image::guess_format(&answer.body).is_ok();
                    if answer.body.is_empty() || !is_image {
                        self.remember(&key, None);
                        return Ok(None);
                    }
                    return Ok(Some(answer.body));
                }
                404 => {
                    self.remember(&key, None);
                    return Ok(None);
                }
                300..=399 => {
                    let location = answer.location.ok_or_else(|| {
                        Error::Catalog(format!(
                            "the Cover Art Archive answered {} without saying where to",
                            answer.status
                        ))
                    })?;
                    url = resolve(&url, &location)?;
                    service = Service::Image;
                }
                other => {
                    return Err(Error::Catalog(format!(
                        "the Cover Art Archive answered {other}, which Cuesheet does not expect"
                    )))
                }
            }
        }
        Err(Error::Catalog(
            "the Cover Art Archive redirected too many times".into(),
        ))
    }
}

fn parse_json(body: &[u8]) -> Result<Value> {
    serde_json::from_slice(body)
        .map_err(|_| Error::Catalog("MusicBrainz's answer was not JSON".into()))
}

/// An MBID is a UUID; anything else is refused before a request is spent on it.
pub fn check_mbid(text: &str) -> Result<String> {
    let trimmed = text.trim();
    // People paste the release's page: take the id from the end of it.
    let id = trimmed
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(trimmed)
        .to_ascii_lowercase();
    let groups: Vec<&str> = id.split('-').collect();
    let shape = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(shape)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(id)
    } else {
        Err(Error::InvalidInput(format!(
            "{trimmed:?} is not a MusicBrainz id (MBID): it looks like \
             b84ee12a-09ef-421b-82de-0441a926375b, as at the end of the release's page address"
        )))
    }
}

/// A MusicBrainz redirect kept on the server we were told to use: a merged id's `Location` may
/// name musicbrainz.org itself, which must not pull a look-up away from a configured mirror (or
/// a test's fake) onto another server.
fn same_origin(target: &str, base: &str) -> String {
    match (url::Url::parse(target), url::Url::parse(base)) {
        (Ok(target), Ok(base)) if target.origin() != base.origin() => {
            let mut kept = base.clone();
            // The part after the service root (`/ws/2`) is the same on every server.
            let root = base.path().trim_end_matches('/');
            let path = target.path();
            let rest = path.find("/ws/2").map_or(path, |at| &path[at + 5..]);
            kept.set_path(&format!("{root}{rest}"));
            kept.set_query(target.query());
            kept.to_string()
        }
        _ => target.to_owned(),
    }
}

/// A Location header against the URL that sent it (it may be relative).
fn resolve(base: &str, location: &str) -> Result<String> {
    url::Url::parse(base)
        .and_then(|b| b.join(location))
        .map(String::from)
        .map_err(|_| Error::Catalog(format!("a redirect to {location:?} could not be followed")))
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| {
                format!(
                    "{h}{}",
                    u.port().map(|p| format!(":{p}")).unwrap_or_default()
                )
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

/// The service's error text, short: MusicBrainz sends `{"error": "..."}`.
fn summary(text: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    parsed
        .as_ref()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| text.trim().chars().take(200).collect())
}

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_agent_names_the_app_its_version_and_a_contact() {
        let config = CatalogConfig {
            musicbrainz_url: DEFAULT_MUSICBRAINZ_URL.into(),
            coverart_url: DEFAULT_COVERART_URL.into(),
            contact: "fan@example.org".into(),
            country: None,
            timeout: Duration::from_secs(1),
        };
        assert_eq!(
            config.user_agent(),
            format!("Cuesheet/{} ( fan@example.org )", env!("CARGO_PKG_VERSION"))
        );
        assert!(env!("CARGO_PKG_HOMEPAGE").starts_with("https://"));
    }

    #[test]
    fn countries_come_from_the_locale() {
        assert_eq!(country_of_locale("en_GB.UTF-8").as_deref(), Some("GB"));
        assert_eq!(country_of_locale("de_DE@euro").as_deref(), Some("DE"));
        assert_eq!(country_of_locale("pt-br").as_deref(), Some("BR"));
        assert_eq!(country_of_locale("C.UTF-8"), None);
        assert_eq!(country_of_locale("POSIX"), None);
    }

    #[test]
    fn mbids_are_checked_and_taken_from_page_addresses() {
        let id = "b84ee12a-09ef-421b-82de-0441a926375b";
        assert_eq!(check_mbid(id).unwrap(), id);
        assert_eq!(
            check_mbid(&format!(
                "https://musicbrainz.org/release/{}/",
                id.to_uppercase()
            ))
            .unwrap(),
            id
        );
        for bad in [
            "",
            "12345",
            "b84ee12a-09ef-421b-82de-0441a926375",
            "../etc/passwd",
        ] {
            assert!(
                matches!(check_mbid(bad), Err(Error::InvalidInput(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn contact_emails_are_checked_and_saved() {
        let conn = crate::db::open_in_memory().unwrap();
        assert_eq!(contact_setting(&conn).unwrap(), None);
        assert!(set_contact(&conn, Some("not an email")).is_err());
        assert!(set_contact(&conn, Some("a@b")).is_err());
        assert_eq!(contact_setting(&conn).unwrap(), None);
        set_contact(&conn, Some(" fan@example.org ")).unwrap();
        assert_eq!(
            contact_setting(&conn).unwrap().as_deref(),
            Some("fan@example.org")
        );
        let config = CatalogConfig::load(Some(&conn)).unwrap();
        assert!(config.user_agent().ends_with("( fan@example.org )"));
        set_contact(&conn, None).unwrap();
        assert_eq!(contact_setting(&conn).unwrap(), None);
    }

    #[test]
    fn musicbrainz_redirects_stay_on_the_configured_server() {
        assert_eq!(
            same_origin(
                "https://musicbrainz.org/ws/2/release/abc?inc=media&fmt=json",
                "http://127.0.0.1:9/ws/2"
            ),
            "http://127.0.0.1:9/ws/2/release/abc?inc=media&fmt=json"
        );
        assert_eq!(
            same_origin(
                "http://127.0.0.1:9/ws/2/release/abc",
                "http://127.0.0.1:9/ws/2"
            ),
            "http://127.0.0.1:9/ws/2/release/abc"
        );
    }

    #[test]
    fn relative_redirects_resolve_against_the_sender() {
        assert_eq!(
            resolve("http://127.0.0.1:5/release/x/front-500", "/img/x.jpg").unwrap(),
            "http://127.0.0.1:5/img/x.jpg"
        );
        assert_eq!(
            resolve("http://a/x", "https://ia.example/download/x.jpg").unwrap(),
            "https://ia.example/download/x.jpg"
        );
    }
}
