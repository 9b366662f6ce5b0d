//! Reading a session's events back: its subject's messages are in stream order and each says
//! which sequences it holds (`Sa-First`, `Sa-Last`), so the first message past a sequence is
//! found by bisecting stream sequences with direct gets, then read forward.

use async_nats::jetstream::message::StreamMessage;
use async_nats::jetstream::stream::DirectGetErrorKind;
use bytes::Bytes;
use sandbox_agent_store::{Result, StoredEvent};

use super::index::Carried;
use super::{backend, Inner};
use crate::codec::Mark;

/// The first message of `subject` at stream sequence `from` or later (`None`: none).
async fn next(inner: &Inner, subject: &str, from: Option<u64>) -> Result<Option<(StreamMessage, Mark)>> {
    match inner.events.direct_get_next_for_subject(subject, from).await {
        Ok(msg) => {
            let mark = Mark::read(&msg.headers).ok_or_else(|| backend("a foreign message in the events stream"))?;
            Ok(Some((msg, mark)))
        }
        Err(err) if err.kind() == DirectGetErrorKind::NotFound => Ok(None),
        Err(err) => Err(backend(err)),
    }
}

async fn last(inner: &Inner, subject: &str) -> Result<Option<(StreamMessage, Mark)>> {
    match inner.events.direct_get_last_for_subject(subject).await {
        Ok(msg) => {
            let mark = Mark::read(&msg.headers).ok_or_else(|| backend("a foreign message in the events stream"))?;
            Ok(Some((msg, mark)))
        }
        Err(err) if err.kind() == DirectGetErrorKind::NotFound => Ok(None),
        Err(err) => Err(backend(err)),
    }
}

/// The session's last stored sequence (0 when it has none).
pub async fn last_sequence(inner: &Inner, session_id: &str) -> Result<u64> {
    Ok(last(inner, &inner.names.events_subject(session_id)).await?.map_or(0, |(_, m)| m.last))
}

/// The session's first message holding an event past `after`, and its last message.
async fn first_past(inner: &Inner, subject: &str, after: u64) -> Result<Option<(Located, u64)>> {
    let Some((end, end_mark)) = last(inner, subject).await? else { return Ok(None) };
    if end_mark.last <= after {
        return Ok(None);
    }
    let Some((first, first_mark)) = next(inner, subject, None).await? else { return Ok(None) };
    let at = if first_mark.last > after {
        Some((first, first_mark))
    } else {
        // The smallest stream sequence whose next message holds something past `after`.
        let (mut lo, mut hi) = (first.sequence + 1, end.sequence);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match next(inner, subject, Some(mid)).await? {
                Some((_, m)) if m.last > after => hi = mid,
                _ => lo = mid + 1,
            }
        }
        next(inner, subject, Some(lo)).await?
    };
    Ok(at.map(|at| (at, end.sequence)))
}

type Located = (StreamMessage, Mark);

/// Each message of the session from the first holding an event past `after` to its last, in
/// order, until `visit` says stop (false).
async fn scan(
    inner: &Inner,
    session_id: &str,
    after: u64,
    mut visit: impl FnMut(&Mark, &Bytes) -> Result<bool>,
) -> Result<()> {
    let subject = inner.names.events_subject(session_id);
    let Some((mut at, end)) = first_past(inner, &subject, after).await? else { return Ok(()) };
    loop {
        let (msg, mark) = at;
        if !mark.is_fence && !visit(&mark, &msg.payload)? {
            return Ok(());
        }
        if msg.sequence >= end {
            return Ok(());
        }
        match next(inner, &subject, Some(msg.sequence + 1)).await? {
            Some(found) => at = found,
            None => return Ok(()),
        }
    }
}

/// Events of the session with `sequence > after`, ascending, at most `limit`.
pub async fn events(inner: &Inner, session_id: &str, after: u64, limit: usize) -> Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    scan(inner, session_id, after, |mark, body| {
        let (events, _) = mark.split(body).ok_or_else(|| backend("an unreadable batch"))?;
        for e in events.into_iter().filter(|e| e.sequence > after) {
            out.push(std::sync::Arc::unwrap_or_clone(e));
            if out.len() == limit {
                return Ok(false);
            }
        }
        Ok(true)
    })
    .await?;
    Ok(out)
}

/// The newest document stored with events past `after` (the bucket's copy may be behind it
/// when its writer died between the two), and the last event it reflects.
pub async fn newest_document(inner: &Inner, session_id: &str, after: u64) -> Result<Option<(Carried, u64)>> {
    let mut newest = None;
    scan(inner, session_id, after, |mark, body| {
        let (_, doc) = mark.split(body).ok_or_else(|| backend("an unreadable batch"))?;
        if let Some(carried) = doc.and_then(|d| serde_json::from_slice::<Carried>(&d).ok()) {
            newest = Some((carried, mark.last));
        }
        Ok(true)
    })
    .await?;
    Ok(newest)
}
