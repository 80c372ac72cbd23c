//! Reading the files a user names (specs, templates, configuration): regular files only
//! (symbolic links followed), at most a size limit, as UTF-8. A FIFO, a device such as
//! `/dev/zero` or a directory is refused at once with a one-line reason, instead of
//! blocking or filling memory. The limit (`max-file-size`, 64 MiB by default) is
//! configurable; a file over it is refused with a message naming the limit and where it
//! was set.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

/// The default limit on the size of a file read (64 MiB).
pub const MAX_FILE_SIZE: u64 = 64 << 20;

/// The limit on the size of the files read, and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// Where `max-file-size` was set (a configuration file, `settings`,
    /// `--max-file-size`); `None` for the default.
    pub set_in: Option<String>,
}

impl Default for Limit {
    fn default() -> Limit {
        Limit {
            bytes: MAX_FILE_SIZE,
            set_in: None,
        }
    }
}

impl fmt::Display for Limit {
    /// "the limit of N bytes (max-file-size, set in X)", or for the default how to
    /// change it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.set_in {
            Some(at) => write!(
                f,
                "the limit of {} bytes (max-file-size, set in {at})",
                self.bytes
            ),
            None => write!(
                f,
                "the default limit of {} bytes (64 MiB; raise it with max-file-size in trove-spec-lsp.toml)",
                self.bytes
            ),
        }
    }
}

/// A size as `max-file-size` takes it: bytes, or a number with a unit `B`, `KiB`, `MiB`
/// or `GiB` ("64MiB", "512 KiB"); at least one byte.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = (&text[..split], text[split..].trim());
    let scale: u64 = match unit {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => {
            return Err(format!(
                "invalid size {text:?}: give bytes, or a number with B, KiB, MiB or GiB (\"64MiB\")"
            ));
        }
    };
    let n: u64 = number.parse().map_err(|_| {
        format!(
            "invalid size {text:?}: give bytes, or a number with B, KiB, MiB or GiB (\"64MiB\")"
        )
    })?;
    match n.checked_mul(scale) {
        Some(0) => Err("the size must be at least 1 byte".to_string()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("invalid size {text:?}: too large")),
    }
}

/// The bytes of a regular file of at most `max` bytes; what is not is an error whose
/// message says why (without the path).
pub fn read_bytes(path: &Path, max: &Limit) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let why = format!("not a regular file ({})", kind(&meta));
        return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
    }
    let too_big = |what: String| io::Error::new(io::ErrorKind::FileTooLarge, what);
    if meta.len() > max.bytes {
        let why = format!("{} bytes, over {max}", meta.len());
        return Err(too_big(why));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // the file may grow while it is read: read one byte past the limit to notice
    file.take(max.bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max.bytes {
        let why = format!("grew over {max} while read");
        return Err(too_big(why));
    }
    Ok(bytes)
}

/// The text of a regular file of at most `max` bytes (see [`read_bytes`]); invalid
/// UTF-8 is an error naming the first bad byte's offset.
pub fn read_text(path: &Path, max: &Limit) -> Result<String, String> {
    let bytes = read_bytes(path, max).map_err(|e| format!("{}: {e}", path.display()))?;
    // `simdutf8` validates 16-32 bytes at a time (std's `from_utf8`, a word at a time,
    // was 0.84 M of check's 59.7 M instructions over the corpus)
    if let Err(e) = simdutf8::compat::from_utf8(&bytes) {
        return Err(format!(
            "{}: not valid UTF-8 (invalid byte at offset {})",
            path.display(),
            e.valid_up_to()
        ));
    }
    // SAFETY: `simdutf8` has just checked that `bytes` are UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// What a file that is not a regular file is, for messages.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file() {
        let default = Limit::default();
        let err = read_text(Path::new("/dev/zero"), &default).unwrap_err();
        assert_eq!(err, "/dev/zero: not a regular file (a device)");
        let err = read_text(Path::new("/"), &default).unwrap_err();
        assert!(err.ends_with("not a regular file (a directory)"), "{err}");
        let small = Limit {
            bytes: 10,
            set_in: Some("x.toml".into()),
        };
        let err = read_text(Path::new("Cargo.toml"), &small).unwrap_err();
        assert!(
            err.contains("over the limit of 10 bytes (max-file-size, set in x.toml)"),
            "{err}"
        );
        assert!(read_text(Path::new("Cargo.toml"), &default).is_ok());
    }

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size(" 512 KiB "), Ok(512 << 10));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("64MB").unwrap_err().contains("KiB, MiB or GiB"));
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999GiB").is_err());
    }
}
