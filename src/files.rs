//! Reading the files a user names (specs, templates, configuration): regular files only
//! (symbolic links followed), at most a size limit, as UTF-8. A FIFO, a device such as
//! `/dev/zero` or a directory is refused at once with a one-line reason, instead of
//! blocking or filling memory. The limit (`max-file-size`, 64 MiB by default) is
//! configurable; a file over it is refused with a message naming the limit and where it
//! was set.

use std::fmt;
use std::fs::File;
use std::io;
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
/// message says why (without the path). The file is opened once, without blocking (a
/// FIFO or a device is refused by what the open file is, before anything is read), and
/// read in one read when it still has the size it had then ([`read_sized`]).
pub fn read_bytes(path: &Path, max: &Limit) -> io::Result<Vec<u8>> {
    // elsewhere than on Unix, what is not a file is refused before it is opened (a
    // directory cannot be, a pipe would be waited on)
    #[cfg(not(unix))]
    regular(&std::fs::metadata(path)?)?;
    let mut file = open_without_blocking(path)?;
    let meta = file.metadata()?;
    regular(&meta)?;
    let too_big = |what: String| io::Error::new(io::ErrorKind::FileTooLarge, what);
    if meta.len() > max.bytes {
        let why = format!("{} bytes, over {max}", meta.len());
        return Err(too_big(why));
    }
    // the file may grow while it is read: it is read up to one byte past the limit
    let bytes = read_sized(&mut file, meta.len(), max.bytes.saturating_add(1))?;
    if bytes.len() as u64 > max.bytes {
        let why = format!("grew over {max} while read");
        return Err(too_big(why));
    }
    Ok(bytes)
}

/// `Ok` for a regular file; else the error saying what it is.
fn regular(meta: &std::fs::Metadata) -> io::Result<()> {
    match meta.is_file() {
        true => Ok(()),
        false => {
            let why = format!("not a regular file ({})", kind(meta));
            Err(io::Error::new(io::ErrorKind::InvalidInput, why))
        }
    }
}

/// `path` opened for reading. On Unix, without waiting for a writer (a FIFO) and without
/// becoming the controlling terminal (a terminal): what is not a regular file is refused
/// once it is open.
fn open_without_blocking(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// What `file` holds, read until its end or until `most` bytes. `size` is its size
/// when opened: a read that returns fewer bytes than asked for and reaches it is taken
/// as the end (a regular file's read returns fewer bytes only at its end), so a file of
/// the size it had takes one read, where reading until a read returns nothing takes a
/// second; a file that grew meanwhile is read on, up to `most`, and one whose size says
/// 0 (a file under /proc) is read to its end.
fn read_sized(file: &mut impl ReadSpare, size: u64, most: u64) -> io::Result<Vec<u8>> {
    let room = |len: u64| usize::try_from(len.min(most)).unwrap_or(usize::MAX);
    // one byte more than the size: a read that fills it all says the file grew
    let mut bytes = Vec::with_capacity(room(size.saturating_add(1)));
    loop {
        if bytes.len() == bytes.capacity() {
            let more = room((bytes.len() as u64).saturating_mul(2).max(8192)) - bytes.len();
            if more == 0 {
                break; // `most` read
            }
            bytes.reserve_exact(more);
        }
        let asked = room(u64::MAX) - bytes.len();
        let asked = asked.min(bytes.capacity() - bytes.len());
        match file.read_spare(&mut bytes, asked) {
            Ok(0) => break,
            Ok(n) if n < asked && bytes.len() as u64 == size => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(bytes)
}

/// A reader that reads into a vector's spare capacity, not into bytes zeroed first.
trait ReadSpare {
    /// Reads at most `most` bytes (at most the spare capacity) onto the end of `bytes`.
    fn read_spare(&mut self, bytes: &mut Vec<u8>, most: usize) -> io::Result<usize>;
}

impl ReadSpare for File {
    #[cfg(unix)]
    fn read_spare(&mut self, bytes: &mut Vec<u8>, most: usize) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        let spare = bytes.spare_capacity_mut();
        let most = most.min(spare.len());
        // SAFETY: read(2) writes at most `most` bytes at the start of the spare capacity,
        // which is allocated and at least that long, and returns how many it wrote; only
        // those become part of the vector. (Zeroing the capacity first, to read into a
        // `&mut [u8]`, was 1.7 M of check's 53.5 M instructions over the corpus.)
        let n = unsafe { libc::read(self.as_raw_fd(), spare.as_mut_ptr().cast(), most) };
        let n = usize::try_from(n).map_err(|_| io::Error::last_os_error())?;
        // SAFETY: the first `n` bytes of the spare capacity were just written.
        unsafe { bytes.set_len(bytes.len() + n) };
        Ok(n)
    }

    #[cfg(not(unix))]
    fn read_spare(&mut self, bytes: &mut Vec<u8>, most: usize) -> io::Result<usize> {
        use std::io::Read;
        let start = bytes.len();
        bytes.resize(start + most.min(bytes.capacity() - start), 0);
        let read = self.read(&mut bytes[start..]);
        bytes.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }
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

    /// A reader that reads as a regular file does (all it is asked for, up to the
    /// end), counting the reads.
    struct FileLike<'a> {
        left: &'a [u8],
        reads: usize,
    }

    impl ReadSpare for FileLike<'_> {
        fn read_spare(&mut self, bytes: &mut Vec<u8>, most: usize) -> io::Result<usize> {
            self.reads += 1;
            let n = most
                .min(bytes.capacity() - bytes.len())
                .min(self.left.len());
            bytes.extend_from_slice(&self.left[..n]);
            self.left = &self.left[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_file_of_the_size_it_had_takes_one_read() {
        let mut file = FileLike {
            left: b"hello",
            reads: 0,
        };
        assert_eq!(read_sized(&mut file, 5, 100).unwrap(), b"hello");
        assert_eq!(file.reads, 1);
        let big = vec![b'x'; 100_000];
        let mut file = FileLike {
            left: &big,
            reads: 0,
        };
        assert_eq!(read_sized(&mut file, 100_000, 1 << 20).unwrap(), big);
        assert_eq!(file.reads, 1);
        // an empty one too: its one read returns nothing
        let mut file = FileLike {
            left: b"",
            reads: 0,
        };
        assert_eq!(read_sized(&mut file, 0, 100).unwrap(), b"");
        assert_eq!(file.reads, 1);
    }

    proptest::proptest! {
        /// Whatever size the file had when opened (it grew, shrank, or says 0 as files
        /// under /proc do), what is read is all of it, up to the most asked for.
        #[test]
        fn reads_all_of_a_file_whatever_its_size_said(
            content in proptest::collection::vec(proptest::num::u8::ANY, 0..20_000),
            size in 0u64..25_000,
            most in 1u64..30_000,
        ) {
            let mut file = FileLike { left: &content, reads: 0 };
            let read = read_sized(&mut file, size, most).unwrap();
            let expected = &content[..content.len().min(most as usize)];
            proptest::prop_assert_eq!(read.as_slice(), expected);
        }
    }

    /// Files read from the disk, of sizes around the first buffer's, are read whole.
    #[test]
    fn reads_files_from_the_disk_whole() {
        let dir = std::env::temp_dir().join(format!("tsl-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for len in [0, 1, 31, 32, 4095, 8192, 8193, 100_000] {
            let path = dir.join(format!("{len}.txt"));
            let content: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            assert_eq!(
                read_bytes(&path, &Limit::default()).unwrap(),
                content,
                "{len}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let fifo = std::env::temp_dir().join(format!("tsl-fifo-{}", std::process::id()));
        let _ = std::fs::remove_file(&fifo);
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: `name` is a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        // (on a thread: an open that waited for a writer would hang the test)
        let (send, receive) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || send.send(read_text(&path, &Limit::default())));
        let read = receive.recv_timeout(std::time::Duration::from_secs(10));
        std::fs::remove_file(&fifo).unwrap();
        let err = read
            .expect("reading a FIFO waited for a writer")
            .unwrap_err();
        assert!(err.ends_with("not a regular file (a FIFO)"), "{err}");
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
