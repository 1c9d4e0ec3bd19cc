//! Generated libraries for benchmarks and tests: thousands of plausible soundtracks with their
//! songs, inserted through the same `library::insert_soundtrack` an import uses, so the search
//! triggers and indexes see exactly what they would see from a real fan's library.
//!
//! Nothing in the app calls this; `cuesheet generate-library` (hidden) and the start-up bench
//! do. Output is deterministic for a given size, so a test can rely on the last title and a
//! benchmark run can be repeated.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::library::{insert_soundtrack, NewSoundtrack, NewTrack};
use crate::model::Media;

/// What [`generate`] added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub soundtracks: usize,
    pub tracks: usize,
    /// The film title of the last soundtrack added (the last card under "date added").
    pub last_film_title: String,
}

/// A small, fixed pseudo-random generator (xorshift64*): the same library on every run, with no
/// dependency for something this simple.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const WORDS: &[&str] = &[
    "Love", "Night", "Heart", "Blue", "Dream", "Fire", "Time", "World", "Light", "Dark", "Summer",
    "City", "Rain", "Devil", "Wild", "Black", "Road", "Home", "Star", "Dance", "Young", "Kiss",
    "Angel", "Crow", "Lost", "Highway", "Paradise", "Velvet", "Electric", "Midnight", "River",
    "Radio", "Neon", "Ghost", "Silver", "Desert", "Ocean", "Winter", "Echo", "Thunder",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ve", "tor", "sun", "bel", "dra", "fen", "gar", "hol", "jun", "kri",
    "lum", "mor", "nex", "pol", "quin", "ros", "sal", "tin", "ur", "vol", "wen", "yor", "zed",
    "ash", "bri", "cor", "dun", "el", "fro", "gly", "har", "ix", "jo", "kel", "lys", "mø", "né",
    "öst", "pru", "sé",
];
const TAGS: &[&str] = &[
    "alt-rock", "grunge", "new wave", "synth", "score", "britpop",
];

/// An invented word that no other index gives (three syllables cover 85,184 soundtracks; more
/// add a fourth), so every generated film title is unique and searchable.
fn unique_word(mut index: usize) -> String {
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(SYLLABLES[index % SYLLABLES.len()]);
        index /= SYLLABLES.len();
    }
    if index > 0 {
        word.push_str(SYLLABLES[index % SYLLABLES.len()]);
    }
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn phrase(rng: &mut Rng, min: usize, max: usize) -> String {
    let count = min + rng.below(max - min + 1);
    (0..count)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds `soundtracks` soundtracks of `tracks_per` songs each (every fifth song heard only in the
/// film, one in five with two artists), with some favourites, ratings and tags, in one
/// transaction. A library already holding generated rows gets more, with new titles.
pub fn generate(conn: &Connection, soundtracks: usize, tracks_per: usize) -> Result<Generated> {
    let tx = conn.unchecked_transaction()?;
    let start: usize = tx.query_row("SELECT count(*) FROM soundtracks", [], |r| {
        r.get::<_, i64>(0).map(|n| n as usize)
    })?;
    let mut rng = Rng(0x5EED_CAFE_F00D_1234 ^ start as u64);
    for tag in TAGS {
        tx.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [tag])?;
    }
    let mut tag_link = tx.prepare(
        "INSERT OR IGNORE INTO soundtrack_tags (soundtrack_id, tag_id)
         SELECT ?1, id FROM tags WHERE name = ?2",
    )?;
    let mut mark =
        tx.prepare("UPDATE soundtracks SET favourite = ?2, rating = ?3 WHERE id = ?1")?;
    let mut last_film_title = String::new();
    let mut tracks = 0;
    for index in start..start + soundtracks {
        let film_title = format!("{} {}", unique_word(index), phrase(&mut rng, 1, 3));
        let year = 1960 + rng.below(65) as i32;
        let songs: Vec<NewTrack> = (0..tracks_per)
            .map(|position| {
                let artists = 1 + usize::from(rng.below(5) == 0);
                NewTrack {
                    disc: 1,
                    position: Some(position as u32 + 1),
                    title: phrase(&mut rng, 1, 4),
                    artists: (0..artists)
                        .map(|_| format!("The {}", phrase(&mut rng, 1, 2)))
                        .collect(),
                    duration_ms: Some(120_000 + rng.below(300_000) as u32),
                    on_album: position % 5 != 4,
                    scene_note: String::new(),
                    source_url: None,
                }
            })
            .collect();
        tracks += songs.len();
        let id = insert_soundtrack(
            &tx,
            &NewSoundtrack {
                album_title: Some(format!("{film_title} (Original Motion Picture Soundtrack)")),
                film_title: film_title.clone(),
                film_year: Some(year),
                media: if rng.below(8) == 0 {
                    Media::Tv
                } else {
                    Media::Film
                },
                album_year: Some(year),
                label: Some(format!("{} Records", rng.pick(WORDS))),
                notes: String::new(),
                tracklist_complete: true,
                source_urls: Vec::new(),
                tracks: songs,
            },
        )?;
        let favourite = rng.below(7) == 0;
        let rating = (rng.below(3) == 0).then(|| 1 + rng.below(10) as i64);
        if favourite || rating.is_some() {
            mark.execute(params![id, favourite, rating])?;
        }
        if rng.below(4) == 0 {
            tag_link.execute(params![id, rng.pick(TAGS)])?;
        }
        last_film_title = film_title;
    }
    drop((tag_link, mark));
    tx.commit()?;
    Ok(Generated {
        soundtracks,
        tracks,
        last_film_title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_unique_searchable_titles_in_one_go() {
        let conn = crate::db::open_in_memory().unwrap();
        let made = generate(&conn, 300, 4).unwrap();
        assert_eq!((made.soundtracks, made.tracks), (300, 1200));
        let list = crate::library::list_soundtracks(&conn).unwrap();
        assert_eq!(list.len(), 300);
        assert_eq!(list.last().unwrap().film_title, made.last_film_title);
        let titles: std::collections::BTreeSet<_> = list.iter().map(|s| &s.film_title).collect();
        assert_eq!(titles.len(), 300, "every title is unique");
        let found = crate::search::search(&conn, &made.last_film_title, 5).unwrap();
        assert_eq!(found.soundtracks[0].film_title, made.last_film_title);
        // A second call adds more, with new titles.
        let more = generate(&conn, 10, 1).unwrap();
        assert_ne!(more.last_film_title, made.last_film_title);
    }

    #[test]
    fn unique_words_differ_past_three_syllables() {
        let n = SYLLABLES.len().pow(3);
        assert_ne!(unique_word(0), unique_word(n));
        assert_ne!(unique_word(1), unique_word(n + 1));
    }
}
