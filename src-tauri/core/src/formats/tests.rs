use super::*;
use crate::validate::{MAX_IMPORT_LINE_BYTES, MAX_WHOLE_FILE_BYTES};

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
            "line 1: a <track> with no <title>, <location> or <identifier>",
        ),
        ("<html></html>", Format::Xspf, "starts with <playlist>"),
        (
            "{\"playlist\": {\"track\": [{\"creator\": \"x\"}]}}",
            Format::Jspf,
            "line 1: track 1: no \"title\", \"location\" or \"identifier\"",
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

/// Counts what a reader hands on, as the importer and the preview would see it.
#[derive(Default)]
struct Counts {
    songs: Vec<(Option<String>, Entry)>,
    skipped: Vec<Option<String>>,
    windows_1252_lines: Vec<usize>,
}

impl EntrySink for Counts {
    fn entry(&mut self, playlist: Option<&str>, entry: Entry) -> Result<()> {
        self.songs.push((playlist.map(str::to_owned), entry));
        Ok(())
    }
    fn skipped(&mut self, playlist: Option<&str>) {
        self.skipped.push(playlist.map(str::to_owned));
    }
    fn read_as_windows_1252(&mut self, line: usize) {
        self.windows_1252_lines.push(line);
    }
}

fn read_err(content: &[u8], format: Format) -> String {
    read_from(
        &mut &content[..],
        format,
        "mix.file",
        &mut Counts::default(),
    )
    .expect_err(&format!("{format:?} must refuse"))
    .to_string()
}

#[test]
fn a_line_past_the_cap_is_refused_naming_it_before_more_is_held() {
    let long = "x".repeat(MAX_IMPORT_LINE_BYTES + 1);
    let exactly = "x".repeat(MAX_IMPORT_LINE_BYTES);
    for (format, start) in [
        (Format::M3u8, "#EXTM3U\n#EXTINF:1,A - B\n"),
        (Format::Text, "A - B\nC - D\n"),
        (Format::Uris, "spotify:track:5sFDReWLrZHLFZFjHsjUTS\n\n"),
    ] {
        let file = format!("{start}{long}\n");
        let error = read_err(file.as_bytes(), format);
        assert!(
            error.starts_with("mix.file, line 3: longer than 1 MiB"),
            "{format:?}: {error}"
        );
    }
    // A line of exactly the cap (before its `\r\n`) is read; its field's own cap then speaks,
    // naming the line the song's entry starts on.
    let file = format!("#EXTM3U\n#EXTINF:1,A - B\n{exactly}\r\n");
    let error = read_err(file.as_bytes(), Format::M3u8);
    assert!(error.contains("line 2: location: too long"), "{error}");
    // CSV and XML readers read ahead a little, so their cap is met a few KiB late.
    let longer = "x".repeat(2 * MAX_IMPORT_LINE_BYTES);
    let csv = format!("Track name,Artist name\nA,B\n\"{longer}\",C\n");
    let error = read_err(csv.as_bytes(), Format::Csv);
    assert!(error.contains("line 3: a row longer than 1 MiB"), "{error}");
    let xspf = format!("<playlist><trackList><track><title>{longer}</title>");
    assert!(read_err(xspf.as_bytes(), Format::Xspf).contains("line 1: an XML tag or text longer"));
    let nested = format!("<playlist>{}", "<a>".repeat(100));
    assert!(read_err(nested.as_bytes(), Format::Xspf).contains("nested more than 32 deep"));
}

#[test]
fn whole_file_formats_are_refused_past_their_cap_before_parsing() {
    let big = MAX_WHOLE_FILE_BYTES as u64 + 1;
    for format in [Format::Pls, Format::Jspf] {
        let error = check_size(format, big, "big.file").unwrap_err().to_string();
        assert!(
            error.starts_with("big.file: larger than 16 MiB"),
            "{format:?}: {error}"
        );
        check_size(format, big - 1, "big.file").unwrap();
    }
    // Streamed formats have no size cap.
    check_size(Format::M3u8, u64::MAX, "big.file").unwrap();
    // A stream that does not say its size is cut at the cap all the same (shown here with a
    // small cap: the JSON reader takes a byte at a time, which a debug build makes slow).
    let mut endless = std::io::BufReader::new(
        std::io::Cursor::new(b"{\"playlist\": {\"track\": [".to_vec()).chain(std::io::repeat(b' ')),
    );
    let (mut metered, meter) = Metered::new(&mut endless, 64 * 1024);
    let at = |line: usize, problem: &str| Error::InvalidInput(format!("line {line}: {problem}"));
    let mut counts = Counts::default();
    let mut gate = Gate::new(&mut counts, &at);
    assert!(jspf::stream(&mut metered, &at, &mut gate).is_err());
    assert!(
        meter.cut(),
        "the reader stopped at its cap, not at an end of file"
    );
    let mut endless = std::io::BufReader::new(
        std::io::Cursor::new(b"[playlist]\n".to_vec()).chain(std::io::repeat(b'\n')),
    );
    let error = read_from(&mut endless, Format::Pls, "big.pls", &mut Counts::default())
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("big.pls: larger than 16 MiB"), "{error}");
}

#[test]
fn a_nul_is_refused_and_other_control_characters_are_removed() {
    let file = "#EXTM3U\n#EXTINF:1,Alice in Chains - Wo\u{1}uld?\u{7f}\na.mp3\n#EXTINF:1,B - C\0D\nb.mp3\n";
    let error = read_err(file.as_bytes(), Format::M3u8);
    assert!(error.contains("line 4: the title holds a NUL"), "{error}");
    let good = read(&file.replace('\0', ""), Format::M3u8, "x").unwrap();
    assert_eq!(good[0].entries[0].title, "Would?");
    assert_eq!(good[0].entries[1].title, "CD");
    let csv = "Track name,Artist name\nA\u{0},B\n";
    assert!(read_err(csv.as_bytes(), Format::Csv).contains("line 2: the title holds a NUL"));
    let jspf =
        "{\"playlist\": {\"track\": [\n  {\"title\": \"A\"},\n  {\"title\": \"B\\u0000\"}]}}";
    let error = read_err(jspf.as_bytes(), Format::Jspf);
    assert!(error.contains("line 3: the title holds a NUL"), "{error}");
}

#[test]
fn a_csv_row_with_a_stray_or_unclosed_quote_is_refused_naming_it() {
    let cases = [
        (
            "Track name,Artist name\nFine,Someone\n\"Unbalanced,\"Someone\n",
            "line 3: 1 field(s) where the header has 2",
        ),
        (
            "Track name,Artist name\nFine,Someone\nShort\n",
            "line 3: 1 field(s) where the header has 2",
        ),
        (
            "Track name,Artist name\nFine,Someone\nA,B,C\n",
            "line 3: 3 fields where the header has 2",
        ),
        (
            "Track name,Artist name\nSong,\"Open\nOther,Person\n",
            "line 2: a quote opened on this row is never closed",
        ),
    ];
    for (file, expected) in cases {
        let error = read_err(file.as_bytes(), Format::Csv);
        assert!(error.contains(expected), "{file:?}: {error}");
    }
    // Trailing empty fields, and a quoted field holding a line break, are fine.
    let good = "Track name,Artist name\nA,B,,\n\"Two\nlines\",C\n\"Last\nquoted\",\"D\"\n";
    let playlists = read(good, Format::Csv, "x").unwrap();
    assert_eq!(playlists[0].entries.len(), 3);
    assert_eq!(playlists[0].entries[2].title, "Last\nquoted");
}

#[test]
fn csv_rows_that_name_no_song_are_skipped_and_counted() {
    let file = "Track name,Artist name,Album,Playlist name,Type,ISRC,Spotify - id\n\
                Would?,Alice in Chains,Singles,Grunge,Playlist,,\n\
                ,,,Grunge,Playlist,,\n\
                ,,,Deleted,Playlist,,\n\
                ,,,,,,\n\
                ,,,,Playlist,,5sFDReWLrZHLFZFjHsjUTS\n";
    let mut counts = Counts::default();
    read_from(&mut file.as_bytes(), Format::Csv, "tmm.csv", &mut counts).unwrap();
    assert_eq!(
        counts.skipped,
        [Some("Grunge".into()), Some("Deleted".into())]
    );
    // A row named by its Spotify id alone is a song, named by its URI.
    assert_eq!(counts.songs.len(), 2);
    assert_eq!(
        counts.songs[1].1.title,
        "spotify:track:5sFDReWLrZHLFZFjHsjUTS"
    );
    // A row with an artist but no title still names the problem.
    let error = read_err(b"Track name,Artist name\n,Nobody\n", Format::Csv);
    assert!(
        error.contains("line 2: the track name column is empty"),
        "{error}"
    );
}

#[test]
fn xspf_and_jspf_tracks_with_only_a_location_or_identifier_are_named_from_it() {
    let xspf = r#"<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <trackList>
    <track><location>file:///home/me/Music/Alice%20in%20Chains%20-%20Would%3F.mp3</location></track>
    <track>
      <identifier>https://musicbrainz.org/recording/Hunger%20Strike</identifier>
    </track>
    <track><location>spotify:track:5sFDReWLrZHLFZFjHsjUTS</location><duration>1000</duration></track>
    <track><title/><location>C:\Music\Mudhoney - Overblown.flac</location></track>
  </trackList>
</playlist>
"#;
    let playlist = read_one(xspf);
    assert_eq!(
        names(&playlist),
        [
            ("Alice in Chains".into(), "Would?".into()),
            (String::new(), "Hunger Strike".into()),
            (String::new(), "spotify:track:5sFDReWLrZHLFZFjHsjUTS".into()),
            ("Mudhoney".into(), "Overblown".into()),
        ]
    );
    assert_eq!(
        playlist.entries[0].location.as_deref(),
        Some("file:///home/me/Music/Alice%20in%20Chains%20-%20Would%3F.mp3")
    );
    let error = read_err(
        b"<playlist><trackList>\n<track><creator>x</creator></track></trackList></playlist>",
        Format::Xspf,
    );
    assert!(
        error.contains("line 2: a <track> with no <title>"),
        "{error}"
    );

    let jspf = r#"{"playlist": {"title": "Untagged", "track": [
        {"location": ["http://example.org/music/Screaming%20Trees%20-%20Nearly%20Lost%20You.ogg?x=1"]},
        {"identifier": "isrc:USSM19200612", "creator": "Pearl Jam"}
    ]}}"#;
    let playlist = read_one(jspf);
    assert_eq!(playlist.name.as_deref(), Some("Untagged"));
    assert_eq!(
        names(&playlist),
        [
            ("Screaming Trees".into(), "Nearly Lost You".into()),
            ("Pearl Jam".into(), "isrc:USSM19200612".into()),
        ]
    );
    let error = read_err(
        b"{\"playlist\": {\"track\": [\n\n  {\"creator\": \"x\"}]}}",
        Format::Jspf,
    );
    assert!(error.contains("line 3: track 1: no \"title\""), "{error}");
}

#[test]
fn m3u_album_and_artist_lines_before_extinf_are_kept() {
    let file = "#EXTM3U\n#EXTALB:Singles\n#EXTART:Alice in Chains\n#EXTINF:207,Would?\nwould.mp3\n";
    let playlist = read_one(file);
    assert_eq!(
        names(&playlist),
        [("Alice in Chains".into(), "Would?".into())]
    );
    assert_eq!(playlist.entries[0].album.as_deref(), Some("Singles"));
}

#[test]
fn many_playlist_names_in_one_file_are_grouped_by_name() {
    let mut file = String::from("Track name,Artist name,Playlist name\n");
    for n in 0..20_000 {
        file.push_str(&format!("Song {n},Artist,List {}\n", n % 5_000));
    }
    let playlists = read(&file, Format::Csv, "x").unwrap();
    assert_eq!(playlists.len(), 5_000);
    assert!(playlists.iter().all(|p| p.entries.len() == 4));
    assert_eq!(playlists[4_999].name.as_deref(), Some("List 4999"));
    assert_eq!(playlists[1].entries[3].title, "Song 15001");
}

#[test]
fn m3u_pls_and_text_that_are_not_utf8_read_as_windows_1252_line_by_line() {
    // Winamp's M3U in the Western code page; line 4 is UTF-8, as a later edit may have saved.
    let m3u = b"#EXTM3U\r\n#EXTINF:245,Bj\xF6rk - J\xF3ga\r\nC:\\Music\\Bj\xF6rk\\J\xF3ga.mp3\r\n#EXTINF:200,Sigur R\xC3\xB3s - Hopp\xC3\xADpolla\r\nhoppipolla.mp3\r\n#EXTINF:180,Motorhead \x96 \x93Ace\x94\r\nace.mp3\r\n";
    let mut counts = Counts::default();
    read_from(&mut &m3u[..], Format::M3u8, "old.m3u", &mut counts).unwrap();
    let songs: Vec<(Vec<String>, String)> = counts
        .songs
        .iter()
        .map(|(_, e)| (e.artists.clone(), e.title.clone()))
        .collect();
    assert_eq!(
        songs,
        [
            (vec!["Björk".to_owned()], "Jóga".to_owned()),
            (vec!["Sigur Rós".to_owned()], "Hoppípolla".to_owned()),
            (vec!["Motorhead".to_owned()], "“Ace”".to_owned()),
        ]
    );
    assert_eq!(
        counts.songs[0].1.location.as_deref(),
        Some("C:\\Music\\Björk\\Jóga.mp3")
    );
    assert_eq!(counts.windows_1252_lines, [2, 3, 6]);

    let pls = b"[playlist]\nFile1=caf\xE9.mp3\nTitle1=Les Rita Mitsouko - Marcia Baila\nLength1=260\nTitle2=x\nFile2=na\xEFve.mp3\nNumberOfEntries=2\n";
    let mut counts = Counts::default();
    read_from(&mut &pls[..], Format::Pls, "old.pls", &mut counts).unwrap();
    assert_eq!(counts.songs[0].1.location.as_deref(), Some("café.mp3"));
    assert_eq!(counts.songs[1].1.location.as_deref(), Some("naïve.mp3"));
    assert_eq!(
        counts.windows_1252_lines,
        [2],
        "the first line that is not UTF-8"
    );

    let text = b"Mot\xF6rhead \x96 Ace of Spades\n";
    let mut counts = Counts::default();
    read_from(&mut &text[..], Format::Text, "old.txt", &mut counts).unwrap();
    assert_eq!(counts.songs[0].1.artists, ["Motörhead"]);
    assert_eq!(counts.songs[0].1.title, "Ace of Spades");

    // UTF-8 files say nothing, and a file with NULs (UTF-16, a binary) is still refused.
    let mut counts = Counts::default();
    read_from(
        &mut &b"Mot\xC3\xB6rhead - Ace\n"[..],
        Format::Text,
        "new.txt",
        &mut counts,
    )
    .unwrap();
    assert!(counts.windows_1252_lines.is_empty());
    let utf16 = b"\xFF\xFE#\0E\0X\0T\0M\x003\0U\0\n\0a\0.\0m\0p\x003\0\n\0";
    assert!(
        read_err(utf16, Format::M3u8).contains("NUL"),
        "{}",
        read_err(utf16, Format::M3u8)
    );
}
