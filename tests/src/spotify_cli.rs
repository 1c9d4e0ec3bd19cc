//! Driving `cuesheet spotify …` against the fake Spotify as a person would: the CLI with the
//! fake's addresses in its environment, and a login whose "browser" is a few raw HTTP requests
//! (a favicon, a forged callback, then Spotify's real redirect).
//!
//! Shared by the CLI tests and the window tests (which log in through the CLI, since a test
//! cannot click in a real browser). It must not read the app's files to fake a login.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::cli_command;
use crate::fake_spotify::FakeSpotify;

pub const CLIENT_ID: &str = "0123456789abcdef0123456789abcdef";

/// The CLI pointed at the fake, with tokens in a file and short time-outs.
pub fn spotify_command(dir: &Path, fake: &FakeSpotify, args: &[&str]) -> Command {
    let mut command = cli_command(dir, args);
    command
        .env("CUESHEET_SPOTIFY_API_URL", fake.api_url())
        .env("CUESHEET_SPOTIFY_ACCOUNTS_URL", fake.accounts_url())
        .env("CUESHEET_SPOTIFY_CLIENT_ID", CLIENT_ID)
        .env("CUESHEET_TOKEN_STORE", "file")
        .env("CUESHEET_SPOTIFY_TIMEOUT_SECS", "3")
        .env("CUESHEET_SPOTIFY_LOGIN_TIMEOUT_SECS", "20")
        .env("CUESHEET_LOG", "trace");
    command
}

pub fn spotify(dir: &Path, fake: &FakeSpotify, args: &[&str]) -> Output {
    spotify_command(dir, fake, args)
        .output()
        .expect("cuesheet runs")
}

pub fn spotify_json(dir: &Path, fake: &FakeSpotify, args: &[&str]) -> Value {
    let output = spotify(dir, fake, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A bare HTTP GET that does not follow redirects: returns the status line's code and the
/// `Location` header and body.
pub fn http_get(url: &str) -> (u16, Option<String>, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("location:"))
        .map(|l| l[9..].trim().to_string());
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, location, body)
}

pub fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Logs in as a person would, with a browser that first sends the strays real browsers send.
pub fn log_in(dir: &Path, fake: &FakeSpotify) -> Output {
    let mut child = spotify_command(dir, fake, &["spotify", "login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    assert!(url.starts_with(&fake.accounts_url()), "{url}");
    assert_eq!(
        query_value(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    let redirect_uri = query_value(&url, "redirect_uri").unwrap();
    assert!(
        redirect_uri.starts_with("http://127.0.0.1:"),
        "{redirect_uri}"
    );
    let listener = redirect_uri
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // The listener is bound to 127.0.0.1 only: this machine's other addresses refuse the port.
    let port = listener.rsplit(':').next().unwrap();
    for address in non_loopback_addresses() {
        assert!(
            TcpStream::connect(format!("{address}:{port}")).is_err(),
            "the login listener answers on {address}"
        );
    }
    // A favicon request and a forged callback are answered and ignored.
    let (status, _, _) = http_get(&format!("http://{listener}/favicon.ico"));
    assert_eq!(status, 404);
    let (status, _, _) = http_get(&format!("{redirect_uri}?code=forged&state=wrong"));
    assert_eq!(status, 400);
    // The browser at Spotify: the fake redirects back with the code and our state.
    let (status, location, _) = http_get(&url);
    assert_eq!(status, 303, "authorize redirects");
    let location = location.expect("a Location header");
    let (status, _, body) = http_get(&location);
    assert_eq!(status, 200);
    assert!(body.contains("close this tab"), "{body}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "login: {}", stderr(&output));
    // Nothing listens once the login is over.
    assert!(TcpStream::connect(&listener).is_err(), "listener closed");
    Output {
        stdout: [url.into_bytes(), b"\n".to_vec(), rest.into_bytes()].concat(),
        ..output
    }
}

/// The machine's IPv4 addresses other than loopback (from `hostname -I`; none if it is absent).
fn non_loopback_addresses() -> Vec<String> {
    Command::new("hostname")
        .arg("-I")
        .output()
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .filter(|a| a.contains('.') && !a.starts_with("127."))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// An Exportify CSV of `count` songs carrying their Spotify URIs (so nothing is searched), every
/// 40th repeating an earlier song on purpose; returns it with the URIs in order.
pub fn exportify_csv(fake: &FakeSpotify, count: usize) -> (String, Vec<String>) {
    let catalogue: Vec<crate::fake_spotify::FakeTrack> =
        fake.catalogue().into_iter().filter(|t| !t.decoy).collect();
    let mut csv = String::from(
        "\"Track URI\",\"Track Name\",\"Artist URI(s)\",\"Artist Name(s)\",\"Album URI\",\"Album Name\",\"Album Artist URI(s)\",\"Album Artist Name(s)\",\"Album Release Date\",\"Album Image URL\",\"Disc Number\",\"Track Number\",\"Track Duration (ms)\",\"Track Preview URL\",\"Explicit\",\"Popularity\",\"ISRC\",\"Added By\",\"Added At\"\n",
    );
    let mut uris = Vec::new();
    for i in 0..count {
        // Duplicates must survive an export.
        let track = if i % 40 == 39 {
            &catalogue[i / 2 % catalogue.len()]
        } else {
            &catalogue[i % catalogue.len()]
        };
        uris.push(track.uri());
        csv.push_str(&format!(
            "\"{}\",\"{}\",\"\",\"{}\",\"\",\"{}\",\"\",\"\",\"\",\"\",\"1\",\"1\",\"{}\",\"\",\"false\",\"0\",\"\",\"\",\"\"\n",
            track.uri(),
            track.name.replace('"', "\"\""),
            track.artists.join(", ").replace('"', "\"\""),
            track.album.replace('"', "\"\""),
            track.duration_ms
        ));
    }
    (csv, uris)
}

pub fn import_csv(dir: &Path, csv: &str, name: &str) -> String {
    let file = dir.join(format!("{name}.csv"));
    std::fs::write(&file, csv).unwrap();
    let imported = crate::cli_json(
        dir,
        &["import", file.to_str().unwrap(), "--name", name, "--json"],
    );
    let id = imported[0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("an imported playlist id in {imported}"));
    id.to_string()
}

/// Imports [`exportify_csv`]`(fake, count)` as the playlist `name`; returns its id and the URIs
/// in order.
pub fn import_exportify(
    dir: &Path,
    fake: &FakeSpotify,
    count: usize,
    name: &str,
) -> (String, Vec<String>) {
    let (csv, uris) = exportify_csv(fake, count);
    (import_csv(dir, &csv, name), uris)
}
