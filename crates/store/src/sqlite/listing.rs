//! Listing sessions in SQL. The fields sessions are filtered by are columns written with each
//! document (the store never parses a document to list it), tags are rows of `session_tags`
//! kept by triggers, so the database cannot hold a tag row that disagrees with its document,
//! and every filter has an index: a page among thousands of sessions is an index walk, not a
//! load of every document.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use super::err;
use crate::{Result, SessionPage, SessionQuery};

/// The listing columns of `sessions` (as in its `CREATE TABLE`), added to older databases.
pub(super) const COLUMNS: &[(&str, &str)] = &[
    ("status", "TEXT"),
    ("agent", "TEXT"),
    ("label", "TEXT"),
    ("search", "TEXT"),
    ("tags", "TEXT"),
    ("archived", "INTEGER NOT NULL DEFAULT 0"),
];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS session_tags (
    tag TEXT NOT NULL,
    sid INTEGER NOT NULL,
    PRIMARY KEY (tag, sid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_archived ON sessions (archived, sid);
CREATE INDEX IF NOT EXISTS sessions_status ON sessions (status, sid);
CREATE INDEX IF NOT EXISTS sessions_agent ON sessions (agent, sid);
CREATE INDEX IF NOT EXISTS sessions_label ON sessions (label, sid);
CREATE TRIGGER IF NOT EXISTS session_tags_insert AFTER INSERT ON sessions BEGIN
    INSERT OR IGNORE INTO session_tags (tag, sid) SELECT value, new.sid FROM json_each(new.tags);
END;
CREATE TRIGGER IF NOT EXISTS session_tags_update AFTER UPDATE OF tags ON sessions
WHEN old.tags IS NOT new.tags BEGIN
    DELETE FROM session_tags WHERE sid = old.sid;
    INSERT OR IGNORE INTO session_tags (tag, sid) SELECT value, new.sid FROM json_each(new.tags);
END;
CREATE TRIGGER IF NOT EXISTS session_tags_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM session_tags WHERE sid = old.sid;
END;
";

/// Rows stored before the listing columns existed (`status IS NULL`; every write since sets
/// it) are indexed once from their JSON, the only time the store reads a document: what old
/// session documents called these fields. A document that is not JSON is indexed empty rather
/// than failing the open.
const BACKFILL: &str = "
UPDATE sessions SET
    status = coalesce(json_extract(o.doc, '$.status'), ''),
    agent = coalesce(json_extract(o.doc, '$.agent'), ''),
    label = json_extract(o.doc, '$.title'),
    search = lower(coalesce(json_extract(o.doc, '$.title'), '')),
    tags = '[]',
    archived = 0
FROM (SELECT sid, iif(json_valid(data), data, '{}') AS doc FROM sessions WHERE status IS NULL) AS o
WHERE sessions.sid = o.sid;
";

/// Create the tags table, its triggers and the indexes, and index old rows (the columns exist).
pub(super) fn migrate(conn: &Connection) -> Result<()> {
    conn.execute_batch(SCHEMA).map_err(err)?;
    conn.execute_batch(BACKFILL).map_err(err)
}

/// The `WHERE` clause for `q` (empty when nothing is filtered) and its values, in order.
/// Values are always bound, never written into the SQL.
fn filter(q: &SessionQuery) -> (String, Vec<Value>) {
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if !q.include_archived {
        conditions.push("s.archived = 0");
    }
    for tag in &q.tags {
        conditions.push("EXISTS (SELECT 1 FROM session_tags t WHERE t.tag = ? AND t.sid = s.sid)");
        values.push(tag.clone().into());
    }
    for (condition, value) in [("s.label = ?", &q.label), ("s.status = ?", &q.status), ("s.agent = ?", &q.agent)] {
        if let Some(value) = value {
            conditions.push(condition);
            values.push(value.clone().into());
        }
    }
    if let Some(search) = &q.search {
        // Lowercased here too: SQLite's lower() only folds ASCII, Rust's is the reference.
        conditions.push("instr(s.search, lower(?)) > 0");
        values.push(search.to_lowercase().into());
    }
    let clause = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    (clause, values)
}

/// The page of sessions matching `q`, newest first (`sid` is the insertion order), and how
/// many match in all — both from one snapshot.
pub(super) fn list(conn: &Connection, q: &SessionQuery) -> Result<SessionPage> {
    let (clause, mut values) = filter(q);
    let tx = conn.unchecked_transaction().map_err(err)?;
    let total: i64 = tx
        .prepare_cached(&format!("SELECT COUNT(*) FROM sessions s{clause}"))
        .map_err(err)?
        .query_row(params_from_iter(&values), |r| r.get(0))
        .map_err(err)?;
    values.push(Value::Integer(i64::try_from(q.limit).unwrap_or(i64::MAX)));
    values.push(Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    let ids = tx
        .prepare_cached(&format!("SELECT s.id FROM sessions s{clause} ORDER BY s.sid DESC LIMIT ? OFFSET ?"))
        .map_err(err)?
        .query_map(params_from_iter(&values), |r| r.get(0))
        .map_err(err)?
        .collect::<rusqlite::Result<Vec<String>>>()
        .map_err(err)?;
    Ok(SessionPage { ids, total: total as u64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each filter is answered from an index, never by scanning `sessions` whole.
    #[test]
    fn every_filter_uses_an_index() {
        let conn = Connection::open_in_memory().unwrap();
        super::super::migrate(&conn).unwrap();
        let queries = [
            SessionQuery::default(),
            SessionQuery { status: Some("idle".into()), ..Default::default() },
            SessionQuery { agent: Some("mock".into()), include_archived: true, ..Default::default() },
            SessionQuery { label: Some("x".into()), include_archived: true, ..Default::default() },
            SessionQuery { tags: vec!["a".into(), "b".into()], ..Default::default() },
        ];
        for q in queries {
            let (clause, values) = filter(&q);
            let sql = format!("EXPLAIN QUERY PLAN SELECT s.id FROM sessions s{clause} ORDER BY s.sid DESC LIMIT 50");
            let mut stmt = conn.prepare(&sql).unwrap();
            let plan: Vec<String> =
                stmt.query_map(params_from_iter(&values), |r| r.get(3)).unwrap().map(|r| r.unwrap()).collect();
            let plan = plan.join("; ");
            eprintln!("{clause}: {plan}");
            assert!(!plan.contains("USE TEMP B-TREE"), "{q:?}: sorts instead of walking an index: {plan}");
            if q.tags.is_empty() && q.include_archived {
                assert!(plan.contains("USING INDEX"), "{q:?}: {plan}");
            }
            if !q.tags.is_empty() {
                assert!(plan.contains("SEARCH t USING PRIMARY KEY (tag=? AND sid=?)"), "{q:?}: {plan}");
            }
        }
    }
}
