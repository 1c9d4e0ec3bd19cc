//! Generated libraries for benchmarks and tests: thousands of plausible soundtracks with their
//! songs, inserted through the same `library::insert_soundtrack` an import uses, so the search
//! triggers and indexes see exactly what they would see from a real fan's library.
//!
//! Nothing in the app calls this; `cuesheet generate-library` (hidden), the start-up bench and
//! the search bench do. Output is deterministic for a given size, so a test can rely on the last
//! title and a benchmark run can be repeated.

use std::ops::Range;

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
/// dependency for something this simple. Public so the benchmarks and the fuzzer draw from the
/// same one, and a printed seed replays their runs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // xorshift never leaves a zero state, so zero is swapped for a fixed odd seed.
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`; 0 when `n` is 0, so drawing from an empty input needs no guard.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Like [`Rng::below`], skewed towards the start of a list, the way common words are common.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "Love", "Night", "Heart", "Blue", "Dream", "Fire", "Time", "World", "Light", "Dark", "Summer",
    "City", "Rain", "Devil", "Wild", "Black", "Road", "Home", "Star", "Dance", "Young", "Kiss",
    "Angel", "Crow", "Lost", "Highway", "Paradise", "Velvet", "Electric", "Midnight", "River",
    "Radio", "Neon", "Ghost", "Silver", "Desert", "Ocean", "Winter", "Echo", "Thunder",
];
/// The search library's common words, most common first (they are drawn with a skew).
const COMMON_WORDS: &[&str] = &[
    "the", "love", "night", "song", "heart", "blue", "girl", "boy", "dream", "fire", "time",
    "world", "light", "dark", "summer", "city", "baby", "rain", "devil", "wild", "black", "road",
    "home", "star", "rock", "dance", "theme", "young", "kiss", "fall", "angel", "crow", "lost",
    "highway", "paradise", "velvet", "electric", "midnight", "river", "radio",
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
const SEED: u64 = 0x5EED_CAFE_F00D_1234;

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

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
    capitalised(&word)
}

/// Between `min` and `max` words from `word`, space-separated.
fn phrase(
    rng: &mut Rng,
    min: usize,
    max: usize,
    mut word: impl FnMut(&mut Rng) -> String,
) -> String {
    let count = min + rng.below(max - min + 1);
    (0..count).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

fn plain_phrase(rng: &mut Rng, min: usize, max: usize) -> String {
    phrase(rng, min, max, |rng| (*rng.pick(WORDS)).to_owned())
}

/// One soundtrack to add, and the marks it gets once it has an id.
struct Made {
    soundtrack: NewSoundtrack,
    favourite: bool,
    rating: Option<i64>,
    tag: Option<&'static str>,
}

/// Inserts the soundtrack `make` gives for each index, through the import's own insert path.
/// `tags` are created first, for `make` to name. `progress` hears the count so far after each.
/// Run it inside a transaction: a large library is written in one.
fn insert_made(
    conn: &Connection,
    tags: &[&str],
    indexes: Range<usize>,
    mut make: impl FnMut(usize) -> Made,
    mut progress: impl FnMut(usize),
) -> Result<Generated> {
    for tag in tags {
        conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [tag])?;
    }
    let mut tag_link = conn.prepare(
        "INSERT OR IGNORE INTO soundtrack_tags (soundtrack_id, tag_id)
         SELECT ?1, id FROM tags WHERE name = ?2",
    )?;
    let mut mark =
        conn.prepare("UPDATE soundtracks SET favourite = ?2, rating = ?3 WHERE id = ?1")?;
    let mut made = Generated {
        soundtracks: 0,
        tracks: 0,
        last_film_title: String::new(),
    };
    for index in indexes {
        let Made {
            soundtrack,
            favourite,
            rating,
            tag,
        } = make(index);
        let id = insert_soundtrack(conn, &soundtrack)?;
        if favourite || rating.is_some() {
            mark.execute(params![id, favourite, rating])?;
        }
        if let Some(tag) = tag {
            tag_link.execute(params![id, tag])?;
        }
        made.soundtracks += 1;
        made.tracks += soundtrack.tracks.len();
        made.last_film_title = soundtrack.film_title;
        progress(made.soundtracks);
    }
    Ok(made)
}

/// Adds `soundtracks` soundtracks of `tracks_per` songs each (every fifth song heard only in the
/// film, one in five with two artists), with some favourites, ratings and tags, in one
/// transaction. A library already holding generated rows gets more, with new titles.
pub fn generate(conn: &Connection, soundtracks: usize, tracks_per: usize) -> Result<Generated> {
    let tx = conn.unchecked_transaction()?;
    let start: usize = tx.query_row("SELECT count(*) FROM soundtracks", [], |r| {
        r.get::<_, i64>(0).map(|n| n as usize)
    })?;
    let mut rng = Rng::new(SEED ^ start as u64);
    let made = insert_made(
        &tx,
        TAGS,
        start..start + soundtracks,
        |index| card(&mut rng, index, tracks_per),
        |_| {},
    )?;
    tx.commit()?;
    Ok(made)
}

/// A soundtrack for the library view: a unique film title, plausible songs, and now and then a
/// favourite, a rating or a tag.
fn card(rng: &mut Rng, index: usize, tracks_per: usize) -> Made {
    let film_title = format!("{} {}", unique_word(index), plain_phrase(rng, 1, 3));
    let year = 1960 + rng.below(65) as i32;
    let songs: Vec<NewTrack> = (0..tracks_per)
        .map(|position| {
            let artists = 1 + usize::from(rng.below(5) == 0);
            NewTrack {
                disc: 1,
                position: Some(position as u32 + 1),
                title: plain_phrase(rng, 1, 4),
                artists: (0..artists)
                    .map(|_| format!("The {}", plain_phrase(rng, 1, 2)))
                    .collect(),
                duration_ms: Some(120_000 + rng.below(300_000) as u32),
                on_album: position % 5 != 4,
                scene_note: String::new(),
                source_url: None,
            }
        })
        .collect();
    // Field order is draw order: changing it changes every generated library.
    Made {
        soundtrack: NewSoundtrack {
            album_title: Some(format!("{film_title} (Original Motion Picture Soundtrack)")),
            film_title,
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
        favourite: rng.below(7) == 0,
        rating: (rng.below(3) == 0).then(|| 1 + rng.below(10) as i64),
        tag: (rng.below(4) == 0).then(|| *rng.pick(TAGS)),
    }
}

/// The search benchmark's words: 40 common title words and a few thousand invented ones with
/// accents, drawn with a skew so that some are common and most are rare, as in real titles.
#[derive(Debug)]
pub struct SearchWords {
    invented: Vec<String>,
}

impl Default for SearchWords {
    fn default() -> SearchWords {
        SearchWords::new()
    }
}

impl SearchWords {
    pub fn new() -> SearchWords {
        let mut invented = Vec::new();
        for a in SYLLABLES {
            for b in SYLLABLES {
                invented.push(format!("{a}{b}"));
                for c in ["a", "er", "on"] {
                    invented.push(format!("{a}{b}{c}"));
                }
            }
        }
        SearchWords { invented }
    }

    /// How many invented words there are (the benchmark's report says).
    pub fn invented(&self) -> usize {
        self.invented.len()
    }

    fn word(&self, rng: &mut Rng) -> String {
        if rng.below(3) == 0 {
            COMMON_WORDS[rng.skewed(COMMON_WORDS.len())].to_owned()
        } else {
            capitalised(&self.invented[rng.skewed(self.invented.len())])
        }
    }

    fn phrase(&self, rng: &mut Rng, min: usize, max: usize) -> String {
        phrase(rng, min, max, |rng| self.word(rng))
    }
}

/// The search benchmark's library: `soundtracks` soundtracks of `tracks_per` songs each, every
/// text from `words`, with notes on a quarter of the soundtracks, scene notes on a tenth of the
/// songs and a second artist on a fifth, in one transaction. `progress` hears how many
/// soundtracks are in after each one. The same rows on every run.
pub fn generate_search_library(
    conn: &Connection,
    words: &SearchWords,
    soundtracks: usize,
    tracks_per: usize,
    progress: impl FnMut(usize),
) -> Result<Generated> {
    let tx = conn.unchecked_transaction()?;
    let mut rng = Rng::new(SEED);
    let made = insert_made(
        &tx,
        &[],
        0..soundtracks,
        |_| searchable(&mut rng, words, tracks_per),
        progress,
    )?;
    tx.commit()?;
    Ok(made)
}

fn searchable(rng: &mut Rng, words: &SearchWords, tracks_per: usize) -> Made {
    // Draw order matters (the benchmark's figures come from exactly these rows): film, notes,
    // year, label, then per song its scene note, title, length and artists.
    let film = words.phrase(rng, 1, 4);
    let notes = if rng.below(4) == 0 {
        words.phrase(rng, 4, 12)
    } else {
        String::new()
    };
    let year = 1960 + rng.below(65) as i32;
    let label = words.phrase(rng, 1, 2);
    let tracks = (1..=tracks_per)
        .map(|position| {
            let scene_note = if rng.below(10) == 0 {
                words.phrase(rng, 2, 6)
            } else {
                String::new()
            };
            let title = words.phrase(rng, 1, 5);
            let duration_ms = 120_000 + rng.below(300_000) as u32;
            let artists = 1 + usize::from(rng.below(5) == 0);
            NewTrack {
                disc: 1,
                position: Some(position as u32),
                title,
                artists: (0..artists).map(|_| words.phrase(rng, 1, 3)).collect(),
                duration_ms: Some(duration_ms),
                on_album: true,
                scene_note,
                source_url: None,
            }
        })
        .collect();
    Made {
        soundtrack: NewSoundtrack {
            album_title: Some(format!("{film} (Original Motion Picture Soundtrack)")),
            film_title: film,
            film_year: Some(year),
            media: Media::Film,
            album_year: None,
            label: Some(label),
            notes,
            tracklist_complete: true,
            source_urls: Vec::new(),
            tracks,
        },
        favourite: false,
        rating: None,
        tag: None,
    }
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
    fn the_search_library_is_the_same_on_every_run() {
        let words = SearchWords::new();
        let titles = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT film_title || '|' || notes FROM soundtracks ORDER BY id")
                .unwrap();
            let rows = stmt.query_map([], |r| r.get(0)).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        let first = crate::db::open_in_memory().unwrap();
        let mut heard = 0;
        let made = generate_search_library(&first, &words, 200, 15, |n| heard = n).unwrap();
        assert_eq!((made.soundtracks, made.tracks, heard), (200, 3000, 200));
        let second = crate::db::open_in_memory().unwrap();
        generate_search_library(&second, &words, 200, 15, |_| {}).unwrap();
        assert_eq!(titles(&first), titles(&second));
        let count = |sql: &str| -> i64 { first.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert!(count("SELECT count(*) FROM soundtracks WHERE notes != ''") > 0);
        assert!(count("SELECT count(*) FROM tracks WHERE scene_note != ''") > 0);
        assert!(count("SELECT count(*) FROM track_artists WHERE ord = 1") > 0);
    }

    #[test]
    fn unique_words_differ_past_three_syllables() {
        let n = SYLLABLES.len().pow(3);
        assert_ne!(unique_word(0), unique_word(n));
        assert_ne!(unique_word(1), unique_word(n + 1));
    }
}
