//! Cuesheet's domain core: the library of soundtracks kept in one SQLite file, the starter
//! catalog, and the types that cross to the window and the CLI.
//!
//! Both front ends (the Tauri window and the `cuesheet` subcommands) call the same functions
//! here. This crate must never depend on tauri or know about windows, channels or terminals.

pub mod backup;
pub mod browse;
pub mod catalog;
pub mod covers;
pub mod db;
pub mod edit;
pub mod error;
pub mod formats;
pub mod library;
pub mod lock;
pub mod model;
mod ordering;
pub mod paste;
pub mod playlists;
pub mod ranked;
pub mod safe_file;
pub mod search;
pub mod spotify;
pub mod starter;
pub mod survey;
/// Generated libraries for benchmarks and tests (nothing in the app calls it).
pub mod synthetic;
pub mod validate;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use error::{Error, ErrorCode, ErrorPayload, Result};

/// An open library: its data dir, the connection to its database file, and the shared lock
/// that tells a restore the library is in use (see [`lock`]).
#[derive(Debug)]
pub struct Library {
    data_dir: PathBuf,
    conn: Connection,
    _lock: lock::LibraryLock,
}

impl Library {
    /// Opens the library in `data_dir` (creating it, migrating it, and seeding the starter
    /// catalog on the very first open).
    pub fn open(data_dir: &Path) -> Result<Library> {
        let lock = lock::LibraryLock::shared(data_dir)?;
        let mut conn = db::open(data_dir)?;
        starter::seed_once(&mut conn)?;
        Ok(Library {
            data_dir: data_dir.to_path_buf(),
            conn,
            _lock: lock,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn list_soundtracks(&self) -> Result<Vec<model::SoundtrackSummary>> {
        library::list_soundtracks(&self.conn)
    }

    /// One page of the library view: `limit` soundtracks from `offset` of the library filtered
    /// and sorted by `filter`, with the counts that size the view.
    pub fn browse(
        &self,
        filter: &browse::BrowseFilter,
        offset: u32,
        limit: u32,
    ) -> Result<browse::BrowsePage> {
        browse::browse_page(&self.conn, filter, offset, limit)
    }

    /// The tags and decades the library view's filters offer.
    pub fn browse_choices(&self) -> Result<browse::BrowseChoices> {
        browse::browse_choices(&self.conn)
    }

    /// One soundtrack by id: `InvalidInput` for an id below 1, `NotFound` for one that names
    /// nothing (or a soundtrack in the trash).
    pub fn get_soundtrack(&self, id: i64) -> Result<model::SoundtrackDetail> {
        library::get_soundtrack(&self.conn, id)
    }

    pub fn find_soundtrack(&self, id_or_title: &str) -> Result<model::SoundtrackDetail> {
        library::find_soundtrack(&self.conn, id_or_title)
    }

    pub fn info(&self) -> Result<model::LibraryInfo> {
        library::library_info(&self.conn, &self.data_dir)
    }
}
