//! `fake-musicbrainz`: runs the tests' fake MusicBrainz, Cover Art Archive and image host
//! (tests/support/fake_musicbrainz) on 127.0.0.1 for a person to point the app or curl at,
//! until killed. It only starts the fake and says where it is, so what a person sees is what
//! the tests see.
//!
//! Usage: `cargo run -p cuesheet-tests --bin fake-musicbrainz`, then run the app with
//! `CUESHEET_MUSICBRAINZ_URL` and `CUESHEET_COVERART_URL` set to the printed addresses.

use cuesheet_tests::fake_musicbrainz::FakeMusicBrainz;

fn main() {
    let fake = match FakeMusicBrainz::try_start() {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("fake-musicbrainz: cannot start: {e}");
            std::process::exit(1);
        }
    };
    println!("CUESHEET_MUSICBRAINZ_URL={}", fake.musicbrainz_url());
    println!("CUESHEET_COVERART_URL={}", fake.coverart_url());
    println!(
        "catalogue: {} release groups, {} releases",
        fake.catalogue().groups.len(),
        fake.catalogue().releases.len()
    );
    // The servers run on their own threads; this one only keeps `fake` alive.
    loop {
        std::thread::park();
    }
}
