//! The files API (`/v1/fs/*`). Paths are absolute, or relative to a session's workspace with
//! `sessionId`; file bodies travel as raw bytes, streamed.

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use reqwest::Method;
use sandbox_agent_schema::*;

use crate::{Client, ClientError, Result};

impl Client {
    /// `GET /v1/fs/entries`
    pub async fn fs_entries(&self, q: &FsPathQuery) -> Result<FsEntriesResponse> {
        Self::json(self.request(Method::GET, "/v1/fs/entries").query(q)).await
    }

    /// `GET /v1/fs/stat`
    pub async fn fs_stat(&self, q: &FsPathQuery) -> Result<FsEntry> {
        Self::json(self.request(Method::GET, "/v1/fs/stat").query(q)).await
    }

    /// `GET /v1/fs/file`: the file's bytes as they arrive.
    pub async fn fs_read(&self, q: &FsPathQuery) -> Result<impl Stream<Item = Result<Bytes>> + use<>> {
        let resp = Self::send(self.request(Method::GET, "/v1/fs/file").query(q)).await?;
        Ok(resp.bytes_stream().map_err(ClientError::from))
    }

    /// `PUT /v1/fs/file`: `body` (bytes, or a stream through `reqwest::Body::wrap_stream`) as the file.
    pub async fn fs_write(&self, q: &FsPathQuery, body: impl Into<reqwest::Body>) -> Result<FsWriteResponse> {
        let req = self.request(Method::PUT, "/v1/fs/file").query(q).header("content-type", "application/octet-stream");
        Self::json(req.body(body)).await
    }

    /// `DELETE /v1/fs/entry`
    pub async fn fs_delete(&self, q: &FsDeleteQuery) -> Result<()> {
        Self::no_content(self.request(Method::DELETE, "/v1/fs/entry").query(q)).await
    }

    /// `POST /v1/fs/mkdir`
    pub async fn fs_mkdir(&self, q: &FsSessionQuery, req: &FsMkdirRequest) -> Result<FsWriteResponse> {
        Self::json(self.post_json("/v1/fs/mkdir", req).query(q)).await
    }

    /// `POST /v1/fs/move`
    pub async fn fs_move(&self, q: &FsSessionQuery, req: &FsMoveRequest) -> Result<FsWriteResponse> {
        Self::json(self.post_json("/v1/fs/move", req).query(q)).await
    }

    /// `POST /v1/fs/upload-batch`: a tar archive unpacked into the directory `q.path`.
    pub async fn fs_upload_batch(&self, q: &FsPathQuery, tar: impl Into<reqwest::Body>) -> Result<FsUploadResponse> {
        let req =
            self.request(Method::POST, "/v1/fs/upload-batch").query(q).header("content-type", "application/x-tar");
        Self::json(req.body(tar)).await
    }
}
