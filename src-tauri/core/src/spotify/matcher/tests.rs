//! Scoring and judging on hand-made candidates shaped like Spotify's: decoys, remasters,
//! namesakes, versions and spelling. Search planning is tested in `strategy`.

use super::*;

fn song(title: &str, artists: &[&str], album: Option<&str>, film: Option<&str>) -> SongQuery {
    SongQuery {
        title: title.to_owned(),
        artists: artists.iter().map(|a| (*a).to_owned()).collect(),
        album: album.map(str::to_owned),
        film: film.map(str::to_owned),
        duration_ms: None,
        isrc: None,
    }
}

fn cand(uri: &str, title: &str, artists: &[&str], album: &str, ms: Option<i64>) -> Candidate {
    Candidate {
        uri: uri.to_owned(),
        title: title.to_owned(),
        artists: artists.iter().map(|a| (*a).to_owned()).collect(),
        album: album.to_owned(),
        duration_ms: ms,
        isrc: None,
    }
}

fn big_empty() -> SongQuery {
    SongQuery {
        duration_ms: Some(294_000),
        ..song(
            "Big Empty",
            &["Stone Temple Pilots"],
            Some("The Crow: Original Motion Picture Soundtrack"),
            Some("The Crow"),
        )
    }
}

fn crush() -> SongQuery {
    SongQuery {
        duration_ms: Some(269_000),
        ..song(
            "#1 Crush",
            &["Garbage"],
            Some("William Shakespeare's Romeo + Juliet"),
            Some("Romeo + Juliet"),
        )
    }
}

fn would() -> SongQuery {
    SongQuery {
        duration_ms: Some(208_000),
        ..song(
            "Would?",
            &["Alice in Chains"],
            Some("Singles: Original Motion Picture Soundtrack"),
            Some("Singles"),
        )
    }
}

fn lust_for_life() -> SongQuery {
    SongQuery {
        duration_ms: Some(313_000),
        ..song(
            "Lust for Life",
            &["Iggy Pop"],
            Some("Trainspotting (Music from the Motion Picture)"),
            Some("Trainspotting"),
        )
    }
}

fn uri_of(j: &Judgement) -> &str {
    &j.best().expect("a best candidate").candidate.uri
}

#[test]
fn live_version_listed_first_loses_to_the_studio_original() {
    let live = cand(
        "spotify:track:live",
        "Big Empty - Live from MTV Unplugged, 1993",
        &["Stone Temple Pilots"],
        "Purple (Super Deluxe Edition)",
        Some(296_000),
    );
    let original = cand(
        "spotify:track:studio",
        "Big Empty - 2019 Remaster",
        &["Stone Temple Pilots"],
        "Purple (Super Deluxe Edition)",
        Some(294_500),
    );
    let j = judge(&big_empty(), &[live.clone(), original]);
    assert_eq!(j.verdict, Verdict::Matched);
    assert_eq!(uri_of(&j), "spotify:track:studio");
    assert_eq!(j.ranked[1].candidate.uri, "spotify:track:live");
    assert!(j.ranked[1].score < AUTO_THRESHOLD);
    assert!(j.ranked[0].score - j.ranked[1].score > 0.2);
    assert_ne!(judge(&big_empty(), &[live]).verdict, Verdict::Matched);
}

#[test]
fn karaoke_is_never_chosen_and_alone_is_never_matched() {
    let karaoke = cand(
        "spotify:track:karaoke",
        "#1 Crush (Karaoke Version)",
        &["The Karaoke Band"],
        "Karaoke Hits of the 90s, Vol. 3",
        Some(269_000),
    );
    let performed_by = cand(
        "spotify:track:performed",
        "#1 Crush (Originally Performed by Garbage)",
        &["The Karaoke Band"],
        "Ultimate 90s Party",
        Some(269_000),
    );
    // A karaoke track mis-credited to the band itself still is not the song.
    let miscredited = cand(
        "spotify:track:miscredited",
        "#1 Crush (In the Style of Garbage) [Karaoke Version]",
        &["Garbage"],
        "William Shakespeare's Romeo + Juliet",
        Some(269_000),
    );
    let original = cand(
        "spotify:track:original",
        "#1 Crush",
        &["Garbage"],
        "Romeo + Juliet (Music From The Motion Picture)",
        Some(268_000),
    );
    let all = [
        karaoke.clone(),
        performed_by.clone(),
        miscredited.clone(),
        original,
    ];
    let j = judge(&crush(), &all);
    assert_eq!(j.verdict, Verdict::Matched);
    assert_eq!(uri_of(&j), "spotify:track:original");
    for alone in [karaoke, performed_by, miscredited] {
        let j = judge(&crush(), std::slice::from_ref(&alone));
        assert_ne!(j.verdict, Verdict::Matched, "{}", alone.title);
        assert!(
            j.ranked[0].score < REVIEW_THRESHOLD,
            "{}: {}",
            alone.title,
            j.ranked[0].score
        );
    }
}

#[test]
fn a_cover_by_another_artist_alone_is_not_matched() {
    let marked = cand(
        "spotify:track:c1",
        "Would? (Cover)",
        &["The Grunge Revival"],
        "Seattle Covers",
        Some(208_000),
    );
    let unmarked = cand(
        "spotify:track:c2",
        "Would?",
        &["Dark Harbour"],
        "Rooftops",
        Some(208_000),
    );
    for cover in [marked, unmarked] {
        let j = judge(&would(), std::slice::from_ref(&cover));
        assert_eq!(j.verdict, Verdict::NotFound, "{}", cover.title);
    }
}

#[test]
fn a_remaster_of_the_right_song_is_matched() {
    let remaster = cand(
        "spotify:track:r",
        "Would? - 2022 Remaster",
        &["Alice In Chains"],
        "Dirt (Remastered)",
        Some(207_500),
    );
    let j = judge(&would(), std::slice::from_ref(&remaster));
    assert_eq!(j.verdict, Verdict::Matched);
    assert!(j.ranked[0].score >= 0.85);
    let plain = cand(
        "spotify:track:p",
        "Would?",
        &["Alice In Chains"],
        "Dirt",
        Some(207_500),
    );
    assert!((score(&would(), &remaster) - score(&would(), &plain)).abs() < 1e-9);
    let remastered_2011 = cand(
        "spotify:track:r2",
        "Would? (2011 Remaster)",
        &["Alice In Chains"],
        "Dirt",
        Some(207_500),
    );
    assert!((score(&would(), &remastered_2011) - score(&would(), &plain)).abs() < 1e-9);
}

#[test]
fn the_same_title_by_another_artist_is_not_found() {
    let angel = SongQuery {
        duration_ms: Some(379_000),
        ..song("Angel", &["Massive Attack"], Some("Snatch"), Some("Snatch"))
    };
    let shaggy = cand(
        "spotify:track:s",
        "Angel",
        &["Shaggy", "Rayvon"],
        "Hot Shot",
        Some(379_000),
    );
    let j = judge(&angel, &[shaggy]);
    assert_eq!(j.verdict, Verdict::NotFound);
    assert!(j.ranked[0].score < REVIEW_THRESHOLD - 0.05);
    // Another song by the right artist, on the right soundtrack, of the right length.
    let other = cand(
        "spotify:track:o",
        "Them Bones",
        &["Alice in Chains"],
        "Singles (Original Motion Picture Soundtrack)",
        Some(208_000),
    );
    assert_eq!(judge(&would(), &[other]).verdict, Verdict::NotFound);
}

#[test]
fn the_soundtrack_album_itself_is_matched_and_preferred_over_a_compilation() {
    let compilation = cand(
        "spotify:track:comp",
        "Big Empty",
        &["Stone Temple Pilots"],
        "90s Rock Anthems",
        Some(294_000),
    );
    let soundtrack = cand(
        "spotify:track:crow",
        "Big Empty",
        &["Stone Temple Pilots"],
        "The Crow (Original Motion Picture Soundtrack)",
        Some(294_000),
    );
    let j = judge(&big_empty(), &[compilation.clone(), soundtrack.clone()]);
    assert_eq!(j.verdict, Verdict::Matched);
    assert_eq!(uri_of(&j), "spotify:track:crow");
    assert!(j.ranked[0].score > j.ranked[1].score);
    // Named after the film only ("Romeo + Juliet" inside "William Shakespeare's ...").
    let romeo = cand(
        "spotify:track:rj",
        "#1 Crush",
        &["Garbage"],
        "William Shakespeare's Romeo + Juliet (Music From The Motion Picture)",
        Some(269_000),
    );
    let best_of = cand(
        "spotify:track:bo",
        "#1 Crush",
        &["Garbage"],
        "Absolute Garbage",
        Some(269_000),
    );
    assert!(score(&crush(), &romeo) > score(&crush(), &best_of));
    assert_eq!(score(&crush(), &romeo), 1.0);
}

#[test]
fn accents_curly_quotes_and_dashes_compare_equal() {
    assert_eq!(
        normalise("Don’t Look Back in Anger"),
        normalise("Don't Look Back In Anger")
    );
    assert_eq!(
        normalise("Don’t Look Back in Anger"),
        "dont look back in anger"
    );
    assert_eq!(normalise("Sigur Rós"), normalise("Sigur Ros"));
    assert_eq!(
        normalise("Yeah Yeah Yeahs — Maps"),
        normalise("Yeah Yeah Yeahs - Maps")
    );
    assert_eq!(
        normalise("Yeah Yeah Yeahs – Maps"),
        "yeah yeah yeahs - maps"
    );
    for dash in ['‐', '‑', '‒', '–', '—', '―'] {
        assert_eq!(normalise(&format!("a {dash} b")), "a - b");
    }
    assert_eq!(normalise("Romeo & Juliet"), "romeo and juliet");
    assert_eq!(normalise("  #1   Crush!  "), "1 crush");
    assert_eq!(
        normalise("Born Slippy .NUXX"),
        normalise("Born Slippy (Nuxx)")
    );

    let oasis = SongQuery {
        duration_ms: Some(287_000),
        ..song("Don’t Look Back in Anger", &["Oasis"], None, None)
    };
    let c = cand(
        "spotify:track:d",
        "Don't Look Back In Anger – Remastered",
        &["Oasis"],
        "(What's The Story) Morning Glory? (Remastered)",
        Some(288_000),
    );
    assert_eq!(judge(&oasis, &[c]).verdict, Verdict::Matched);

    let sigur = SongQuery {
        duration_ms: Some(270_000),
        ..song("Hoppípolla", &["Sigur Rós"], None, None)
    };
    let c = cand(
        "spotify:track:h",
        "Hoppipolla",
        &["Sigur Ros"],
        "Takk...",
        Some(271_000),
    );
    assert_eq!(score(&sigur, &c), 0.9);

    let maps = song("Maps", &["Yeah Yeah Yeahs"], None, None);
    let c = cand(
        "spotify:track:m",
        "Maps — 2013 Remaster",
        &["Yeah Yeah Yeahs"],
        "Fever to Tell",
        None,
    );
    assert_eq!(judge(&maps, &[c]).verdict, Verdict::Matched);
}

#[test]
fn featured_artists_do_not_hide_the_song() {
    let angel = SongQuery {
        duration_ms: Some(379_000),
        ..song("Angel", &["Massive Attack"], None, Some("Snatch"))
    };
    let c = cand(
        "spotify:track:a",
        "Angel (feat. Horace Andy)",
        &["Massive Attack", "Horace Andy"],
        "Mezzanine",
        Some(379_500),
    );
    let j = judge(&angel, &[c]);
    assert_eq!(j.verdict, Verdict::Matched);
    assert!(j.ranked[0].score >= 0.85);

    // Our side credits the guest in the title or the artist field instead.
    for ours in [
        song("Angel feat. Horace Andy", &["Massive Attack"], None, None),
        song("Angel (ft. Horace Andy)", &["Massive Attack"], None, None),
        song("Angel", &["Massive Attack feat. Horace Andy"], None, None),
    ] {
        let c = cand(
            "spotify:track:a",
            "Angel",
            &["Massive Attack"],
            "Mezzanine",
            None,
        );
        assert_eq!(
            judge(&ours, &[c]).verdict,
            Verdict::Matched,
            "{}",
            ours.title
        );
    }
}

#[test]
fn live_forever_is_not_a_live_version() {
    let oasis = SongQuery {
        duration_ms: Some(276_000),
        ..song("Live Forever", &["Oasis"], Some("Definitely Maybe"), None)
    };
    let studio = cand(
        "spotify:track:s",
        "Live Forever",
        &["Oasis"],
        "Definitely Maybe",
        Some(276_000),
    );
    let single = cand(
        "spotify:track:single",
        "Live Forever - Remastered",
        &["Oasis"],
        "Live Forever (Remastered)",
        Some(276_000),
    );
    let knebworth = cand(
        "spotify:track:k",
        "Live Forever - Live at Knebworth, 10 August '96",
        &["Oasis"],
        "Knebworth 1996 (Live)",
        Some(284_000),
    );
    assert_eq!(score(&oasis, &studio), 1.0);
    assert_eq!(score(&oasis, &single), 0.9);
    let j = judge(&oasis, &[knebworth.clone(), single, studio]);
    assert_eq!(j.verdict, Verdict::Matched);
    assert_eq!(uri_of(&j), "spotify:track:s");
    assert_eq!(j.ranked[2].candidate.uri, "spotify:track:k");
    assert!(score(&oasis, &knebworth) < AUTO_THRESHOLD);
}

#[test]
fn a_far_off_duration_is_not_matched_automatically() {
    let slippy = SongQuery {
        duration_ms: Some(584_000),
        ..song(
            "Born Slippy .NUXX",
            &["Underworld"],
            Some("Trainspotting"),
            Some("Trainspotting"),
        )
    };
    let extended = cand(
        "spotify:track:x",
        "Born Slippy (Nuxx)",
        &["Underworld"],
        "Born Slippy",
        Some(674_000),
    );
    let j = judge(&slippy, std::slice::from_ref(&extended));
    assert_ne!(j.verdict, Verdict::Matched);
    assert!(j.ranked[0].score < AUTO_THRESHOLD - 0.1);
    let close = Candidate {
        duration_ms: Some(585_000),
        ..extended
    };
    assert_eq!(judge(&slippy, &[close]).verdict, Verdict::Matched);
}

fn song_with(title: &str, artists: &[&str]) -> SongQuery {
    song(title, artists, None, None)
}

#[test]
fn an_equal_isrc_is_certain_unless_the_version_is_unwanted() {
    let ours = SongQuery {
        isrc: Some("USVI29600013".to_owned()),
        duration_ms: None,
        ..lust_for_life()
    };
    let same = Candidate {
        isrc: Some("usvi29600013".to_owned()),
        ..cand(
            "spotify:track:i",
            "Lust For Life",
            &["Iggy Pop"],
            "Lust For Life",
            None,
        )
    };
    let j = judge(&ours, &[same]);
    assert_eq!(j.verdict, Verdict::Matched);
    assert_eq!(j.ranked[0].score, 1.0);
    let live = Candidate {
        isrc: Some("USVI29600013".to_owned()),
        ..cand(
            "spotify:track:l",
            "Lust for Life - Live",
            &["Iggy Pop"],
            "Lust For Life",
            None,
        )
    };
    assert!(score(&ours, &live) < AUTO_THRESHOLD);
}

#[test]
fn a_from_soundtrack_suffix_on_the_candidate_is_ignored() {
    let plain = cand(
        "spotify:track:p",
        "Lust for Life",
        &["Iggy Pop"],
        "Lust For Life",
        Some(313_000),
    );
    let base = score(&lust_for_life(), &plain);
    for title in [
        "Lust for Life - From \"Trainspotting\" Soundtrack",
        "Lust for Life (From \"Trainspotting\")",
        "Lust for Life (From the Motion Picture \"Trainspotting\")",
        "Lust for Life - Original Soundtrack Version",
        "Lust for Life (Soundtrack Version) [Mono]",
        "Lust for Life - Single Version",
        "Lust for Life - Radio Edit",
    ] {
        let c = Candidate {
            title: title.to_owned(),
            ..plain.clone()
        };
        assert!((score(&lust_for_life(), &c) - base).abs() < 1e-9, "{title}");
        assert_eq!(
            judge(&lust_for_life(), &[c]).verdict,
            Verdict::Matched,
            "{title}"
        );
    }
    // "Live and Let Die" in the film name is not a live version.
    let bond = song(
        "Live and Let Die",
        &["Wings"],
        None,
        Some("Live and Let Die"),
    );
    let c = cand(
        "spotify:track:b",
        "Live And Let Die - From \"Live And Let Die\" Soundtrack",
        &["Paul McCartney & Wings"],
        "Live and Let Die (Original Motion Picture Soundtrack)",
        None,
    );
    assert!(score(&bond, &c) >= 0.85);
}

#[test]
fn judge_ranks_dedups_and_caps() {
    let mut candidates = vec![
        cand(
            "spotify:track:a",
            "Lust for Life - Live",
            &["Iggy Pop"],
            "Live",
            Some(330_000),
        ),
        cand(
            "spotify:track:b",
            "Lust for Life",
            &["Iggy Pop"],
            "Lust For Life",
            Some(313_000),
        ),
        cand(
            "spotify:track:b",
            "Lust for Life",
            &["Iggy Pop"],
            "Lust For Life",
            Some(313_000),
        ),
        cand(
            "spotify:track:c",
            "Lust for Life",
            &["The Prodigy"],
            "Covers",
            Some(313_000),
        ),
        cand(
            "spotify:track:d",
            "The Passenger",
            &["Iggy Pop"],
            "Lust For Life",
            Some(284_000),
        ),
        cand(
            "spotify:track:e",
            "Lust for Life (Remix)",
            &["Iggy Pop"],
            "Remixes",
            Some(313_000),
        ),
        cand(
            "spotify:track:f",
            "Lust for Life",
            &["Iggy Pop"],
            "Trainspotting",
            Some(313_000),
        ),
    ];
    candidates.push(candidates[0].clone());
    let j = judge(&lust_for_life(), &candidates);
    assert_eq!(j.ranked.len(), 5);
    assert_eq!(j.verdict, Verdict::Matched);
    assert!(is_confident(&j));
    assert_eq!(uri_of(&j), "spotify:track:f");
    assert_eq!(j.ranked[1].candidate.uri, "spotify:track:b");
    assert!(j.ranked.windows(2).all(|w| w[0].score >= w[1].score));
    let uris: HashSet<&str> = j.ranked.iter().map(|s| s.candidate.uri.as_str()).collect();
    assert_eq!(uris.len(), j.ranked.len());
    assert!(j.ranked.iter().all(|s| (0.0..=1.0).contains(&s.score)));

    let empty = judge(&lust_for_life(), &[]);
    assert_eq!(empty.verdict, Verdict::NotFound);
    assert!(empty.best().is_none());
    assert!(!is_confident(&empty));
}

#[test]
fn unwanted_versions_rank_below_the_original() {
    let original = cand(
        "spotify:track:o",
        "Would?",
        &["Alice in Chains"],
        "Dirt",
        Some(208_000),
    );
    let base = score(&would(), &original);
    assert!(base >= AUTO_THRESHOLD);
    let variants = [
        ("Would? - Instrumental", "Alice in Chains", "Dirt"),
        ("Would? (Acoustic)", "Alice in Chains", "Dirt"),
        ("Would? - Demo", "Alice in Chains", "Dirt"),
        ("Would? (Sped Up)", "Alice in Chains", "Dirt"),
        ("Would? - Slowed + Reverb", "Alice in Chains", "Dirt"),
        ("Would? (Extended Mix)", "Alice in Chains", "Dirt"),
        ("Would?", "Alice in Chains", "MTV Unplugged"),
        ("Would?", "Alice in Chains", "Live at the Moore"),
        ("Would?", "Various Artists", "A Tribute to Alice in Chains"),
        ("Would?", "8-Bit Arcade", "8-Bit Grunge"),
        (
            "Would?",
            "Rockabye Baby!",
            "Lullaby Renditions of Alice in Chains",
        ),
        ("Would? (Nightcore)", "Nightcore Nation", "Nightcore Hits"),
    ];
    for (title, artist, album) in variants {
        let c = cand("spotify:track:v", title, &[artist], album, Some(208_000));
        let s = score(&would(), &c);
        assert!(
            s < AUTO_THRESHOLD && s < base - 0.2,
            "{title} / {artist} / {album}: {s}"
        );
    }
}

#[test]
fn a_song_that_names_its_version_wants_that_version() {
    let ours = SongQuery {
        duration_ms: Some(270_000),
        ..song("Big Empty (Acoustic)", &["Stone Temple Pilots"], None, None)
    };
    let acoustic = cand(
        "spotify:track:ac",
        "Big Empty - Acoustic Version",
        &["Stone Temple Pilots"],
        "Purple (Super Deluxe Edition)",
        Some(270_000),
    );
    let studio = cand(
        "spotify:track:st",
        "Big Empty",
        &["Stone Temple Pilots"],
        "Purple",
        Some(270_000),
    );
    let j = judge(&ours, &[studio, acoustic]);
    assert_eq!(uri_of(&j), "spotify:track:ac");
    assert_eq!(j.verdict, Verdict::Matched);
    assert!(j.ranked[1].score < AUTO_THRESHOLD);
}

#[test]
fn near_titles_and_unknown_durations() {
    // Exact title and artist with nothing else known still match.
    let bare = song_with("Would?", &["Alice in Chains"]);
    let c = cand(
        "spotify:track:w",
        "Would?",
        &["Alice in Chains"],
        "Dirt",
        None,
    );
    assert_eq!(judge(&bare, &[c]).verdict, Verdict::Matched);
    // A one-letter different title by the same artist is for the curator, not automatic.
    let c = cand(
        "spotify:track:w",
        "World",
        &["Alice in Chains"],
        "Dirt",
        Some(208_000),
    );
    assert_ne!(judge(&would(), &[c]).verdict, Verdict::Matched);
    let angel = SongQuery {
        duration_ms: Some(379_000),
        ..song_with("Angel", &["Massive Attack"])
    };
    let c = cand(
        "spotify:track:x",
        "Angels",
        &["Massive Attack"],
        "Mezzanine",
        Some(379_000),
    );
    assert_eq!(judge(&angel, &[c]).verdict, Verdict::Doubtful);
}
