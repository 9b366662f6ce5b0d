//! The Hub's REST routes over our session manager.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use sandbox_agent_schema::*;
use sandbox_agent_store::SessionQuery;

use super::wire::*;
use super::{create, map};
use crate::auth::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult};
use crate::routes::ApiPath;
use crate::AppState;

const DEFAULT_PAGE: u64 = 50;
const MAX_PAGE: u64 = 500;

fn page(limit: Option<u64>, offset: Option<u64>) -> (u64, u64) {
    (limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE), offset.unwrap_or(0))
}

fn detail(state: &AppState, id: &str) -> ApiResult<HubSession> {
    let info = state.sessions.get(id)?.info();
    let looping = state.sessions.loop_state(id)?.loop_;
    Ok(map::session(&info, true, looping.as_ref()))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiJson(req): ApiJson<HubCreate>,
) -> ApiResult<impl IntoResponse> {
    let req = create::create(&state.agents, req, &state.config.coder_agent)?;
    let id = format!("codesess_{}", uuid::Uuid::new_v4().simple());
    let created = state.sessions.create(id, req, &by).await?;
    let body = HubCreated {
        session_id: created.session_id,
        status: map::status(created.status),
        mode: "sandbox",
        visibility: "private",
    };
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> ApiResult<Json<HubList>> {
    let (limit, offset) = page(q.limit, q.offset);
    let query = SessionQuery {
        search: q.search.filter(|s| !s.is_empty()),
        include_archived: q.include_archived.unwrap_or(false),
        limit: limit as usize,
        offset: offset as usize,
        ..SessionQuery::default()
    };
    let (sessions, total) = state.sessions.list(query).await?;
    let websocket = sessions
        .iter()
        .map(|info| {
            let looping = state.sessions.loop_state(&info.session_id).ok().and_then(|l| l.loop_);
            map::session(info, false, looping.as_ref())
        })
        .collect();
    Ok(Json(HubList { sessions: SessionBuckets { websocket, sandbox: Vec::new() }, total, limit, offset }))
}

pub async fn get(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<HubSession>> {
    Ok(Json(detail(&state, &id)?))
}

pub async fn update(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<HubUpdate>,
) -> ApiResult<Json<HubUpdated>> {
    let info = state.sessions.update(&id, create::update(req)?, &by).await?;
    Ok(Json(HubUpdated {
        session_id: info.session_id.clone(),
        label: info.label.clone().unwrap_or_default(),
        visibility: "private",
        tags: info.tags.clone(),
        skills: map::skills(&info),
        metadata: info.metadata,
    }))
}

pub async fn archive(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<HubLifecycle>> {
    let done = state.sessions.archive(&id, &by).await?;
    Ok(Json(HubLifecycle { session_id: done.session_id, status: map::status(done.status) }))
}

/// Resume wakes a paused session. An archived or ended one stays as it is, and its status says
/// so: the Hub's clients resume archived sessions as a matter of course, and a refusal would be
/// retried four times before it reached them.
pub async fn resume(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<HubLifecycle>> {
    let info = state.sessions.get(&id)?.info();
    let status = match info.status {
        SessionStatus::Archived | SessionStatus::Ended => info.status,
        _ => state.sessions.resume(&id, &by).await?.status,
    };
    Ok(Json(HubLifecycle { session_id: id, status: map::status(status) }))
}

pub async fn history(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<Page>,
) -> ApiResult<Json<History>> {
    let session = state.sessions.get(&id)?;
    let agent = session.info().agent;
    let (limit, offset) = page(q.limit, q.offset);
    // Every event of ours is one event of the history, so `offset` is a sequence.
    let total = session.shared.feed.watermark();
    let rows = state.sessions.store().read_events(id.clone(), offset, limit as usize).await?;
    let mut items = map::Items::default();
    let events = rows
        .iter()
        .filter(|r| r.sequence <= total)
        .filter_map(|row| serde_json::from_slice::<UniversalEvent>(&row.wire_json(false)).ok())
        .map(|ev| {
            let mapped = map::event(&ev, &agent, &mut items);
            HistoryEvent {
                id: ev.sequence,
                event: mapped.event,
                category: mapped.category,
                agent: agent.clone(),
                task_id: mapped.task_id,
                payload: mapped.data.into(),
                occurred_at: ev.time.clone(),
                ingested_at: ev.time,
            }
        })
        .collect();
    Ok(Json(History { session_id: id, events, total, limit, offset }))
}

pub async fn replay(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<Page>,
) -> ApiResult<Json<Replay>> {
    let agent = state.sessions.get(&id)?.info().agent;
    let (limit, offset) = (q.limit.unwrap_or(10_000).clamp(1, 10_000), q.offset.unwrap_or(0));
    let (entries, total) = state.sessions.transcript(&id, offset as usize, limit as usize).await?;
    let entries: Vec<Entry> = entries.iter().map(|e| map::entry(e, &agent)).collect();
    Ok(Json(Replay {
        session_id: id,
        entries_source: "event_history",
        source_counts: SourceCounts { durable_stream: 0, session_entries: 0, event_history: total },
        entries,
        total,
    }))
}

pub async fn participants(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<Page>,
) -> ApiResult<Json<Participants>> {
    let (limit, offset) = page(q.limit, q.offset);
    let all = state.sessions.participants(&id)?.participants;
    let participants = all.iter().skip(offset as usize).take(limit as usize).map(map::participant).collect();
    Ok(Json(Participants { session_id: id, participants, total: all.len() as u64 }))
}

pub async fn loop_state(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<HubLoop>> {
    Ok(Json(map::loop_state(state.sessions.loop_state(&id)?)))
}
