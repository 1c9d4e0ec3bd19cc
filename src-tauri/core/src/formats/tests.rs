use super::*;

fn tricky() -> PlaylistFile {
    let entry = |title: &str, artists: &[&str]| Entry {
        title: title.into(),
        artists: artists.iter().map(|a| (*a).to_owned()).collect(),
        ..Entry::default()
    };
    let mut would = entry("Would?", &["Alice in Chains"]);
    would.album = Some("Singles: Original Motion Picture Soundtrack".into());
    would.duration_ms = Some(207_123);
    would.spotify_uri = Some("spotify:track:5sFDReWLrZHLFZFjHsjUTS".into());
    would.isrc = Some("USSM19200612".into());
    would.notes = "Opening credits; \"the\" song, line two\nand a second line".into();
    would.film = Some("Singles".into());
    would.rating = Some(9);
    would.tags = vec!["grunge".into(), "Seattle; 1992".into()];
    let mut csn = entry("Suite: Judy Blue Eyes", &["Crosby, Stills & Nash"]);
    csn.album = Some("Crosby, Stills & Nash".into());
    let semicolons = entry(
        "A; B \"quoted\", C",
        &["Artist; with; semicolons", "Second \\, Artist"],
    );
    let japanese = entry("夢で逢えたら", &["大瀧詠一"]);
    let accents = entry("Hoppípolla", &["Sigur Rós"]);
    let no_artist = entry("Habanera", &[]);
    PlaylistFile {
        name: Some("Mix: “Grunge” & more".into()),
        description: None,
        // The same song twice on purpose: duplicates are kept in order.
        entries: vec![
            would.clone(),
            csn,
            semicolons,
            japanese,
            accents,
            no_artist,
            would,
        ],
    }
}

#[test]
fn every_export_reads_back_to_the_same_songs_in_the_same_order() {
    let original = tricky();
    for format in [
        Format::M3u8,
        Format::Pls,
        Format::Xspf,
        Format::Jspf,
        Format::Csv,
    ] {
        let written = write(&original, format);
        assert_eq!(
            detect(&written, None),
            format,
            "{format:?} is detected from its content"
        );
        let read_back = read(&written, format, "export")
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{written}"));
        assert_eq!(read_back.len(), 1, "{format:?}");
        let got = &read_back[0];
        assert_eq!(got.name, original.name, "{format:?}");
        assert_eq!(got.entries.len(), original.entries.len(), "{format:?}");
        for (mine, theirs) in original.entries.iter().zip(&got.entries) {
            let mut theirs = theirs.clone();
            // Formats with a location invent one (a file name) when we have none.
            if mine.location.is_none() && theirs.location.as_deref() != mine.spotify_uri.as_deref()
            {
                theirs.location = None;
            }
            if mine.location.is_none() {
                theirs.location = None;
            }
            assert_eq!(&theirs, mine, "{format:?}\n{written}");
        }
    }
}

#[test]
fn uris_export_keeps_matched_songs_in_order() {
    let written = write(&tricky(), Format::Uris);
    assert_eq!(
        written,
        "spotify:track:5sFDReWLrZHLFZFjHsjUTS\nspotify:track:5sFDReWLrZHLFZFjHsjUTS\n"
    );
    assert_eq!(detect(&written, None), Format::Uris);
    let back = read(&written, Format::Uris, "uris").unwrap();
    assert_eq!(back[0].entries.len(), 2);
    assert_eq!(
        back[0].entries[1].spotify_uri.as_deref(),
        Some("spotify:track:5sFDReWLrZHLFZFjHsjUTS")
    );
}

fn read_one(content: &str) -> PlaylistFile {
    let format = detect(content, None);
    let mut all = read(content, format, "test").unwrap_or_else(|e| panic!("{format:?}: {e}"));
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn names(playlist: &PlaylistFile) -> Vec<(String, String)> {
    playlist
        .entries
        .iter()
        .map(|e| (e.artists.join(" & "), e.title.clone()))
        .collect()
}

#[test]
fn m3u_from_players_with_bom_crlf_and_unknown_lines() {
    let file = "\u{feff}#EXTM3U\r\n#PLAYLIST:Road trip\r\n#EXTGRP:misc\r\n#EXTINF:207,Alice in Chains - Would?\r\n#EXTALB:Singles\r\nMusic/Alice in Chains/Would.mp3\r\n#EXTINF:-1 tvg-id=\"x\",Pearl Jam - Breath\r\nhttp://example.org/breath.ogg\r\nMudhoney - Overblown.flac\r\n";
    let playlist = read_one(file);
    assert_eq!(playlist.name.as_deref(), Some("Road trip"));
    assert_eq!(
        names(&playlist),
        [
            ("Alice in Chains".into(), "Would?".into()),
            ("Pearl Jam".into(), "Breath".into()),
            ("Mudhoney".into(), "Overblown".into())
        ]
    );
    assert_eq!(playlist.entries[0].duration_ms, Some(207_000));
    assert_eq!(playlist.entries[0].album.as_deref(), Some("Singles"));
    assert_eq!(playlist.entries[1].duration_ms, None);
}

#[test]
fn pls_with_odd_case_keys_and_missing_lengths() {
    let file = "[Playlist]\nnumberofentries=2\nfile1=spotify:track:5sFDReWLrZHLFZFjHsjUTS\nTITLE1=Alice in Chains - Would?\nLength1=207\nFile2=/music/Screaming Trees - Nearly Lost You.mp3\nVersion=2\n";
    let playlist = read_one(file);
    assert_eq!(
        names(&playlist),
        [
            ("Alice in Chains".into(), "Would?".into()),
            ("Screaming Trees".into(), "Nearly Lost You".into())
        ]
    );
    assert_eq!(
        playlist.entries[0].spotify_uri.as_deref(),
        Some("spotify:track:5sFDReWLrZHLFZFjHsjUTS")
    );
}

#[test]
fn xspf_without_namespace_and_with_entities() {
    let file = "<playlist version=\"1\"><title>Crow &amp; more</title><trackList><track><title>Burn</title><creator>The Cure</creator><duration>396000</duration><identifier>isrc:GBAKW9400012</identifier></track><track><title><![CDATA[Big Empty]]></title><creator>Stone Temple Pilots</creator></track></trackList></playlist>";
    let playlist = read_one(file);
    assert_eq!(playlist.name.as_deref(), Some("Crow & more"));
    assert_eq!(
        names(&playlist),
        [
            ("The Cure".into(), "Burn".into()),
            ("Stone Temple Pilots".into(), "Big Empty".into())
        ]
    );
    assert_eq!(playlist.entries[0].isrc.as_deref(), Some("GBAKW9400012"));
    assert_eq!(playlist.entries[0].duration_ms, Some(396_000));
}

#[test]
fn exportify_layouts_split_artists_their_own_way() {
    let old = "\"Track URI\",\"Track Name\",\"Artist URI(s)\",\"Artist Name(s)\",\"Album URI\",\"Album Name\",\"Track Duration (ms)\",\"ISRC\"\n\"spotify:track:5sFDReWLrZHLFZFjHsjUTS\",\"Suite: Judy Blue Eyes\",\"spotify:artist:a\",\"Crosby\\, Stills & Nash, Neil Young\",\"spotify:album:b\",\"CSN\",\"445000\",\"USAT20000001\"\n";
    let playlist = read_one(old);
    assert_eq!(
        playlist.entries[0].artists,
        ["Crosby, Stills & Nash", "Neil Young"]
    );
    assert_eq!(playlist.entries[0].duration_ms, Some(445_000));
    assert_eq!(playlist.entries[0].isrc.as_deref(), Some("USAT20000001"));
    let new = "\u{feff}\"Track URI\",\"Track Name\",\"Album Name\",\"Artist Name(s)\",\"Release Date\",\"Duration (ms)\",\"Genres\"\n\"spotify:track:5sFDReWLrZHLFZFjHsjUTS\",\"Song\",\"Album\",\"Crosby, Stills & Nash;Neil Young\",\"1970\",\"1000\",\"rock\"\n";
    let playlist = read_one(new);
    assert_eq!(
        playlist.entries[0].artists,
        ["Crosby, Stills & Nash", "Neil Young"]
    );
}

#[test]
fn tunemymusic_files_hold_several_playlists_and_split_artist_title() {
    let file = "Track name,Artist name,Album,Playlist name,Type,ISRC,Spotify - id\nWould?,Alice in Chains,Singles,Grunge,Playlist,,5sFDReWLrZHLFZFjHsjUTS\nPearl Jam - Breath,,Singles,Grunge,Playlist,,\nBurn,The Cure,The Crow,Goth,Playlist,,\n";
    let all = read(file, detect(file, Some("x.csv")), "tmm.csv").unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].name.as_deref(), Some("Grunge"));
    assert_eq!(names(&all[0])[1], ("Pearl Jam".into(), "Breath".into()));
    assert_eq!(
        all[0].entries[0].spotify_uri.as_deref(),
        Some("spotify:track:5sFDReWLrZHLFZFjHsjUTS")
    );
    assert_eq!(all[1].name.as_deref(), Some("Goth"));
}

#[test]
fn soundiiz_with_semicolons_and_quoted_newlines() {
    let file = "title;artist;album;isrc\n\"Line one\nline two\";Björk;Debut;\nHyperballad;Björk;Post;GBAAA9500001\n";
    let playlist = read_one(file);
    assert_eq!(playlist.entries[0].title, "Line one\nline two");
    assert_eq!(playlist.entries[1].isrc.as_deref(), Some("GBAAA9500001"));
}

#[test]
fn malformed_files_name_the_file_line_and_problem() {
    let cases: &[(&str, Format, &str)] = &[
        (
            "#EXTM3U\n#EXTINF:207 Alice in Chains - Would?\nwould.mp3\n",
            Format::M3u8,
            "line 2",
        ),
        (
            "#EXTM3U\n#EXTINF:207,Alice in Chains - Would?\n",
            Format::M3u8,
            "no location line",
        ),
        ("File1=x.mp3\n", Format::Pls, "line 1"),
        (
            "[playlist]\nthis line has no equals\n",
            Format::Pls,
            "line 2",
        ),
        (
            "<playlist version=\"1\"><trackList><track><title>A</title></track>",
            Format::Xspf,
            "never closed",
        ),
        (
            "<playlist><trackList><track><creator>x</creator></track></trackList></playlist>",
            Format::Xspf,
            "without a <title>",
        ),
        ("<html></html>", Format::Xspf, "starts with <playlist>"),
        (
            "{\"playlist\": {\"track\": [{\"creator\": \"x\"}]}}",
            Format::Jspf,
            "track 1 has no \"title\"",
        ),
        ("{\"playlist\": ", Format::Jspf, "not valid JSON"),
        ("Track name,Artist name\n,Nobody\n", Format::Csv, "line 2"),
        ("Track name,Album\nx,y\n", Format::Csv, "no artist column"),
        (
            "Track name,Artist,Duration\nx,y,soon\n",
            Format::Csv,
            "line 2: duration",
        ),
        (
            "spotify:track:5sFDReWLrZHLFZFjHsjUTS\nnot a uri\n",
            Format::Uris,
            "line 2",
        ),
        ("Alice in Chains – Would?\nSide B\n", Format::Text, "line 2"),
        ("#EXTM3U\n", Format::M3u8, "no songs found"),
    ];
    for (content, format, expected) in cases {
        let error = read(content, *format, "mix.file")
            .expect_err(content)
            .to_string();
        assert!(error.contains("mix.file"), "{error}");
        assert!(error.contains(expected), "{content:?}: {error}");
    }
}

#[test]
fn detects_formats_from_content_before_the_name() {
    assert_eq!(detect("#EXTM3U\n", Some("list.txt")), Format::M3u8);
    assert_eq!(detect("[playlist]\n", None), Format::Pls);
    assert_eq!(
        detect("<?xml version=\"1.0\"?><playlist/>", None),
        Format::Xspf
    );
    assert_eq!(detect("{\"playlist\":{}}", None), Format::Jspf);
    assert_eq!(detect("title;artist\n", None), Format::Csv);
    assert_eq!(
        detect("Alice in Chains – Would?\n", Some("x.m3u")),
        Format::M3u8
    );
    assert_eq!(detect("Alice in Chains – Would?\n", None), Format::Text);
    assert_eq!(Format::parse("M3U").unwrap(), Format::M3u8);
    assert!(Format::parse("wav").is_err());
}
