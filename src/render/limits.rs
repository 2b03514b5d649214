//! Bounds on template execution. A plan's own `templates/` run in CI on every commit: a loop
//! that never ends (`range(10000)` three times nested) or a string doubled in a loop must
//! stop with an error naming the template and line, not run for hours or exhaust memory.
//!
//! minijinja's fuel bounds both: about one unit per instruction, and one per 64 bytes of text
//! or list built, written or captured. The budget grows with the plan, since the built-in
//! templates' work does: they use about 0.2 fuel per byte of the plan's data (the context as
//! JSON: 37,000 for the bank example's whole plan, 0.9 million for a generated 1,000-function
//! plan), so [`FUEL_PER_CONTEXT_BYTE`] leaves five times that, and [`FUEL_BASE`] a hundred
//! times what a small plan needs. A small plan's runaway template stops after about 4 million
//! instructions or 256 MiB of text built. The text a template writes is bounded on its own
//! too ([`output_limit`]), with its own message.

/// Fuel every render may use, whatever the plan's size.
pub const FUEL_BASE: u64 = 4_000_000;

/// Fuel per byte of the template context.
pub const FUEL_PER_CONTEXT_BYTE: u64 = 1;

/// The fuel of one template render for a context of `context_bytes`.
pub fn fuel(context_bytes: usize) -> u64 {
    FUEL_BASE.saturating_add(FUEL_PER_CONTEXT_BYTE.saturating_mul(context_bytes as u64))
}

/// Most bytes one document template may write: 64 MiB, or eight times the context (the
/// built-in templates write about a third of it).
pub fn output_limit(context_bytes: usize) -> usize {
    (64 * 1024 * 1024).max(context_bytes.saturating_mul(8))
}

/// A template's output, kept up to `limit` bytes. Past the limit the text is dropped and
/// [`Full`] is raised; the next `{{ ... }}` the template prints then fails in the formatter
/// (see [`check`]), where minijinja still knows the template and line (a failing writer loses
/// them), and a template that only writes raw text runs out of fuel soon after.
pub struct Bounded {
    pub bytes: Vec<u8>,
    written: usize,
    limit: usize,
    full: Full,
    /// Where pieces go when the output is handed on as it is written ([`Bounded::streaming`]).
    pieces: Option<Box<dyn FnMut(Vec<u8>)>>,
    /// How much of `bytes` is known to hold no blank line: each write is searched once, so
    /// output without blank lines costs no more than output with them.
    searched: usize,
}

/// How much output gathers before it is handed on as a piece.
const PIECE: usize = 256 * 1024;

/// Whether the document being rendered passed its output limit: shared by the writer that
/// raises it and the formatter that stops the template.
#[derive(Clone, Default)]
pub struct Full(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Full {
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn set(&self, full: bool) {
        self.0.store(full, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Bounded {
    /// An empty output for one document; lowers `full` again.
    pub fn new(limit: usize, full: &Full) -> Self {
        full.set(false);
        Bounded {
            bytes: Vec::new(),
            written: 0,
            limit,
            full: full.clone(),
            pieces: None,
            searched: 0,
        }
    }

    /// An output handed on in pieces as it is written, each ending after a blank line (where
    /// the Markdown can be cut without splitting a line or a character), to `hand_on`, on the
    /// writing thread; [`Bounded::finish`] hands on the rest.
    pub fn streaming(limit: usize, full: &Full, hand_on: Box<dyn FnMut(Vec<u8>)>) -> Self {
        Bounded {
            pieces: Some(hand_on),
            ..Bounded::new(limit, full)
        }
    }

    /// Sends what is left of a streaming output, and closes it.
    pub fn finish(mut self) {
        let rest = std::mem::take(&mut self.bytes);
        if !rest.is_empty() {
            self.send(rest);
        }
    }

    fn send(&mut self, piece: Vec<u8>) {
        if let Some(hand_on) = &mut self.pieces {
            hand_on(piece);
        }
    }
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.full.get() || self.written.saturating_add(buf.len()) > self.limit {
            self.full.set(true);
        } else {
            self.bytes.extend_from_slice(buf);
            self.written += buf.len();
            if self.pieces.is_some() && self.bytes.len() >= PIECE {
                let from = self.searched.saturating_sub(1);
                let blank = self.bytes[from..]
                    .windows(2)
                    .rposition(|pair| pair == b"\n\n");
                if let Some(end) = blank.map(|at| from + at + 2) {
                    let rest = self.bytes.split_off(end);
                    let piece = std::mem::replace(&mut self.bytes, rest);
                    self.send(piece);
                }
                self.searched = self.bytes.len();
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// For the formatter, before it prints a value: an error once the output is full.
pub fn check(full: &Full) -> Result<(), minijinja::Error> {
    if full.get() {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "output limit",
        ));
    }
    Ok(())
}

/// The message of a template error that is one of these limits; `None` for other errors.
/// `output_limit` is the limit when the output passed it.
pub fn message(error: &minijinja::Error, output_limit: Option<usize>) -> Option<String> {
    if let Some(limit) = output_limit {
        return Some(full_message(limit));
    }
    (error.kind() == minijinja::ErrorKind::OutOfFuel).then(|| {
        "the template used up the work bcp allows one document (a loop that never ends, or text built up without end?)"
            .to_string()
    })
}

/// The message of a document whose output passed `limit`.
pub fn full_message(limit: usize) -> String {
    format!(
        "the template writes more than bcp allows one document ({} MiB)",
        limit / (1024 * 1024)
    )
}
