//! The files API: `/v1/fs/*`. Paths go through a `Jail` (crates/fs): the daemon token reaches the
//! workspaces under the data dir, `--fs-root` dirs and, with `sessionId`, that session's
//! directory; a session token reaches its own session's directory only, and only a controller
//! may write. Files travel as raw bytes, streamed both ways.

use std::io;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::TryStreamExt;
use sandbox_agent_fs::Jail;
use sandbox_agent_schema::*;

use crate::auth::Caller;
use crate::error::{drain, too_large, ApiError, ApiJson, ApiQuery, ApiResult, DRAIN_BYTES};
use crate::AppState;

/// Where `by` may go, with `session` as the base of relative paths. Writes to an archived
/// session's directory are refused like its other changes.
pub(crate) fn jail(state: &AppState, by: &Principal, session: Option<&str>, write: bool) -> ApiResult<Jail> {
    let dir = match session {
        Some(id) => {
            let info = state.sessions.get(id)?.info();
            if write && info.archived {
                let detail = format!("session {id} is archived: its files are read-only");
                return Err(ApiError::session(ErrorType::SessionArchived, id, detail));
            }
            Some(std::path::PathBuf::from(info.directory))
        }
        None => None,
    };
    Ok(match (by, dir) {
        (Principal::Participant { .. }, Some(dir)) => Jail::only(dir),
        // Unreachable past `authorize` (a session token needs its `sessionId`), but fail closed.
        (Principal::Participant { .. }, None) => {
            return Err(ApiError::new(ErrorType::Forbidden, "a session token needs sessionId"))
        }
        (Principal::Daemon, dir) => {
            let mut roots = vec![state.config.data_dir.join("sessions")];
            roots.extend(state.config.fs_roots.iter().cloned());
            roots.extend(dir.clone());
            Jail::new(roots, dir)
        }
    })
}

/// A directory's entries (links listed as links).
#[utoipa::path(get, operation_id = "listFsEntries", path = "/v1/fs/entries", tag = "fs", security(("bearer" = ["session:read"])),
    params(FsPathQuery),
    responses((status = 200, body = FsEntriesResponse), (status = 400, body = ProblemDetails), (status = 403, body = ProblemDetails),
        (status = 404, body = ProblemDetails)))]
pub async fn entries(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsPathQuery>,
) -> ApiResult<Json<FsEntriesResponse>> {
    let jail = jail(&state, &by, q.session_id.as_deref(), false)?;
    Ok(Json(sandbox_agent_fs::entries(&jail, &q.path).await?))
}

/// One entry: type, size, time, mode (a link as a link).
#[utoipa::path(get, operation_id = "getFsStat", path = "/v1/fs/stat", tag = "fs", security(("bearer" = ["session:read"])),
    params(FsPathQuery),
    responses((status = 200, body = FsEntry), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails)))]
pub async fn stat(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsPathQuery>,
) -> ApiResult<Json<FsEntry>> {
    let jail = jail(&state, &by, q.session_id.as_deref(), false)?;
    Ok(Json(sandbox_agent_fs::stat(&jail, &q.path).await?))
}

/// A file's bytes, streamed (`application/octet-stream`); 413 past `--max-file-bytes`.
#[utoipa::path(get, operation_id = "readFsFile", path = "/v1/fs/file", tag = "fs", security(("bearer" = ["session:read"])),
    params(FsPathQuery),
    responses((status = 200, content_type = "application/octet-stream", description = "the file's bytes"),
        (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 413, body = ProblemDetails)))]
pub async fn read_file(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsPathQuery>,
) -> ApiResult<Response> {
    let jail = jail(&state, &by, q.session_id.as_deref(), false)?;
    let (file, len) = sandbox_agent_fs::open_read(&jail, &q.path, state.config.max_file_bytes).await?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024));
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_LENGTH, len.to_string())],
        body,
    )
        .into_response())
}

/// The request body's bytes as the file (parents made), written beside it and renamed into
/// place once complete; 413 past `--max-file-bytes`, and then nothing is left behind.
#[utoipa::path(put, operation_id = "writeFsFile", path = "/v1/fs/file", tag = "fs", security(("bearer" = ["session:write"])),
    params(FsPathQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the file's bytes"),
    responses((status = 200, body = FsWriteResponse), (status = 403, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 413, body = ProblemDetails)))]
pub async fn write_file(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsPathQuery>,
    req: Request,
) -> Result<Json<FsWriteResponse>, Response> {
    let jail = jail(&state, &by, q.session_id.as_deref(), true).map_err(IntoResponse::into_response)?;
    let limit = state.config.max_file_bytes;
    // A declared length past the limit is refused before a byte is read.
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > limit) {
        return Err(too_large(format!("{n} bytes is over the limit of {limit} bytes")));
    }
    let mut body = tokio_util::io::StreamReader::new(req.into_body().into_data_stream().map_err(io::Error::other));
    match sandbox_agent_fs::write_file(&jail, &q.path, &mut body, limit).await {
        Ok(written) => Ok(Json(written)),
        Err(err @ sandbox_agent_fs::FsError::TooLarge { .. }) => {
            drain(&mut body.into_inner(), DRAIN_BYTES).await;
            Err(too_large(err.to_string()))
        }
        Err(err) => Err(ApiError::from(err).into_response()),
    }
}

/// Removes a file, a link (not its target) or an empty directory; `recursive=true` a whole tree.
#[utoipa::path(delete, operation_id = "deleteFsEntry", path = "/v1/fs/entry", tag = "fs", security(("bearer" = ["session:write"])),
    params(FsDeleteQuery),
    responses((status = 204), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails)))]
pub async fn delete_entry(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsDeleteQuery>,
) -> ApiResult<StatusCode> {
    let jail = jail(&state, &by, q.session_id.as_deref(), true)?;
    sandbox_agent_fs::delete(&jail, &q.path, q.recursive.unwrap_or(false)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a directory and any missing parents (`created: false` if it was there).
#[utoipa::path(post, operation_id = "createFsDirectory", path = "/v1/fs/mkdir", tag = "fs", security(("bearer" = ["session:write"])),
    params(FsSessionQuery), request_body = FsMkdirRequest,
    responses((status = 200, body = FsWriteResponse), (status = 403, body = ProblemDetails), (status = 409, body = ProblemDetails)))]
pub async fn mkdir(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsSessionQuery>,
    ApiJson(req): ApiJson<FsMkdirRequest>,
) -> ApiResult<Json<FsWriteResponse>> {
    let jail = jail(&state, &by, q.session_id.as_deref(), true)?;
    Ok(Json(sandbox_agent_fs::mkdir(&jail, &req.path).await?))
}

/// Renames `from` to `to` (both confined); 409 if `to` exists, unless `overwrite`.
#[utoipa::path(post, operation_id = "moveFsEntry", path = "/v1/fs/move", tag = "fs", security(("bearer" = ["session:write"])),
    params(FsSessionQuery), request_body = FsMoveRequest,
    responses((status = 200, body = FsWriteResponse), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails),
        (status = 409, body = ProblemDetails)))]
pub async fn move_entry(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsSessionQuery>,
    ApiJson(req): ApiJson<FsMoveRequest>,
) -> ApiResult<Json<FsWriteResponse>> {
    let jail = jail(&state, &by, q.session_id.as_deref(), true)?;
    Ok(Json(sandbox_agent_fs::move_entry(&jail, &req.from, &req.to, req.overwrite).await?))
}

/// A tar stream (`application/x-tar`) unpacked into the directory `path`: regular files and
/// directories only, plain relative names only; anything else refuses the archive (422).
#[utoipa::path(post, operation_id = "uploadFsBatch", path = "/v1/fs/upload-batch", tag = "fs", security(("bearer" = ["session:write"])),
    params(FsPathQuery), request_body(content = Vec<u8>, content_type = "application/x-tar", description = "a tar archive"),
    responses((status = 200, body = FsUploadResponse), (status = 403, body = ProblemDetails), (status = 413, body = ProblemDetails),
        (status = 422, body = ProblemDetails)))]
pub async fn upload_batch(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<FsPathQuery>,
    req: Request,
) -> Result<Json<FsUploadResponse>, Response> {
    let jail = jail(&state, &by, q.session_id.as_deref(), true).map_err(IntoResponse::into_response)?;
    let limit = state.config.max_file_bytes;
    let body = tokio_util::io::StreamReader::new(req.into_body().into_data_stream().map_err(io::Error::other));
    // tar reads synchronously: on a blocking thread, fed from the async body, which comes back
    // so a refused archive's rest can be drained.
    let mut reader = tokio_util::io::SyncIoBridge::new(body);
    let unpacked =
        tokio::task::spawn_blocking(move || (sandbox_agent_fs::unpack(&jail, &q.path, &mut reader, limit), reader))
            .await
            .map_err(|err| ApiError::new(ErrorType::Internal, format!("unpacking failed: {err}")).into_response())?;
    match unpacked {
        (Ok(done), _) => Ok(Json(done)),
        (Err(err @ sandbox_agent_fs::FsError::TooLarge { .. }), reader) => {
            drain(&mut reader.into_inner().into_inner(), DRAIN_BYTES).await;
            Err(too_large(err.to_string()))
        }
        (Err(err), _) => Err(ApiError::from(err).into_response()),
    }
}
