//! The one thread that writes the database: group commit, the append and revision checks, and
//! delivery of committed events to tails.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use tokio::sync::mpsc;

use super::{err, read_events, WriteOp};
use crate::tails::Tails;
use crate::{check_chain, check_revision, Append, Document, Result, StoreError};

/// How many queued ops the writer takes into one transaction at most.
const MAX_BATCH: usize = 4096;
/// Tries per batch before its writes are given up (disk full, I/O errors).
const COMMIT_ATTEMPTS: usize = 3;
/// Events per backlog read when a tail starts.
const BACKLOG_PAGE: usize = 512;

pub(crate) struct Writer {
    conn: Connection,
    tails: Tails,
    /// session id → integer key, so events rows carry a small integer.
    sids: HashMap<String, i64>,
    /// The last sequence stored of each session written since the start (committed values).
    lasts: HashMap<String, u64>,
}

/// What the transaction decided for one op (conflicts refuse the op, not the batch).
enum Outcome {
    Appended(Result<()>),
    Put(Result<u64>),
    /// An artifact kept (or refused: no such session).
    Kept(Result<()>),
    Done,
}

impl Writer {
    pub fn new(conn: Connection, tails: Tails) -> Self {
        Writer { conn, tails, sids: HashMap::new(), lasts: HashMap::new() }
    }

    pub fn run(mut self, mut rx: mpsc::Receiver<WriteOp>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while rx.blocking_recv_many(&mut batch, MAX_BATCH) > 0 {
            let mut result = self.commit(&batch);
            for attempt in 1..COMMIT_ATTEMPTS {
                let Err(e) = &result else { break };
                tracing::warn!(err = %e, attempt, "store commit failed; retrying");
                self.sids.clear(); // it may hold keys of the rolled-back transaction
                std::thread::sleep(std::time::Duration::from_millis(100 * attempt as u64));
                result = self.commit(&batch);
            }
            match result {
                Ok((outcomes, lasts)) => {
                    self.lasts.extend(lasts);
                    for (op, outcome) in batch.drain(..).zip(outcomes) {
                        self.finish(op, outcome);
                    }
                }
                Err(e) => {
                    // These writes are lost and their events never shown (clients only see what
                    // is committed; streams skip the gap). Their sequences are burnt, so the
                    // session's next append still follows.
                    tracing::error!(err = %e, ops = batch.len(), "store commit failed; batch dropped");
                    self.sids.clear();
                    for op in batch.drain(..) {
                        self.give_up(op, &e);
                    }
                }
            }
        }
    }

    fn commit(&mut self, batch: &[WriteOp]) -> Result<(Vec<Outcome>, HashMap<String, u64>)> {
        let Writer { conn, sids, lasts: committed, .. } = self;
        let tx = conn.unchecked_transaction().map_err(err)?;
        // Sequences stored by this transaction (deletes reset to 0), merged once committed.
        let mut lasts = HashMap::new();
        let mut outcomes = Vec::with_capacity(batch.len());
        for op in batch {
            outcomes.push(match op {
                WriteOp::Append { append: a, .. } => Outcome::Appended(append(&tx, sids, committed, &mut lasts, a)?),
                WriteOp::Put { id, document, expect, .. } => {
                    let actual = revision(&tx, id)?;
                    match check_revision(id, *expect, actual) {
                        Ok(rev) => {
                            put_document(&tx, id, document)?;
                            Outcome::Put(Ok(rev))
                        }
                        Err(refused) => Outcome::Put(Err(refused)),
                    }
                }
                WriteOp::Delete { id, .. } => {
                    if let Some(sid) = sid(&tx, sids, id)? {
                        tx.execute("DELETE FROM events WHERE sid = ?1", [sid]).map_err(err)?;
                        tx.execute("DELETE FROM artifacts WHERE sid = ?1", [sid]).map_err(err)?;
                        tx.execute("DELETE FROM sessions WHERE sid = ?1", [sid]).map_err(err)?;
                        sids.remove(id);
                    }
                    lasts.insert(id.clone(), 0);
                    Outcome::Done
                }
                WriteOp::Artifact { session_id, name, bytes, .. } => match sid(&tx, sids, session_id)? {
                    Some(sid) => {
                        tx.prepare_cached("INSERT OR REPLACE INTO artifacts (sid, name, data) VALUES (?1, ?2, ?3)")
                            .map_err(err)?
                            .execute(params![sid, name, bytes])
                            .map_err(err)?;
                        Outcome::Kept(Ok(()))
                    }
                    None => Outcome::Kept(Err(StoreError::NotFound(session_id.clone()))),
                },
                WriteOp::Tail { .. } | WriteOp::Barrier(_) => Outcome::Done,
            });
        }
        tx.commit().map_err(err)?;
        Ok((outcomes, lasts))
    }

    /// After the commit: answer the op and tell the tails.
    fn finish(&mut self, op: WriteOp, outcome: Outcome) {
        match (op, outcome) {
            (WriteOp::Append { append, done }, Outcome::Appended(result)) => {
                if result.is_ok() {
                    self.tails.deliver(&append.session_id, &append.events);
                }
                done.keep(result);
            }
            (WriteOp::Put { done, .. }, Outcome::Put(result)) => done.keep(result),
            (WriteOp::Artifact { done, .. }, Outcome::Kept(result)) => done.keep(result),
            (WriteOp::Delete { id, done }, _) => {
                self.tails.end(&id);
                done.keep(Ok(()));
            }
            (op, _) => self.untransacted(op),
        }
    }

    fn give_up(&mut self, op: WriteOp, e: &StoreError) {
        let failed = || StoreError::backend(super::BACKEND, format!("commit failed: {e}"));
        match op {
            WriteOp::Append { append, done } => {
                if let Some(ev) = append.events.last() {
                    let last = self.lasts.entry(append.session_id.clone()).or_default();
                    *last = (*last).max(ev.sequence);
                }
                done.keep(Err(failed()));
            }
            WriteOp::Put { done, .. } => done.keep(Err(failed())),
            WriteOp::Delete { done, .. } | WriteOp::Artifact { done, .. } => done.keep(Err(failed())),
            op => self.untransacted(op),
        }
    }

    /// Ops that write nothing: a tail starts (its backlog read here, so no commit of the session
    /// can slip between the backlog and the live deliveries) and barriers are answered.
    fn untransacted(&mut self, op: WriteOp) {
        match op {
            WriteOp::Tail { session_id, after, sink, done } => {
                let mut delivered = after;
                loop {
                    match read_events(&self.conn, &session_id, delivered, BACKLOG_PAGE) {
                        Ok(page) if page.is_empty() => break,
                        Ok(page) => {
                            delivered = page.last().map_or(delivered, |e| e.sequence);
                            sink.committed(&page.into_iter().map(Arc::new).collect::<Vec<_>>());
                        }
                        Err(e) => {
                            let _ = done.send(Err(e));
                            return;
                        }
                    }
                }
                let _ = done.send(Ok(self.tails.register(&session_id, delivered, sink)));
            }
            WriteOp::Barrier(done) => {
                let _ = done.send(());
            }
            WriteOp::Append { done, .. } | WriteOp::Delete { done, .. } | WriteOp::Artifact { done, .. } => {
                done.keep(Err(StoreError::Closed))
            }
            WriteOp::Put { done, .. } => done.keep(Err(StoreError::Closed)),
        }
    }
}

/// Store one append if it follows the session's last sequence. `Err` fails the transaction;
/// `Ok(Err)` refuses only this append.
fn append(
    tx: &Transaction<'_>,
    sids: &mut HashMap<String, i64>,
    committed: &HashMap<String, u64>,
    lasts: &mut HashMap<String, u64>,
    a: &Append,
) -> Result<Result<()>> {
    let id = &a.session_id;
    let known = lasts.get(id).or_else(|| committed.get(id)).copied();
    let last = match known {
        Some(last) => last,
        None => match sid(tx, sids, id)? {
            Some(sid) => tx
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM events WHERE sid = ?1", [sid], |r| r.get::<_, i64>(0))
                .map_err(err)? as u64,
            None => 0,
        },
    };
    if let Err(refused) = check_chain(a, last) {
        return Ok(Err(refused));
    }
    if let Some(document) = &a.document {
        put_document(tx, id, document)?;
    }
    let Some(sid) = sid(tx, sids, id)? else {
        return Ok(Err(StoreError::NotFound(id.clone())));
    };
    let mut insert =
        tx.prepare_cached("INSERT INTO events (sid, seq, type, json, raw) VALUES (?1, ?2, ?3, ?4, ?5)").map_err(err)?;
    for ev in &a.events {
        insert
            .execute(params![sid, ev.sequence as i64, ev.event_type, &ev.json[..], ev.raw.as_deref()])
            .map_err(err)?;
    }
    if let Some(ev) = a.events.last() {
        lasts.insert(id.clone(), ev.sequence);
    }
    Ok(Ok(()))
}

fn revision(conn: &Connection, id: &str) -> Result<Option<u64>> {
    conn.query_row("SELECT rev FROM sessions WHERE id = ?1", [id], |r| r.get::<_, i64>(0))
        .optional()
        .map(|r| r.map(|r| r as u64))
        .map_err(err)
}

/// Insert or replace a document with its listing columns (the tags rows follow by trigger).
fn put_document(conn: &Connection, id: &str, doc: &Document) -> Result<()> {
    let i = &doc.index;
    let tags = serde_json::to_string(&i.tags).map_err(err)?;
    conn.prepare_cached(
        "INSERT INTO sessions (id, data, rev, status, agent, label, search, tags, archived)
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET data = excluded.data, rev = sessions.rev + 1, status = excluded.status,
             agent = excluded.agent, label = excluded.label, search = excluded.search, tags = excluded.tags,
             archived = excluded.archived",
    )
    .map_err(err)?
    .execute(params![id, doc.data, i.status, i.agent, i.label, i.search, tags, i.archived])
    .map_err(err)?;
    Ok(())
}

fn sid(conn: &Connection, cache: &mut HashMap<String, i64>, id: &str) -> Result<Option<i64>> {
    if let Some(sid) = cache.get(id) {
        return Ok(Some(*sid));
    }
    let sid = conn.query_row("SELECT sid FROM sessions WHERE id = ?1", [id], |r| r.get(0)).optional().map_err(err)?;
    if let Some(sid) = sid {
        cache.insert(id.to_string(), sid);
    }
    Ok(sid)
}
