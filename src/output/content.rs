//! A document's bytes, made in order. A large document — the HTML page of a 10,000-function
//! plan is 51 MB — goes to an unnamed temporary file as it is made, a stretch at a time,
//! instead of growing in memory beside the template context; what is known only at the end
//! (the table of contents) fills a slot kept for it.

use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom, Write};

/// Bytes are stored once this many are waiting: a few stretches for a large page, none for
/// a small one (which never touches the disk).
const STORE_AT: usize = 1 << 20;

/// Stored stretches are read back this much at a time.
const READ_BACK: usize = 64 * 1024;

/// A failure to read back what was stored, saying where it was.
fn read_back(e: &io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "reading back the part of it kept in the temporary folder `{}`: {e}",
            std::env::temp_dir().display()
        ),
    )
}

/// A document's bytes: bytes in memory, stretches stored in a temporary file, and slots
/// filled later.
pub struct Content {
    pieces: Vec<Piece>,
    /// Whether the last piece is bytes that may still grow (not a slot).
    open: bool,
    /// Where stored stretches go: created for the first (in the temporary folder, `TMPDIR`),
    /// already unlinked, so the system deletes it when it is closed, whatever happens.
    file: Option<File>,
    stored: u64,
    /// How many bytes wait before they are stored; never, once storing failed.
    store_at: usize,
    /// Slots kept and not yet filled.
    unfilled: usize,
}

enum Piece {
    Bytes(Vec<u8>),
    Stored { start: u64, len: u64 },
}

impl Default for Content {
    fn default() -> Self {
        Content::storing_at(STORE_AT)
    }
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("len", &self.len())
            .field("stored", &self.stored)
            .finish_non_exhaustive()
    }
}

impl From<Vec<u8>> for Content {
    fn from(bytes: Vec<u8>) -> Self {
        let mut content = Content::default();
        content.pieces.push(Piece::Bytes(bytes));
        content
    }
}

impl From<String> for Content {
    fn from(text: String) -> Self {
        Content::from(text.into_bytes())
    }
}

impl Content {
    /// Content that stores its bytes once `store_at` are waiting.
    fn storing_at(store_at: usize) -> Self {
        Content {
            pieces: Vec::new(),
            open: false,
            file: None,
            stored: 0,
            store_at,
            unfilled: 0,
        }
    }

    /// The number of bytes.
    pub fn len(&self) -> u64 {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Bytes(b) => b.len() as u64,
                Piece::Stored { len, .. } => *len,
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `text`.
    pub fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Bytes(bytes)) if self.open => bytes.extend_from_slice(text.as_bytes()),
            _ => {
                self.pieces.push(Piece::Bytes(text.as_bytes().to_vec()));
                self.open = true;
            }
        }
        if let Some(Piece::Bytes(bytes)) = self.pieces.last()
            && bytes.len() >= self.store_at
        {
            self.store_last();
        }
    }

    /// Puts `text` before everything. Slots kept before are filled first: their places move.
    pub fn prepend(&mut self, text: &str) {
        debug_assert_eq!(
            self.unfilled, 0,
            "a slot kept before `prepend` is not filled"
        );
        self.pieces
            .insert(0, Piece::Bytes(text.as_bytes().to_vec()));
        if self.pieces.len() == 1 {
            self.open = true;
        }
    }

    /// Keeps a place, here, for bytes known later ([`Content::fill`]); empty until filled.
    pub fn slot(&mut self) -> usize {
        self.pieces.push(Piece::Bytes(Vec::new()));
        self.open = false;
        self.unfilled += 1;
        self.pieces.len() - 1
    }

    /// Fills a place [`Content::slot`] kept.
    pub fn fill(&mut self, slot: usize, text: &str) {
        if let Some(Piece::Bytes(bytes)) = self.pieces.get_mut(slot) {
            self.unfilled = self.unfilled.saturating_sub(1);
            bytes.clear();
            bytes.extend_from_slice(text.as_bytes());
        }
    }

    /// Moves the last piece (open bytes) to the file, next to the stretch stored before it
    /// when that is the piece before. When the temporary folder cannot take it (missing,
    /// read-only, full), the bytes stay in memory as a small document's do, and so does all
    /// that follows: storing saves memory, it is never a reason to fail.
    fn store_last(&mut self) {
        let Some(Piece::Bytes(bytes)) = self.pieces.pop() else {
            return;
        };
        if self.store(&bytes).is_err() {
            self.pieces.push(Piece::Bytes(bytes));
            self.store_at = usize::MAX;
            return;
        }
        self.open = false;
        let (start, len) = (self.stored, bytes.len() as u64);
        self.stored += len;
        match self.pieces.last_mut() {
            Some(Piece::Stored { start: s, len: l }) if *s + *l == start => *l += len,
            _ => self.pieces.push(Piece::Stored { start, len }),
        }
    }

    fn store(&mut self, bytes: &[u8]) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile()?),
        };
        file.write_all(bytes)
    }

    /// Writes the bytes to `out`, in order.
    ///
    /// # Errors
    /// Writing to `out` failed, or reading back a stored stretch did (the error says so).
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut buffer = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Bytes(bytes) => out.write_all(bytes)?,
                Piece::Stored { start, len } => {
                    let mut file = self
                        .file
                        .as_ref()
                        .ok_or_else(|| read_back(&io::ErrorKind::NotFound.into()))?;
                    file.seek(SeekFrom::Start(*start))
                        .map_err(|e| read_back(&e))?;
                    buffer.resize(READ_BACK, 0);
                    let mut left = *len;
                    while left > 0 {
                        let n = usize::try_from(left).map_or(READ_BACK, |l| l.min(READ_BACK));
                        file.read_exact(&mut buffer[..n])
                            .map_err(|e| read_back(&e))?;
                        out.write_all(&buffer[..n])?;
                        left -= n as u64;
                    }
                }
            }
        }
        Ok(())
    }

    /// All the bytes, in memory.
    ///
    /// # Errors
    /// Reading back a stored stretch failed.
    pub fn into_bytes(mut self) -> io::Result<Vec<u8>> {
        if let [Piece::Bytes(bytes)] = self.pieces.as_mut_slice() {
            return Ok(std::mem::take(bytes));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(self.len()).unwrap_or_default());
        self.write_to(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::Content;

    fn bytes(content: Content) -> String {
        String::from_utf8(content.into_bytes().unwrap()).unwrap()
    }

    #[test]
    fn pieces_stored_slots_and_text_read_back_in_order() {
        // Stored after every 4 bytes waiting: exercises the file on a few words.
        let mut content = Content::storing_at(4);
        content.push_str("ab");
        let slot = content.slot();
        content.push_str("cdef");
        content.push_str("gh");
        content.push_str("ijklm");
        content.push_str("");
        content.push_str("n");
        content.fill(slot, "[contents]");
        content.prepend("<");
        assert!(content.stored > 0, "stretches were stored");
        assert_eq!(content.len(), "<ab[contents]cdefghijklmn".len() as u64);
        let mut written = Vec::new();
        content.write_to(&mut written).unwrap();
        assert_eq!(written, b"<ab[contents]cdefghijklmn");
        // Read twice: writing does not consume the stored stretches.
        assert_eq!(bytes(content), "<ab[contents]cdefghijklmn");
    }

    #[test]
    fn small_content_stays_in_memory() {
        let mut content = Content::default();
        content.push_str("<p>a</p>\n");
        content.push_str("<p>b</p>\n");
        assert!(content.file.is_none());
        assert_eq!(content.pieces.len(), 1);
        assert_eq!(bytes(content), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(
            Content::from(vec![0xff, 0]).into_bytes().unwrap(),
            [0xff, 0]
        );
    }
}
