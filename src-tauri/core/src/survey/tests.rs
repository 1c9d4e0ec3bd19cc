//! Whole counts on threads written for these tests, one per copy-paste shape, against the
//! starter library, and the ranked list made from them.

use super::lookup::tests::{group, Table};
use super::*;
use crate::starter::seeded_in_memory;

/// A WordPress thread with the traps: a misspelt title, a title in a sentence without
/// quotes, bands named in a list of songs, an agreeing reply, a comment naming the same film
/// three times, and a band's album named like a film.
pub(crate) const WORDPRESS: &str = "\
Weekly survey: the best alt-rock soundtrack ever?

The Singles soundtrack boosted grunge. Remember Clerks and Empire Records? Here are mine:
  • The Crow
  • Garden State

27 thoughts on “Weekly survey: the best alt-rock soundtrack ever?”

  • Marta V.
    June 1, 2024 at 8:02 am

    Singles, hands down. Would? by Alice in Chains still gives me chills.

    Reply
      ◦ Ben
        June 1, 2024 at 9:40 am

        You read my mind!!

        Reply
  • Corey says:
    June 1, 2024 at 10:15 am

    Judgement Night. The rap-rock crossovers were wild. Judgement Night forever. Seriously, JUDGEMENT NIGHT.

    Reply
  • Lena
    June 1, 2024 at 11:00 am

    Trainspoting. Born Slippy by Underworld is the moment.

    Reply
  • Dev
    June 2, 2024 at 1:00 pm

    Bon Jovi's Lost Highway album is their worst record, and nobody asked.

    Reply
  • Sam
    June 2, 2024 at 2:30 pm

    Mixtape instead of a vote:
    - Drown - Smashing Pumpkins
    - #1 Crush - Garbage
    - Talk Show Host - Radiohead
    Those come from Singles and Romeo + Juliet anyway.

    Reply
  • Ira
    June 3, 2024 at 8:00 am

    I think Pump Up the Volume is the most underrated one here.

    Reply
  • Ana
    June 3, 2024 at 9:12 am

    Empire Records and Clerks, obviously. Plus Pretty in Pink for the Psychedelic Furs.

    Reply

Leave a Reply Cancel reply

Your email address will not be published.
";

fn known() -> Vec<KnownSoundtrack> {
    known_soundtracks(&seeded_in_memory()).unwrap()
}

fn tally_of(count: &SurveyCount) -> Vec<(String, u32)> {
    count
        .tally
        .iter()
        .map(|e| (e.title.clone(), e.votes))
        .collect()
}

fn votes_for(count: &SurveyCount, title: &str) -> u32 {
    count
        .tally
        .iter()
        .find(|e| e.title == title)
        .map_or(0, |e| e.votes)
}

#[test]
fn a_wordpress_thread_with_every_trap() {
    let count = count(WORDPRESS, &known(), false, None).unwrap();
    assert_eq!(count.shape, Shape::WordPress);
    assert_eq!(count.comments.len(), 8, "the post is not a comment");
    assert_eq!(
        tally_of(&count),
        [
            ("Singles".to_owned(), 2),
            ("Judgment Night".to_owned(), 1),
            ("Trainspotting".to_owned(), 1),
            ("William Shakespeare's Romeo + Juliet".to_owned(), 1),
            ("Pump Up the Volume".to_owned(), 1),
            ("Pretty in Pink".to_owned(), 1),
        ],
        "ranked by votes, then first mention"
    );
    // Three mentions in one comment are one vote, each shown.
    let night = &count.tally[1];
    assert_eq!(night.evidence.len(), 3);
    assert!(night.evidence.iter().all(|e| e.comment == 3));
    assert_eq!(night.evidence[2].text, "JUDGEMENT NIGHT");
    // The band named like a film is evidence for the film it plays in, not a vote for its
    // namesake; the band's album named like a film is not a vote.
    assert_eq!(votes_for(&count, "Underworld"), 0);
    assert_eq!(votes_for(&count, "Lost Highway"), 0);
    let trainspotting = &count.tally[2];
    assert_eq!(trainspotting.evidence[0].text, "Trainspoting");
    assert!(trainspotting
        .evidence
        .iter()
        .any(|e| e.kind == EvidenceKind::Artist && e.text == "Underworld"));
    // Songs and artists beside the only title of a comment are shown with its vote; in a
    // comment that names two, they are nobody's evidence.
    let singles = &count.tally[0];
    assert!(singles
        .evidence
        .iter()
        .any(|e| e.comment == 1 && e.kind == EvidenceKind::Artist && e.text == "Alice in Chains"));
    assert!(!singles
        .evidence
        .iter()
        .any(|e| e.comment == 6 && e.kind != EvidenceKind::Title));
    // The agreeing reply is marked but adds nothing with the switch off.
    assert!(count.comments[1].agrees);
    assert_eq!(count.comments[1].reply_to, Some(1));
    // Titles the library lacks are offered for the online step, the post's are not.
    assert_eq!(count.unrecognised, ["Empire Records", "Clerks"]);
    // Offsets count characters and point at the words.
    let evidence = &night.evidence[0];
    let text: String = count.comments[2]
        .text
        .chars()
        .skip(evidence.start as usize)
        .take((evidence.end - evidence.start) as usize)
        .collect();
    assert_eq!(text, "Judgement Night");
}

#[test]
fn agreeing_replies_count_for_the_comment_they_answer_when_switched_on() {
    let count = count(WORDPRESS, &known(), true, None).unwrap();
    assert_eq!(votes_for(&count, "Singles"), 3);
    let agreement = count.tally[0]
        .evidence
        .iter()
        .find(|e| e.kind == EvidenceKind::Agreement)
        .unwrap();
    assert_eq!(
        (agreement.comment, agreement.text.as_str()),
        (2, "You read my mind!!")
    );
}

#[test]
fn a_reddit_thread() {
    let paste = "\
r/movies
What's the best alt-rock movie soundtrack?
88 comments
Sort by:
Best
level 1
grunge_kid
·
3 yr. ago
The Crow. Nothing else comes close, the Crow soundtrack is perfect.
142
Reply
Share
level 2
quietstorm
·
3 yr. ago
this
12
Reply
level 2
mixtapes4ever
·
3 yr. ago
Nah, Garden State.
9
Reply
level 1
[–]oldtimer 40 points 3 years ago
the heavy metal soundtrack from 1981, fight me
permalinkembedsavereportreply
";
    let off = count(paste, &known(), false, None).unwrap();
    assert_eq!(off.shape, Shape::Reddit);
    assert_eq!(
        tally_of(&off),
        [
            ("The Crow".to_owned(), 1),
            ("Garden State".to_owned(), 1),
            ("Heavy Metal".to_owned(), 1)
        ]
    );
    let on = count(paste, &known(), true, None).unwrap();
    assert_eq!(
        votes_for(&on, "The Crow"),
        2,
        "\"this\" answers the Crow comment"
    );
    assert_eq!(
        votes_for(&on, "Garden State"),
        1,
        "a disagreeing reply is its own vote"
    );
}

#[test]
fn a_disqus_thread() {
    let paste = "\
9 Comments
Sort by Best
Avatar
Jen R.
•
5 years ago
Lost Highway! Bowie, Reznor and Rammstein on one album.
see more
7
•
Reply
•
Share ›
Avatar
Pat
Jen R.
•
5 years ago
+1
•
Reply
•
Share ›
Avatar
Kim
•
4 years ago
Valley Girl or 24 Hour Party People, can't decide.
•
Reply
•
Share ›
";
    let count = count(paste, &known(), true, None).unwrap();
    assert_eq!(count.shape, Shape::Disqus);
    assert_eq!(
        tally_of(&count),
        [
            ("Lost Highway".to_owned(), 2),
            ("Valley Girl".to_owned(), 1),
            ("24 Hour Party People".to_owned(), 1)
        ]
    );
    assert_eq!(count.comments[1].author.as_deref(), Some("Pat"));
}

#[test]
fn a_youtube_thread() {
    let paste = "\
1,204 Comments
Sort by
@filmnerd88
3 years ago
Romeo and Juliet (1996) had the best soundtrack of the decade. Exit Music by Radiohead!
1.2K
Reply
View 3 replies
@mixtape_mel
2 years ago (edited)
@filmnerd88 this
40
Reply
@cassette_kid
1 year ago
love & a .45 deserves more love
Reply
";
    let count = count(paste, &known(), true, None).unwrap();
    assert_eq!(count.shape, Shape::YouTube);
    assert_eq!(
        tally_of(&count),
        [
            ("William Shakespeare's Romeo + Juliet".to_owned(), 2),
            ("Love and a .45".to_owned(), 1)
        ]
    );
    let romeo = &count.tally[0];
    assert!(romeo
        .evidence
        .iter()
        .any(|e| e.kind == EvidenceKind::Artist && e.text == "Radiohead"));
}

#[test]
fn plain_paragraphs() {
    let paste = "\
Urgh! A Music War, no question.

My list:
1. Trainspotting #2
2. Six Feet Under
3. some kind of wonderful

Phantom of the Paradise. Phantom of the Paradise. Phantom of the Paradise!
";
    let count = count(paste, &known(), false, None).unwrap();
    assert_eq!(count.shape, Shape::Paragraphs);
    assert_eq!(
        tally_of(&count),
        [
            ("Urgh! A Music War".to_owned(), 1),
            ("Trainspotting #2".to_owned(), 1),
            ("Six Feet Under".to_owned(), 1),
            ("Some Kind of Wonderful".to_owned(), 1),
            ("Phantom of the Paradise".to_owned(), 1),
        ]
    );
}

#[test]
fn titles_known_only_online_count_once_asked_and_each_phrase_is_asked_once() {
    let mut table = Table {
        found: vec![
            ("Empire Records", group("rg-empire", "Empire Records", 1995)),
            // Not close to what was asked: kept out.
            ("Clerks", group("rg-clerks2", "Clerks II", 2006)),
        ],
        ..Table::default()
    };
    let thread = format!("{WORDPRESS}\n\nempire records soundtrack. Empire Records!\n");
    let count = count(&thread, &known(), false, Some(&mut table)).unwrap();
    let empire = count
        .tally
        .iter()
        .find(|e| e.release_group_id.as_deref() == Some("rg-empire"))
        .expect("Empire Records was found online");
    assert_eq!(empire.title, "Empire Records");
    assert_eq!(
        empire.votes, 1,
        "only Ana's comment: the last paragraph is after the form"
    );
    assert_eq!(empire.soundtrack_id, None);
    assert_eq!(count.unrecognised, ["Clerks"]);
    assert_eq!(
        table.asked,
        ["Empire Records", "Clerks", "Empire Records and Clerks"],
        "each phrase once (a pair falls back on its whole); no band, song or library title is asked"
    );
    assert_eq!(count.looked_up, 3);
}

#[test]
fn online_titles_are_recognised_however_they_are_written_in_later_comments() {
    let mut table = Table {
        found: vec![("Empire Records", group("rg-empire", "Empire Records", 1995))],
        ..Table::default()
    };
    let paste = "Empire Records, easily.\n\nthe empire records soundtrack, yes\n\nEMPIRE RECORDS";
    let count = count(paste, &known(), false, Some(&mut table)).unwrap();
    assert_eq!(tally_of(&count), [("Empire Records".to_owned(), 3)]);
    assert_eq!(table.asked.len(), 1);
}

#[test]
fn making_a_ranked_list_from_the_count() {
    let mut conn = seeded_in_memory();
    let known = known_soundtracks(&conn).unwrap();
    let mut table = Table {
        found: vec![("Empire Records", group("rg-empire", "Empire Records", 1995))],
        ..Table::default()
    };
    let count = count(WORDPRESS, &known, true, Some(&mut table)).unwrap();
    let id = save_ranked_list(
        &mut conn,
        &SaveSurvey {
            name: "Readers' best".into(),
            thread: WORDPRESS.into(),
            agreeing_replies: true,
            tally: count.tally.clone(),
        },
    )
    .unwrap();
    let list = crate::ranked::get_ranked_list(&conn, id).unwrap();
    assert!(list.summary.from_survey);
    assert_eq!(list.summary.entry_count, count.tally.len() as u32);
    assert_eq!(list.entries[0].soundtrack.film_title, "Singles");
    assert_eq!(
        list.entries[0].note, "3 votes — “Would? by Alice in Chains still gives me chills.”",
        "the longest sentence naming it or its songs, from a comment about it alone"
    );
    // Empire Records is not in the library: it waits, in its place by votes and first mention.
    let empire = &list.waiting[0];
    assert_eq!(empire.title, "Empire Records");
    assert_eq!(empire.release_group_id.as_deref(), Some("rg-empire"));
    assert_eq!(
        empire.note,
        "1 vote — “Empire Records and Clerks, obviously.”"
    );
    let ranks: Vec<u32> = list
        .entries
        .iter()
        .map(|e| e.rank)
        .chain(list.waiting.iter().map(|w| w.rank))
        .collect();
    let mut sorted = ranks.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=ranks.len() as u32).collect::<Vec<_>>());
    // The thread is kept, to be counted again.
    let kept = crate::ranked::ranked_list_survey(&conn, id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.thread, WORDPRESS);
    assert!(kept.agreeing_replies);
    assert_eq!(kept.comments, 8);
    // Adding the soundtrack later puts it in the waiting entry's place.
    let added = crate::edit::create_soundtrack(
        &mut conn,
        &crate::edit::SoundtrackFields {
            film_title: "Empire Records".into(),
            film_year: Some(1995),
            media: crate::model::Media::Film,
            album_title: Some("Empire Records: The Soundtrack".into()),
            album_year: Some(1995),
            label: None,
            notes: String::new(),
            source_urls: Vec::new(),
            tracklist_complete: false,
        },
        &[],
    )
    .unwrap();
    let list_after = crate::ranked::get_ranked_list(&conn, id).unwrap();
    assert!(list_after.waiting.is_empty());
    let linked = list_after
        .entries
        .iter()
        .find(|e| e.soundtrack.id == added)
        .unwrap();
    assert_eq!(linked.rank, empire.rank);
}

#[test]
fn the_curators_corrections_are_checked_and_counted_again() {
    let mut conn = seeded_in_memory();
    let known = known_soundtracks(&conn).unwrap();
    let count = count(WORDPRESS, &known, false, None).unwrap();
    let mut tally = count.tally.clone();
    // Drop Corey's Judgement Night vote; add Clerks from Ana's words; claim 99 votes.
    tally.retain(|e| e.title != "Judgment Night");
    tally[0].votes = 99;
    tally.push(TallyEntry {
        title: "Clerks".into(),
        votes: 0,
        soundtrack_id: None,
        release_group_id: None,
        release_id: None,
        year: None,
        evidence: vec![Evidence {
            comment: 8,
            text: "Clerks".into(),
            start: 19,
            end: 25,
            kind: EvidenceKind::Curator,
        }],
    });
    // A title typed by hand that the library has is linked to it.
    tally.push(TallyEntry {
        title: "lost highway".into(),
        votes: 1,
        soundtrack_id: None,
        release_group_id: None,
        release_id: None,
        year: None,
        evidence: vec![Evidence {
            comment: 5,
            text: "Lost Highway".into(),
            start: 10,
            end: 22,
            kind: EvidenceKind::Curator,
        }],
    });
    let request = SaveSurvey {
        name: "Corrected".into(),
        thread: WORDPRESS.into(),
        agreeing_replies: false,
        tally: tally.clone(),
    };
    let id = save_ranked_list(&mut conn, &request).unwrap();
    let list = crate::ranked::get_ranked_list(&conn, id).unwrap();
    assert_eq!(
        list.entries[0].note.split(' ').next(),
        Some("2"),
        "votes are counted again"
    );
    assert!(list
        .entries
        .iter()
        .all(|e| e.soundtrack.film_title != "Judgment Night"));
    assert!(list
        .entries
        .iter()
        .any(|e| e.soundtrack.film_title == "Lost Highway"));
    assert_eq!(list.waiting[0].title, "Clerks");

    // Refusals change nothing.
    let lists_before = crate::ranked::list_ranked_lists(&conn).unwrap();
    let again = save_ranked_list(
        &mut conn,
        &SaveSurvey {
            name: "corrected".into(),
            ..request.clone()
        },
    );
    assert!(matches!(again, Err(crate::Error::Conflict(_))), "{again:?}");
    let mut outside = request.clone();
    outside.name = "Outside".into();
    outside.tally[0].evidence[0].comment = 9;
    let refused = save_ranked_list(&mut conn, &outside)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("comment 9") && refused.contains("8 comment"),
        "{refused}"
    );
    let mut missing = request.clone();
    missing.name = "Missing".into();
    missing.tally[0].soundtrack_id = Some(9_999);
    assert!(matches!(
        save_ranked_list(&mut conn, &missing),
        Err(crate::Error::NotFound(_))
    ));
    let mut empty = request.clone();
    empty.name = "Empty".into();
    for entry in &mut empty.tally {
        entry.evidence.clear();
    }
    assert!(save_ranked_list(&mut conn, &empty).is_err());
    assert_eq!(
        crate::ranked::list_ranked_lists(&conn).unwrap(),
        lists_before
    );
}

#[test]
fn a_thread_too_large_is_refused_by_name() {
    let huge = "Singles\n\n".repeat(MAX_THREAD_BYTES / 8);
    let error = count(&huge, &known(), false, None).unwrap_err().to_string();
    assert!(error.starts_with("survey thread: too long"), "{error}");
}
