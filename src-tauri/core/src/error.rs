//! The core's error type and the small fixed set of codes the window and the CLI show.
//!
//! Every fallible core function returns [`Result`]. Messages are written for people: they say
//! what was wrong and what to do. This module must not format errors for a particular front end;
//! the shell and the CLI turn an [`Error`] into an [`ErrorPayload`] or a line on stderr.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type Result<T> = std::result::Result<T, Error>;

/// The codes the UI may switch on (see DESIGN.md, "Errors").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    Conflict,
    AuthRequired,
    RateLimited,
    Offline,
    Spotify,
    /// MusicBrainz or the Cover Art Archive refused or failed a look-up.
    Catalog,
    Storage,
    Cancelled,
    Internal,
}

/// What crosses to the UI when a command fails: `{ "code": "...", "message": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The library file was written by a newer Cuesheet; we refuse to touch it.
    #[error(
        "the library at {path} uses schema version {found}, but this Cuesheet only knows up to \
         version {supported}. It was written by a newer Cuesheet; update the app to open it \
         (the file was left untouched)."
    )]
    SchemaTooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("could not use the library database: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
    /// Spotify needs a (new) login: no tokens, or Spotify refused the refresh token.
    #[error("{0}")]
    AuthRequired(String),
    /// Spotify asked us to slow down for longer than we wait, or the app's quota is spent.
    #[error("{0}")]
    RateLimited(String),
    /// Spotify could not be reached at all.
    #[error("{0}")]
    Offline(String),
    /// Spotify answered with an error we cannot fix by retrying.
    #[error("{0}")]
    Spotify(String),
    /// The user cancelled long work; what was done so far is kept consistent.
    #[error("{0}")]
    Cancelled(String),
    /// MusicBrainz or the Cover Art Archive answered with an error we cannot fix by retrying.
    #[error("{0}")]
    Catalog(String),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::SchemaTooNew { .. } | Error::Storage(_) | Error::Io { .. } => ErrorCode::Storage,
            Error::Internal(_) => ErrorCode::Internal,
            Error::AuthRequired(_) => ErrorCode::AuthRequired,
            Error::RateLimited(_) => ErrorCode::RateLimited,
            Error::Offline(_) => ErrorCode::Offline,
            Error::Spotify(_) => ErrorCode::Spotify,
            Error::Cancelled(_) => ErrorCode::Cancelled,
            Error::Catalog(_) => ErrorCode::Catalog,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
