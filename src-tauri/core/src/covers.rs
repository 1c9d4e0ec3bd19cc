//! Cover images: a picture the user picks is decoded, scaled down and stored as our own JPEG in
//! the data dir's `covers/` folder; the soundtrack keeps the file name.
//!
//! The user's original file is only ever read. This module owns the `covers/` folder and must not
//! serve files to the window (the shell does that, by name, from [`cover_path`]).

use std::path::{Path, PathBuf};

use image::{imageops::FilterType, ImageReader};
use rusqlite::{params, Connection};

use crate::edit::Target;
use crate::error::{Error, Result};

/// The longest side of a stored cover, in pixels: sharp on a 2× screen at grid size.
pub const COVER_SIZE: u32 = 600;
/// Larger files are refused before decoding; no cover needs more.
const MAX_SOURCE_BYTES: u64 = 40 * 1024 * 1024;

pub fn covers_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("covers")
}

/// The stored file for a cover name, or `None` for a name that is not one of ours (so a crafted
/// name can never reach outside `covers/`).
pub fn cover_path(data_dir: &Path, name: &str) -> Option<PathBuf> {
    let ours = name.len() <= 64
        && name.ends_with(".jpg")
        && name[..name.len() - 4]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    ours.then(|| covers_dir(data_dir).join(name))
}

/// Sets a soundtrack's cover from an image file; returns the stored file's name.
pub fn set_cover(
    conn: &mut Connection,
    data_dir: &Path,
    soundtrack_id: i64,
    source: &Path,
) -> Result<String> {
    // The soundtrack is checked before the picture is read: decoding a large image only to be
    // told the soundtrack is gone would waste seconds.
    crate::edit::ensure_live(conn, Target::Soundtrack(soundtrack_id))?;
    crate::validate::path("cover image", source)?;
    let shown = source.display();
    let size = std::fs::metadata(source)
        .map_err(|e| Error::InvalidInput(format!("cannot read the image {shown}: {e}")))?
        .len();
    if size > MAX_SOURCE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the image {shown} is {} MB; pick one under {} MB",
            size / 1_000_000,
            MAX_SOURCE_BYTES / 1_000_000
        )));
    }
    let reader = ImageReader::open(source)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| Error::InvalidInput(format!("cannot read the image {shown}: {e}")))?;
    let scaled = decode_scaled(reader, &shown.to_string())?;
    let (name, final_path) = store_scaled(data_dir, soundtrack_id, &scaled)?;

    let tx = conn.transaction()?;
    let previous: Option<String> = tx.query_row(
        "SELECT cover FROM soundtracks WHERE id = ?1",
        [soundtrack_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE soundtracks SET cover = ?2 WHERE id = ?1",
        params![soundtrack_id, name],
    )?;
    if let Err(e) = tx.commit() {
        let _ = std::fs::remove_file(&final_path);
        return Err(e.into());
    }
    if let Some(old) = previous.and_then(|old| cover_path(data_dir, &old)) {
        let _ = std::fs::remove_file(old);
    }
    Ok(name)
}

/// Writes a decoded, scaled picture as our own JPEG in `covers/` under a fresh name; returns the
/// name and the file. The caller records the name (and removes the file if it cannot).
fn store_scaled(
    data_dir: &Path,
    soundtrack_id: i64,
    scaled: &image::DynamicImage,
) -> Result<(String, PathBuf)> {
    let dir = covers_dir(data_dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))?;
    let name = fresh_name(soundtrack_id);
    let final_path = dir.join(&name);
    write_jpeg(scaled, &final_path)?;
    Ok((name, final_path))
}

/// Stores image bytes fetched from elsewhere (the Cover Art Archive) the same way as a picked
/// file: within the same limits, decoded, scaled, written as our JPEG. Returns the name and the
/// file, for the caller to record inside its own transaction.
pub(crate) fn store_image_bytes(
    data_dir: &Path,
    soundtrack_id: i64,
    bytes: &[u8],
) -> Result<(String, PathBuf)> {
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(Error::InvalidInput(format!(
            "the cover is {} MB; at most {} MB is used",
            bytes.len() / 1_000_000,
            MAX_SOURCE_BYTES / 1_000_000
        )));
    }
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::InvalidInput(format!("the cover could not be read: {e}")))?;
    let scaled = decode_scaled(reader, "the cover")?;
    store_scaled(data_dir, soundtrack_id, &scaled)
}

/// Removes a cover file by its stored name (after a failed transaction, or a replaced cover).
pub(crate) fn remove_cover_file(data_dir: &Path, name: &str) {
    if let Some(path) = cover_path(data_dir, name) {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes a soundtrack's cover (the window then shows the generated placeholder).
pub fn clear_cover(conn: &mut Connection, data_dir: &Path, soundtrack_id: i64) -> Result<()> {
    crate::edit::ensure_live(conn, Target::Soundtrack(soundtrack_id))?;
    let previous: Option<String> = conn.query_row(
        "SELECT cover FROM soundtracks WHERE id = ?1",
        [soundtrack_id],
        |r| r.get(0),
    )?;
    conn.execute(
        "UPDATE soundtracks SET cover = NULL WHERE id = ?1",
        [soundtrack_id],
    )?;
    if let Some(old) = previous.and_then(|old| cover_path(data_dir, &old)) {
        let _ = std::fs::remove_file(old);
    }
    Ok(())
}

/// Decodes a picture (within [`decoding_limits`]) and scales it down to [`COVER_SIZE`].
/// `shown` names it in the message when it is not a picture we can read.
fn decode_scaled<R: std::io::BufRead + std::io::Seek>(
    mut reader: ImageReader<R>,
    shown: &str,
) -> Result<image::DynamicImage> {
    reader.limits(decoding_limits());
    let picture = reader.decode().map_err(|e| {
        Error::InvalidInput(format!(
            "{shown} is not an image Cuesheet can read (JPEG, PNG, WebP or GIF): {e}"
        ))
    })?;
    Ok(if picture.width().max(picture.height()) > COVER_SIZE {
        picture.resize(COVER_SIZE, COVER_SIZE, FilterType::Lanczos3)
    } else {
        picture
    })
}

/// A picture file of a few kilobytes can claim to be 100,000 pixels square and make the
/// decoder ask for gigabytes; no cover is larger than a poster scan, so more is refused.
fn decoding_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Writes our own JPEG of `picture` to `path`, through a `.partial` file renamed into place.
fn write_jpeg(picture: &image::DynamicImage, path: &Path) -> Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if let Err(e) = picture
        .to_rgb8()
        .save_with_format(&partial, image::ImageFormat::Jpeg)
    {
        let _ = std::fs::remove_file(&partial);
        return Err(Error::Internal(format!("could not write the cover: {e}")));
    }
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Error::io(format!("could not store the cover {}", path.display()), e)
    })
}

/// Checks a cover carried in a backup the way a picked file is checked — at most
/// [`MAX_SOURCE_BYTES`], decoded as a real picture, scaled down — and writes our own JPEG of it
/// to `path`. Anything else (an HTML page named `.jpg`, a decompression bomb) is refused.
pub(crate) fn reencode_cover(bytes: &[u8], shown: &str, path: &Path) -> Result<()> {
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(Error::InvalidInput(format!(
            "{shown} is {} MB; a cover is at most {} MB",
            bytes.len() / 1_000_000,
            MAX_SOURCE_BYTES / 1_000_000
        )));
    }
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::InvalidInput(format!("cannot read {shown}: {e}")))?;
    let scaled = decode_scaled(reader, shown)?;
    write_jpeg(&scaled, path)
}

/// The largest cover a backup may carry, in bytes (what a picked file may be).
pub(crate) const MAX_COVER_BYTES: u64 = MAX_SOURCE_BYTES;

/// A name for a new cover of `soundtrack_id`, unused so far: a cached old picture never shows.
pub(crate) fn fresh_name(soundtrack_id: i64) -> String {
    format!("{soundtrack_id}-{}.jpg", unique_suffix())
}

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{nanos:x}")
}

impl crate::Library {
    pub fn set_cover(&mut self, soundtrack_id: i64, source: &Path) -> Result<String> {
        set_cover(&mut self.conn, &self.data_dir, soundtrack_id, source)
    }

    pub fn clear_cover(&mut self, soundtrack_id: i64) -> Result<()> {
        clear_cover(&mut self.conn, &self.data_dir, soundtrack_id)
    }

    pub fn cover_path(&self, name: &str) -> Option<PathBuf> {
        cover_path(&self.data_dir, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> (tempfile::TempDir, crate::Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = crate::Library::open(&dir.path().join("data")).unwrap();
        (dir, library)
    }

    fn write_png(path: &Path, width: u32, height: u32) {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        picture.save(path).unwrap();
    }

    #[test]
    fn a_large_picture_is_scaled_down_stored_and_the_original_left_alone() {
        let (dir, mut library) = library();
        let source = dir.path().join("poster.png");
        write_png(&source, 1800, 1200);
        let original = std::fs::read(&source).unwrap();

        let name = library.set_cover(1, &source).unwrap();
        let stored = library.cover_path(&name).unwrap();
        let (w, h) = image::image_dimensions(&stored).unwrap();
        assert_eq!((w, h), (600, 400));
        assert_eq!(
            std::fs::read(&source).unwrap(),
            original,
            "the original is untouched"
        );
        assert_eq!(
            library.get_soundtrack(1).unwrap().cover.as_deref(),
            Some(name.as_str())
        );

        // Replacing the cover removes the old file.
        let second = library.set_cover(1, &source).unwrap();
        assert_ne!(second, name);
        assert!(!stored.exists());
        library.clear_cover(1).unwrap();
        assert!(!library.cover_path(&second).unwrap().exists());
        assert_eq!(library.get_soundtrack(1).unwrap().cover, None);
    }

    #[test]
    fn a_file_that_is_not_an_image_is_refused_and_nothing_changes() {
        let (dir, mut library) = library();
        let source = dir.path().join("notes.png");
        std::fs::write(&source, "this is not a picture").unwrap();
        let err = library.set_cover(1, &source).unwrap_err();
        assert!(
            err.to_string().contains("not an image Cuesheet can read"),
            "{err}"
        );
        assert!(matches!(
            library.set_cover(1, &dir.path().join("missing.png")),
            Err(Error::InvalidInput(_))
        ));
        assert_eq!(library.get_soundtrack(1).unwrap().cover, None);
    }

    #[test]
    fn only_our_own_names_map_to_files() {
        let data = Path::new("/data");
        assert!(cover_path(data, "12-abc.jpg").is_some());
        for bad in ["../library.sqlite3", "12-abc.png", "a/b.jpg", "..jpg/", ""] {
            assert!(cover_path(data, bad).is_none(), "{bad}");
        }
    }
}
