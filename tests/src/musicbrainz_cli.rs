//! Running the `cuesheet` binary against the fake MusicBrainz (tests/support/fake_musicbrainz)
//! and checking that it behaved as a guest there: shared by every test that looks things up.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::cli_command;
use crate::fake_musicbrainz::{FakeMusicBrainz, Host};

/// What points Cuesheet (the CLI or the window) at the fake, in a locale with a country.
pub fn fake_env(fake: &FakeMusicBrainz) -> Vec<(&'static str, String)> {
    vec![
        ("CUESHEET_MUSICBRAINZ_URL", fake.musicbrainz_url()),
        ("CUESHEET_COVERART_URL", fake.coverart_url()),
        ("LANG", "en_US.UTF-8".to_owned()),
    ]
}

/// `cuesheet ARGS` on `dir`, pointed at the fake.
pub fn mb_command(dir: &Path, fake: &FakeMusicBrainz, args: &[&str]) -> Command {
    let mut command = cli_command(dir, args);
    command
        .envs(fake_env(fake))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    command
}

pub fn mb(dir: &Path, fake: &FakeMusicBrainz, args: &[&str]) -> Output {
    mb_command(dir, fake, args).output().expect("cuesheet runs")
}

pub fn mb_json(dir: &Path, fake: &FakeMusicBrainz, args: &[&str]) -> Value {
    let output = mb(dir, fake, args);
    assert!(
        output.status.success(),
        "cuesheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// The fake never had to decline a request, and every MusicBrainz request named Cuesheet, its
/// version and a contact.
pub fn assert_good_citizen(fake: &FakeMusicBrainz) {
    let requests = fake.requests();
    assert!(!requests.is_empty(), "no request reached the fake");
    let declined: Vec<_> = requests.iter().filter(|r| r.status == 503).collect();
    assert!(declined.is_empty(), "requests came too fast: {declined:?}");
    for request in requests.iter().filter(|r| r.host == Host::MusicBrainz) {
        let agent = request.user_agent.as_deref().unwrap_or("");
        assert!(
            agent.starts_with(&format!("Cuesheet/{} ( ", env!("CARGO_PKG_VERSION")))
                && agent.ends_with(" )")
                && (agent.contains("https://") || agent.contains('@')),
            "User-Agent {agent:?}"
        );
    }
    // One request at a time, a second apart, measured where the fake received them.
    let times: Vec<_> = requests
        .iter()
        .filter(|r| r.host == Host::MusicBrainz)
        .map(|r| r.at)
        .collect();
    for pair in times.windows(2) {
        assert!(pair[1].duration_since(pair[0]).as_millis() >= 1000);
    }
}

pub fn musicbrainz_requests(fake: &FakeMusicBrainz) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.host == Host::MusicBrainz)
        .count()
}
