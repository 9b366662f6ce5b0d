//! The files API, `/v1/fs/*`: entries, stat, whole files as raw bytes, mkdir, move, delete and a
//! tar upload, all confined to the daemon's allowed roots (or one session's workspace).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What a directory entry is. A symlink is reported as one, never followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FsEntryType {
    File,
    Directory,
    Symlink,
    Other,
}

/// One file, directory or link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FsEntry {
    pub name: String,
    /// Absolute.
    pub path: String,
    #[serde(rename = "type")]
    pub entry_type: FsEntryType,
    /// Bytes (a link's own size for a symlink).
    pub size: u64,
    /// RFC 3339, when the system reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Unix permission bits.
    pub mode: u32,
}

/// `GET /v1/fs/entries`: a directory's entries, directories first, then by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FsEntriesResponse {
    /// The directory, absolute and resolved.
    pub path: String,
    pub entries: Vec<FsEntry>,
}

/// Where a request's paths are: `path` (absolute, or relative to the session's workspace with
/// `sessionId`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FsPathQuery {
    pub path: String,
    /// Resolve a relative `path` in this session's workspace (and confine it there).
    pub session_id: Option<String>,
}

/// `DELETE /v1/fs/entry`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FsDeleteQuery {
    pub path: String,
    pub session_id: Option<String>,
    /// Delete a directory with everything in it (default false: only an empty one).
    pub recursive: Option<bool>,
}

/// `POST /v1/fs/mkdir`, `POST /v1/fs/move`: only `sessionId` in the query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FsSessionQuery {
    pub session_id: Option<String>,
}

/// Body of `POST /v1/fs/mkdir`: makes the directory and any missing parents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FsMkdirRequest {
    pub path: String,
}

/// Body of `POST /v1/fs/move`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FsMoveRequest {
    pub from: String,
    pub to: String,
    /// Replace what is at `to` (a file, or an empty directory). Default false: 409 if it exists.
    #[serde(default)]
    pub overwrite: bool,
}

/// Response of `PUT /v1/fs/file`, `POST /v1/fs/mkdir` and `POST /v1/fs/move`: where it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FsWriteResponse {
    /// Absolute.
    pub path: String,
    /// Bytes written (`PUT /v1/fs/file`), else 0.
    pub bytes: u64,
    /// False when the directory was already there (mkdir) or the file was replaced (put).
    pub created: bool,
}

/// Response of `POST /v1/fs/upload-batch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FsUploadResponse {
    /// The directory the archive was unpacked into, absolute.
    pub path: String,
    /// The files written, relative to `path`, in archive order.
    pub files: Vec<String>,
    pub bytes: u64,
}
