//! The fake MusicBrainz and Cover Art Archive keep the services' rules, checked with a plain
//! HTTP client (not the app's): a fake that agreed with our client's mistakes would prove
//! nothing.

use std::time::Duration;

use cuesheet_tests::fake_musicbrainz::{FakeMusicBrainz, Host};

const AGENT: &str = "FakeCheck/1.0 ( https://example.org/check )";

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

fn status(result: Result<ureq::Response, ureq::Error>) -> (u16, String, Option<String>) {
    match result {
        Ok(r) => {
            let location = r.header("location").map(str::to_owned);
            (r.status(), r.into_string().unwrap_or_default(), location)
        }
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default(), None),
        Err(e) => panic!("transport error: {e}"),
    }
}

fn pause() {
    std::thread::sleep(Duration::from_millis(1050));
}

#[test]
fn musicbrainz_refuses_generic_agents_and_fast_clients() {
    let fake = FakeMusicBrainz::start();
    let url = format!(
        "{}/release?query=release:(clerks)&fmt=json",
        fake.musicbrainz_url()
    );
    // ureq's own User-Agent is a library default: blocked.
    let (code, body, _) = status(agent().get(&url).call());
    assert_eq!(code, 403, "{body}");
    pause();
    let (code, _, _) = status(agent().get(&url).set("User-Agent", AGENT).call());
    assert_eq!(code, 200);
    // At once again: too fast.
    let (code, body, _) = status(agent().get(&url).set("User-Agent", AGENT).call());
    assert_eq!(code, 503, "{body}");
    pause();
    let (code, _, _) = status(agent().get(&url).set("User-Agent", AGENT).call());
    assert_eq!(code, 200);
}

#[test]
fn searches_need_escaped_lucene_and_json_and_score_their_hits() {
    let fake = FakeMusicBrainz::start();
    let get = |query: &str, fmt: &str| {
        pause();
        let url = format!(
            "{}/release?query={}{fmt}",
            fake.musicbrainz_url(),
            url_encode(query)
        );
        status(agent().get(&url).set("User-Agent", AGENT).call())
    };
    let (code, body, _) = get("release:(the crow: city of angels)", "&fmt=json");
    assert_eq!(code, 400, "an unescaped colon is a syntax error: {body}");
    let (code, body, _) = get(
        r"release:(the crow\: city of angels) AND secondarytype:soundtrack",
        "&fmt=json",
    );
    assert_eq!(code, 200);
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = &answer["releases"][0];
    assert!(first["title"]
        .as_str()
        .unwrap()
        .starts_with("The Crow: City of Angels"));
    assert!(first["score"].as_u64().unwrap() > answer["releases"][5]["score"].as_u64().unwrap());
    assert!(first["track-count"].is_number() && first["release-group"]["id"].is_string());
    let (code, body, _) = get("release:(clerks)", "");
    assert_eq!(code, 200);
    assert!(body.starts_with("<?xml"), "XML without fmt=json");
}

#[test]
fn lookups_honour_inc_and_merged_ids_answer_301_with_the_new_release() {
    let fake = FakeMusicBrainz::start();
    let (old, new) = fake
        .catalogue()
        .merged
        .iter()
        .next()
        .map(|(a, b)| (a.clone(), b.clone()))
        .unwrap();
    let url =
        |id: &str, inc: &str| format!("{}/release/{id}?inc={inc}&fmt=json", fake.musicbrainz_url());
    let (code, body, location) = status(
        agent()
            .get(&url(&old, "recordings+isrcs+artist-credits"))
            .set("User-Agent", AGENT)
            .call(),
    );
    assert_eq!(code, 301);
    assert!(location.unwrap().contains(&new));
    let release: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(release["id"], new.as_str());
    let track = &release["media"][0]["tracks"][0];
    assert!(track["recording"]["isrcs"][0].is_string());
    assert!(
        release.get("label-info").is_none(),
        "labels were not asked for"
    );
    pause();
    let (code, body, _) = status(
        agent()
            .get(&url(&new, "recordings+colours"))
            .set("User-Agent", AGENT)
            .call(),
    );
    assert_eq!(code, 400, "{body}");
}

#[test]
fn the_cover_art_archive_redirects_to_the_image_host_or_says_404() {
    let fake = FakeMusicBrainz::start();
    fake.faults().image_error_every = 2;
    let with = fake.catalogue().releases.iter().find(|r| r.front).unwrap();
    let without = fake.catalogue().releases.iter().find(|r| !r.front).unwrap();
    let (code, _, location) = status(
        agent()
            .get(&format!(
                "{}/release/{}/front-500",
                fake.coverart_url(),
                with.id
            ))
            .call(),
    );
    assert_eq!(code, 307);
    let image_url = location.unwrap();
    assert!(
        !image_url.starts_with(&fake.coverart_url()),
        "a separate host"
    );
    let first = agent().get(&image_url).call().unwrap();
    assert_eq!(first.content_type(), "image/jpeg");
    let (code, _, _) = status(agent().get(&image_url).call());
    assert_eq!(code, 500, "every second image request fails here");
    let (code, _, _) = status(
        agent()
            .get(&format!(
                "{}/release/{}/front-500",
                fake.coverart_url(),
                without.id
            ))
            .call(),
    );
    assert_eq!(code, 404);
    let hosts: Vec<Host> = fake.requests().iter().map(|r| r.host).collect();
    assert_eq!(
        hosts,
        [Host::CoverArt, Host::Images, Host::Images, Host::CoverArt]
    );
}

fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
