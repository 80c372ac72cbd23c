//! Reading the files a user names (specs, templates, configuration): regular files only
//! (symbolic links followed), at most a size limit, as UTF-8. A FIFO, a device such as
//! `/dev/zero` or a directory is refused at once with a one-line reason, instead of
//! blocking or filling memory.

use std::io::Read;
use std::path::Path;

/// The default limit on the size of a file read (64 MiB).
pub const MAX_FILE_SIZE: u64 = 64 << 20;

/// The bytes of a regular file of at most `max` bytes, or a one-line reason (naming the
/// file) why not.
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let meta = std::fs::metadata(path).map_err(|e| fail(&e))?;
    if !meta.is_file() {
        return Err(fail(&format!("not a regular file ({})", kind(&meta))));
    }
    let too_big = |len: u64| fail(&format!("{len} bytes, over the limit of {max} bytes"));
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // the file may grow while it is read: read one byte past the limit to notice
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(&e))?;
    if bytes.len() as u64 > max {
        return Err(fail(&format!(
            "grew over the limit of {max} bytes while read"
        )));
    }
    Ok(bytes)
}

/// The text of a regular file of at most `max` bytes (see [`read_bytes`]); invalid
/// UTF-8 is an error naming the first bad byte's offset.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    let bytes = read_bytes(path, max)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not valid UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
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
        let err = read_text(Path::new("/dev/zero"), MAX_FILE_SIZE).unwrap_err();
        assert_eq!(err, "/dev/zero: not a regular file (a device)");
        let err = read_text(Path::new("/"), MAX_FILE_SIZE).unwrap_err();
        assert!(err.ends_with("not a regular file (a directory)"), "{err}");
        let err = read_text(Path::new("Cargo.toml"), 10).unwrap_err();
        assert!(err.contains("over the limit of 10 bytes"), "{err}");
        assert!(read_text(Path::new("Cargo.toml"), MAX_FILE_SIZE).is_ok());
    }
}
