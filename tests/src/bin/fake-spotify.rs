//! `fake-spotify`: runs the tests' fake Spotify (tests/support/fake_spotify/) on 127.0.0.1 for
//! a person to point the app or curl at, until killed. It only starts the fake and says where it
//! is; it must not add behaviour of its own, so what a person sees is what the tests see.
//!
//! Usage: `cargo run -p cuesheet-tests --bin fake-spotify -- [--port N]`

use cuesheet_tests::fake_spotify::FakeSpotify;

fn main() {
    let port = match parse_port(std::env::args().skip(1)) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("fake-spotify: {message}\nusage: fake-spotify [--port N]");
            std::process::exit(2);
        }
    };
    let fake = match FakeSpotify::try_start_on_port(port) {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("fake-spotify: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    println!("api: {}", fake.api_url());
    println!("accounts: {}", fake.accounts_url());
    println!("catalogue: {} tracks", fake.catalogue().len());
    // A ready token saves a person the browser login when trying the API with curl.
    println!("access token: {}", fake.issue_tokens().access_token);
    // The server runs on its own threads; this one only has to keep `fake` alive.
    loop {
        std::thread::park();
    }
}

fn parse_port(mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--port=") {
            Some(value) => value.to_owned(),
            None if arg == "--port" => args.next().ok_or("--port needs a number")?,
            None => return Err(format!("unknown argument {arg:?}")),
        };
        port = value
            .parse()
            .map_err(|_| format!("--port needs a number from 0 to 65535, not {value:?}"))?;
    }
    Ok(port)
}
