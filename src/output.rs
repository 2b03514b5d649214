//! Writing output files: atomically, readable by others, never through devices.

use crate::error::Error;
use std::io::Write as _;
use std::path::Path;

/// What to do when the target is a symbolic link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// Replace the link by the new file (`bcp init --force` in its own folder).
    Replace,
    /// Refuse: the user named a link as output.
    Refuse,
}

/// Writes a file atomically: a temporary file in the same folder (created if missing), then
/// renamed over the target, so a failed write leaves any earlier file intact and no partial
/// one. Documents are for reading: mode 0644, not the temporary file's owner-only mode.
///
/// An existing target that is not a regular file (a folder, a pipe, a device) is refused.
/// A symbolic link is never written through: with [`Links::Replace`] the link itself is
/// replaced by the new file (output stays inside the folder it was given); with
/// [`Links::Refuse`] it is an error, since `--out /dev/stdout` and the like are links whose
/// replacement would do harm.
///
/// # Errors
/// [`Error::WriteOutput`].
pub fn write_atomic(path: &Path, bytes: &[u8], links: Links) -> Result<(), Error> {
    let fail = |source| Error::WriteOutput {
        path: path.to_path_buf(),
        source,
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let refused = if meta.file_type().is_symlink() {
            (links == Links::Refuse).then_some(
                "it is a symbolic link, which bcp neither follows nor replaces; name the real file",
            )
        } else {
            (!meta.is_file()).then_some("it exists and is not a regular file; name a file to write")
        };
        if let Some(reason) = refused {
            return Err(fail(std::io::Error::other(reason)));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bcp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
