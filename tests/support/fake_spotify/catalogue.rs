//! The fake's catalogue, seeded from the project's starter list with decoys, and the ids,
//! secrets and clock it stamps things with.

use super::*;

// ---------------------------------------------------------------------------------------------
// Catalogue seed

pub(super) const UNKNOWN_ARTIST: &str = "Unknown Artist";

/// The starter catalogue the app seeds, embedded from the project's own copy.
pub const STARTER_CATALOG: &str = include_str!("../../../src-tauri/core/starter-catalog.json");

/// The starter catalogue's songs as they would be on Spotify (every 17th one missing, as some
/// songs are), with decoys for every third, plus a few hand-made cases. Returns the tracks and
/// the release year of each album.
pub(super) fn seed_catalogue() -> (Vec<FakeTrack>, HashMap<String, String>) {
    // The project's own copy (the one the binary embeds), so a plain clone builds the same
    // catalogue; a missing or broken file fails the build or the first test, never silently.
    let starter: Value = serde_json::from_str(STARTER_CATALOG)
        .expect("src-tauri/core/starter-catalog.json is valid JSON");
    let mut tracks = Vec::new();
    let mut years = HashMap::new();
    let mut seen_ids = HashSet::new();
    let mut push = |tracks: &mut Vec<FakeTrack>, mut track: FakeTrack, kind: &str| {
        // The starter list may hold the same song twice; keep ids unique anyway.
        let mut salt = 0;
        while !seen_ids.insert(track.id.clone()) {
            salt += 1;
            track.id = track_id(
                &track.name,
                &track.artists,
                &track.album,
                &format!("{kind}{salt}"),
            );
        }
        tracks.push(track);
    };

    let mut n = 0_u32;
    for soundtrack in starter["soundtracks"].as_array().into_iter().flatten() {
        let album = soundtrack["album_title"]
            .as_str()
            .or_else(|| soundtrack["film"].as_str())
            .unwrap_or("Soundtrack")
            .to_owned();
        if let Some(year) = soundtrack["album_year"]
            .as_u64()
            .or_else(|| soundtrack["film_year"].as_u64())
        {
            years.insert(album.clone(), year.to_string());
        }
        for song in soundtrack["tracks"].as_array().into_iter().flatten() {
            n += 1;
            if n % 17 == 0 {
                continue;
            }
            let Some(name) = song["title"].as_str() else {
                continue;
            };
            let mut artists: Vec<String> = song["artists"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            if artists.is_empty() {
                // Every Spotify track has an artist; the starter list does not always say who.
                artists.push(UNKNOWN_ARTIST.to_owned());
            }
            let duration_ms = song["duration_s"].as_u64().map_or(200_000, |s| s * 1000);
            let isrc = song["isrc"]
                .as_str()
                .map_or_else(|| format!("USFAKE{n:06}"), str::to_owned);
            let original = FakeTrack {
                id: track_id(name, &artists, &album, "original"),
                name: name.to_owned(),
                artists: artists.clone(),
                album: album.clone(),
                duration_ms,
                isrc: Some(isrc),
                decoy: false,
            };
            push(&mut tracks, original, "original");
            if n % 3 == 0 {
                for decoy in decoys_of(name, &artists, duration_ms, n) {
                    push(&mut tracks, decoy, "decoy");
                }
            }
        }
    }
    for (album, year) in [
        ("Live at Somewhere", "2001"),
        ("Karaoke Hits Vol. 3", "2012"),
        ("Tribute to the 90s", "2018"),
        ("Greatest Hits (2011 Remaster)", "2011"),
        ("Open Water", "2004"),
    ] {
        years.insert(album.to_owned(), year.to_owned());
    }
    if tracks.len() < 2 {
        // No starter file: two originals for the hand-made cases to lean on.
        let album = "Singles: Original Motion Picture Soundtrack";
        years.insert(album.to_owned(), "1992".to_owned());
        for (i, (name, artist, seconds)) in [
            ("Would?", "Alice in Chains", 207),
            ("Breath", "Pearl Jam", 325),
        ]
        .into_iter()
        .enumerate()
        {
            let artists = vec![artist.to_owned()];
            let track = FakeTrack {
                id: track_id(name, &artists, album, "original"),
                name: name.to_owned(),
                artists,
                album: album.to_owned(),
                duration_ms: seconds * 1000,
                isrc: Some(format!("USFAKE{:06}", i + 1)),
                decoy: false,
            };
            push(&mut tracks, track, "original");
        }
    }
    let (first, second) = (tracks[0].clone(), tracks[1].clone());
    // A remaster on another album is an acceptable match for the original.
    let remaster_name = format!("{} - Remastered 2011", first.name);
    let remaster_album = "Greatest Hits (2011 Remaster)".to_owned();
    let remaster = FakeTrack {
        id: track_id(&remaster_name, &first.artists, &remaster_album, "remaster"),
        name: remaster_name,
        artists: first.artists.clone(),
        album: remaster_album,
        duration_ms: first.duration_ms + 2000,
        isrc: Some("GBFAKE000001".into()),
        decoy: false,
    };
    push(&mut tracks, remaster, "remaster");
    // A different song that happens to share the title: a wrong match, so a decoy.
    let namesake_artists = vec!["Nova Harbor".to_owned()];
    let namesake = FakeTrack {
        id: track_id(&second.name, &namesake_artists, "Open Water", "namesake"),
        name: second.name.clone(),
        artists: namesake_artists,
        album: "Open Water".into(),
        duration_ms: 231_000,
        isrc: Some("USNOVA000001".into()),
        decoy: true,
    };
    push(&mut tracks, namesake, "namesake");
    (tracks, years)
}

/// The live, karaoke and cover versions that trail every third original.
pub(super) fn decoys_of(
    name: &str,
    artists: &[String],
    duration_ms: u64,
    n: u32,
) -> Vec<FakeTrack> {
    let make = |name: String, artists: Vec<String>, album: &str, duration_ms: u64, isrc: String| {
        FakeTrack {
            id: track_id(&name, &artists, album, "decoy"),
            name,
            artists,
            album: album.to_owned(),
            duration_ms,
            isrc: Some(isrc),
            decoy: true,
        }
    };
    vec![
        make(
            format!("{name} - Live"),
            artists.to_vec(),
            "Live at Somewhere",
            duration_ms + 25_000,
            format!("USLIVE{n:06}"),
        ),
        make(
            format!("{name} (Karaoke Version)"),
            vec!["The Karaoke Band".to_owned()],
            "Karaoke Hits Vol. 3",
            duration_ms,
            format!("USKARA{n:06}"),
        ),
        make(
            name.to_owned(),
            vec!["The Cover Collective".to_owned()],
            "Tribute to the 90s",
            duration_ms.saturating_sub(7000),
            format!("USCOVR{n:06}"),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Ids, secrets and time

pub(super) const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A stable 22-character base62 id for a catalogue track.
pub(super) fn track_id(name: &str, artists: &[String], album: &str, kind: &str) -> String {
    let artists = artists.join("\u{1f}");
    base62_id(&["track", kind, name, &artists, album])
}

/// 22 base62 characters from a hash of `parts`: the same parts always give the same id.
pub(super) fn base62_id(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(22)
        .map(|b| char::from(BASE62[usize::from(*b) % BASE62.len()]))
        .collect()
}

/// Unpredictable enough for a fake: a process-wide counter, the clock and the process id, hashed.
/// Each server must refuse the others' tokens, so these are not derived from anything shared.
pub(super) fn fresh_bytes() -> [u8; 32] {
    pub(super) static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(count.to_le_bytes());
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.finalize().into()
}

pub(super) fn fresh_base62() -> String {
    let bytes = fresh_bytes();
    base62_id(&[&URL_SAFE_NO_PAD.encode(bytes)])
}

/// `prefix` then base64url characters, `len` in all (tokens, codes and snapshot ids look so).
pub(super) fn fresh_secret(prefix: &str, len: usize) -> String {
    let mut out = prefix.to_owned();
    while out.len() < len {
        out.push_str(&URL_SAFE_NO_PAD.encode(fresh_bytes()));
    }
    out.truncate(len);
    out
}

/// Now as `2026-03-01T12:34:56Z`.
pub(super) fn iso_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
