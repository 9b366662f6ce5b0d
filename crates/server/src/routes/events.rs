//! Reading events: by page, as a live SSE stream, and as the stream of one turn.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use sandbox_agent_schema::*;

use sandbox_agent_sessions::SessionHandle;

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::sse::{parse_subscribe, resume_point, sse_response, StreamParams, Until};
use crate::AppState;

/// The largest (and default) page of `GET /events`.
pub const MAX_PAGE: u64 = 10_000;

/// Stored events with `sequence > offset`, ascending.
#[utoipa::path(get, operation_id = "listEvents", path = "/v1/sessions/{session_id}/events", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), EventsQuery),
    responses((status = 200, body = EventsResponse), (status = 404, body = ProblemDetails), (status = 500, body = ProblemDetails)))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> ApiResult<Json<EventsResponse>> {
    let session = state.sessions.get(&id)?;
    let limit = query.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE) as usize;
    let offset = query.offset.unwrap_or(0);
    let include_raw = query.include_raw.unwrap_or(false);
    // Read only what is committed and announced, so a page never runs ahead of the streams.
    let upto = session.shared.feed.watermark();
    let types = parse_subscribe(query.type_.as_deref());
    let wanted = |t: &str| types.as_ref().is_none_or(|ps| ps.iter().any(|p| event_type_matches(p, t)));
    let mut events = Vec::with_capacity(limit.min(1024));
    let (mut after, mut has_more) = (offset, false);
    // With a type filter a page of the log may hold few matches: read on until the page is full.
    'read: while after < upto {
        let rows = state.sessions.store().read_events(id.clone(), after, limit + 1).await?;
        let Some(last) = rows.last() else { break };
        after = last.sequence;
        for row in rows.into_iter().filter(|r| r.sequence <= upto && wanted(r.event_type)) {
            if events.len() == limit {
                has_more = true;
                break 'read;
            }
            let event: UniversalEvent = serde_json::from_slice(&row.wire_json(include_raw))
                .map_err(|e| ApiError::new(ErrorType::Internal, format!("stored event unreadable: {e}")))?;
            events.push(event);
        }
    }
    Ok(Json(EventsResponse { events, has_more }))
}

/// Live events as SSE (`id:` is the sequence): replay after `offset` / `Last-Event-ID`, then live.
/// Ends after `session.ended`. `: ping` comments keep idle connections open. The attachment is a
/// participant (`participant.joined` / `participant.left`), named by `participant=` or the
/// `X-Participant-Name` header.
#[utoipa::path(get, operation_id = "getEventsSse", path = "/v1/sessions/{session_id}/events/sse", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), SseQuery, ("Last-Event-ID" = Option<u64>, Header, description = "resume after this sequence")),
    responses((status = 200, content_type = "text/event-stream", description = "stream of UniversalEvent"),
        (status = 404, body = ProblemDetails)))]
pub async fn sse(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SseQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let session = state.sessions.get(&id)?;
    let name = query
        .participant
        .clone()
        .or_else(|| headers.get("x-participant-name").and_then(|v| v.to_str().ok()).map(str::to_string))
        .map(|n| n.chars().take(128).collect::<String>())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| by.id().to_string());
    let guard = presence(&state, &session, name, ParticipantTransport::Sse, false, &by).await?;
    let params = StreamParams {
        guard,
        after: resume_point(&headers, query.offset).unwrap_or(0),
        include_raw: query.include_raw.unwrap_or(false),
        subscribe: parse_subscribe(query.subscribe.as_deref()),
        until: Until::SessionEnd,
        ping: state.config.sse_ping_interval,
    };
    Ok(sse_response(id, session.shared.feed.clone(), state.sessions.store().clone(), params))
}

/// A stream's client joins the session as a participant until the stream ends; not a replica's
/// (the session runs on another cluster node, whose participants are its own to record).
pub(crate) async fn presence(
    state: &AppState,
    session: &SessionHandle,
    name: String,
    transport: ParticipantTransport,
    observe: bool,
    by: &Principal,
) -> ApiResult<Option<Box<dyn Send + Sync>>> {
    if !session.is_local() {
        return Ok(None);
    }
    let (_, guard) = state.sessions.join(&session.shared.id, name, transport, observe, by).await?;
    Ok(Some(Box::new(guard)))
}

/// The conversation derived from the event log: one entry per finished message, thought, tool
/// call, tool result, file change, status, error and turn end; the same for every agent.
#[utoipa::path(get, operation_id = "getTranscript", path = "/v1/sessions/{session_id}/transcript", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), TranscriptQuery),
    responses((status = 200, body = TranscriptResponse), (status = 404, body = ProblemDetails), (status = 500, body = ProblemDetails)))]
pub async fn transcript(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TranscriptQuery>,
) -> ApiResult<Json<TranscriptResponse>> {
    let offset = query.offset.unwrap_or(0) as usize;
    let limit = query.limit.unwrap_or(1000).min(MAX_PAGE) as usize;
    let (entries, total) = state.sessions.transcript(&id, offset, limit).await?;
    let has_more = (offset + entries.len()) < total as usize;
    Ok(Json(TranscriptResponse { session_id: id, entries, total, has_more }))
}

/// Send a message and stream that turn's events until its `turn.ended`.
#[utoipa::path(post, operation_id = "postMessageStream", path = "/v1/sessions/{session_id}/messages/stream", tag = "sessions", security(("bearer" = ["session:write"])),
    request_body = MessageRequest, params(("session_id" = String, Path), TurnStreamQuery),
    responses((status = 200, content_type = "text/event-stream", description = "the turn's events"),
        (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails), (status = 500, body = ProblemDetails),
        (status = 501, body = ProblemDetails)))]
pub async fn send_message_stream(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<TurnStreamQuery>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<MessageRequest>,
) -> ApiResult<Response> {
    let started = match crate::cluster::owner_elsewhere(&state, &id).await {
        // The message goes through the node that runs the session; its events stream from here.
        Some(node) => crate::cluster::post_message_at(&state, &node, &id, &headers, &req).await?,
        None => super::sessions::post_message(&state, by, &id, req).await?,
    };
    let session = state.sessions.get(&id)?;
    let params = StreamParams {
        guard: None,
        after: started - 1,
        include_raw: query.include_raw.unwrap_or(false),
        subscribe: parse_subscribe(query.subscribe.as_deref()),
        until: Until::TurnEnd,
        ping: state.config.sse_ping_interval,
    };
    Ok(sse_response(id, session.shared.feed.clone(), state.sessions.store().clone(), params))
}
