//! The files API's domain, apart from HTTP: every path a client names is resolved against a
//! [`Jail`] — the roots it may touch — before anything reads or writes it.
//!
//! Rules, the same for every operation:
//! - a relative path needs a base (a session's workspace); `..` is refused wherever it appears;
//! - what exists is resolved with every symlink followed (`canonicalize`) and must lie under a
//!   root, so a link the agent planted that points out of the workspace is refused;
//! - what does not exist yet is resolved through its deepest existing ancestor, which must lie
//!   under a root; the missing components are plain names;
//! - delete, move's source and stat act on a link itself, never on what it points to (its parent
//!   is what must lie under a root).
//!
//! Between the check and the use a path could be swapped for a link by someone who can write
//! in the root; see docs/files.md for that limit.

mod attach;
mod ops;
mod untar;

use std::io;
use std::path::{Component, Path, PathBuf};

pub use attach::{attach, discard, mime_for, Attached, ATTACHMENTS_DIR};
pub use ops::{delete, entries, mkdir, move_entry, open_read, stat, write_file};
pub use untar::unpack;

#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{what} is larger than the limit of {limit} bytes")]
    TooLarge { what: String, limit: u64 },
    #[error("{0}")]
    UnsafeArchive(String),
    #[error("{context}: {source}")]
    Io { context: String, source: io::Error },
}

pub type Result<T> = std::result::Result<T, FsError>;

pub(crate) fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> FsError {
    let context = context.into();
    move |source| match source.kind() {
        io::ErrorKind::NotFound => FsError::NotFound(format!("{context}: not found")),
        io::ErrorKind::AlreadyExists => FsError::Conflict(format!("{context}: already exists")),
        io::ErrorKind::DirectoryNotEmpty => {
            FsError::Conflict(format!("{context}: directory not empty (use recursive=true)"))
        }
        io::ErrorKind::NotADirectory => FsError::Conflict(format!("{context}: not a directory")),
        io::ErrorKind::IsADirectory => FsError::Conflict(format!("{context}: is a directory")),
        _ => FsError::Io { context, source },
    }
}

/// The roots a request may touch, and the base of its relative paths.
#[derive(Debug, Clone)]
pub struct Jail {
    roots: Vec<PathBuf>,
    base: Option<PathBuf>,
}

impl Jail {
    /// `roots` that do not exist are left out (they hold nothing to reach). `base`, when given, is
    /// where relative paths start; it is not a root unless it is also in `roots` or under one.
    pub fn new(roots: impl IntoIterator<Item = PathBuf>, base: Option<PathBuf>) -> Jail {
        let roots = roots.into_iter().filter_map(|r| r.canonicalize().ok()).collect();
        let base = base.map(|b| b.canonicalize().unwrap_or(b));
        Jail { roots, base }
    }

    /// A jail of one directory, which is also the base (a participant's view of its session).
    pub fn only(dir: PathBuf) -> Jail {
        Jail::new([dir.clone()], Some(dir))
    }

    fn within(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| path.starts_with(root))
    }

    /// `raw` made absolute, lexically checked (no `..`, no NUL, not empty), not yet resolved.
    fn absolute(&self, raw: &str) -> Result<PathBuf> {
        if raw.is_empty() || raw.contains('\0') {
            return Err(FsError::Invalid("path must be a non-empty string without NUL".into()));
        }
        let path = Path::new(raw);
        if path.components().any(|c| c == Component::ParentDir) {
            return Err(FsError::NotAllowed(format!("{raw}: `..` is not allowed in a path")));
        }
        if path.is_absolute() {
            return Ok(path.to_path_buf());
        }
        match &self.base {
            Some(base) => Ok(base.join(path)),
            None => Err(FsError::Invalid(format!("{raw}: a relative path needs sessionId"))),
        }
    }

    fn refuse(&self, raw: &str) -> FsError {
        FsError::NotAllowed(format!("{raw}: outside the allowed roots"))
    }

    /// An existing path with every link followed, under a root.
    pub fn existing(&self, raw: &str) -> Result<PathBuf> {
        let path = self.absolute(raw)?;
        let real = match path.canonicalize() {
            Ok(real) => real,
            // Say "outside" rather than "not found" for paths no root holds, so a client learns
            // nothing about what exists outside.
            Err(_) if !self.within(&self.nearest(&path)?) => return Err(self.refuse(raw)),
            Err(err) => return Err(io_err(raw)(err)),
        };
        if self.within(&real) {
            Ok(real)
        } else {
            Err(self.refuse(raw))
        }
    }

    /// A path that may not exist yet: its deepest existing ancestor resolved and under a root,
    /// the rest appended. An existing path is resolved as by [`Jail::existing`].
    pub fn creatable(&self, raw: &str) -> Result<PathBuf> {
        let path = self.absolute(raw)?;
        if path.symlink_metadata().is_ok() {
            return self.existing(raw);
        }
        let (ancestor, rest) = split_existing(&path);
        match ancestor.canonicalize() {
            Ok(real) if self.within(&real) => Ok(real.join(rest)),
            _ => Err(self.refuse(raw)),
        }
    }

    /// The link itself (not its target): the parent resolved and under a root, the name kept.
    /// A root itself is refused: it is not a client's to move or delete.
    pub fn entry(&self, raw: &str) -> Result<PathBuf> {
        let path = self.absolute(raw)?;
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(self.refuse(raw));
        };
        let parent = parent.canonicalize().map_err(|e| match self.nearest(parent) {
            Ok(near) if self.within(&near) => io_err(raw)(e),
            _ => self.refuse(raw),
        })?;
        let entry = parent.join(name);
        if !self.within(&parent) || self.roots.contains(&entry) {
            return Err(self.refuse(raw));
        }
        Ok(entry)
    }

    /// The deepest existing ancestor of `path`, resolved (a link that leads nowhere resolves to
    /// nothing, and nothing is under no root).
    fn nearest(&self, path: &Path) -> Result<PathBuf> {
        let (ancestor, _) = split_existing(path);
        Ok(ancestor.canonicalize().unwrap_or_default())
    }
}

/// `path` split into its deepest ancestor that exists (as anything, a link included) and the
/// components below it.
fn split_existing(path: &Path) -> (PathBuf, PathBuf) {
    let mut missing = Vec::new();
    let mut at = path;
    while at.symlink_metadata().is_err() {
        match (at.file_name(), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                at = parent;
            }
            _ => break,
        }
    }
    (at.to_path_buf(), missing.iter().rev().collect())
}
