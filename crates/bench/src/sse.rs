//! A lean SSE client for the measurements: it reads `id:` and `data:` lines as bytes and
//! looks only at what it needs (sequence numbers, the replay agent's delta stamps, the end of
//! the turn), so it costs little next to the daemon. Checked for loss: every sequence number
//! must follow the previous one, and every delta index must arrive exactly once.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures_util::StreamExt;
use memchr::memmem;

use crate::measure::{now_ns, Histogram};

/// A stream with no data for this long is given up.
pub const STALL: Duration = Duration::from_secs(60);

const DELTA_MARK: &[u8] = br#""delta":"@"#;
const TURN_ENDED: &[u8] = br#""type":"turn.ended""#;
const COMPLETED: &[u8] = br#""reason":"completed""#;

/// What one client received, up to and including the turn's `turn.ended`.
#[derive(Clone, Default)]
pub struct Received {
    /// Frames with data.
    pub events: u64,
    /// Distinct replay deltas.
    pub deltas: u64,
    pub duplicates: u64,
    /// Sequence numbers skipped (a gap in `id:`s) or going backwards.
    pub sequence_errors: u64,
    pub latency: Histogram,
    /// `CLOCK_MONOTONIC` of the first delta's write (from its stamp) and of the last delta's
    /// arrival.
    pub first_write_ns: u64,
    pub last_receipt_ns: u64,
    pub turn_completed: bool,
    pub last_sequence: u64,
}

impl Received {
    /// Deltas delivered per second, from the first write to the last arrival.
    pub fn deltas_per_s(&self) -> f64 {
        per_second(self.deltas, self.first_write_ns, self.last_receipt_ns)
    }
}

pub fn per_second(count: u64, from_ns: u64, to_ns: u64) -> f64 {
    if to_ns <= from_ns {
        return 0.0;
    }
    (count as f64 / ((to_ns - from_ns) as f64 / 1e9)).round()
}

/// Bookkeeping of one stream while it is read.
struct Tally {
    got: Received,
    seen: Vec<u64>,
    expected: u64,
}

impl Tally {
    fn new(after: u64, expected_deltas: u64) -> Tally {
        let got = Received { last_sequence: after, ..Default::default() };
        Tally { got, seen: vec![0; expected_deltas.div_ceil(64) as usize], expected: expected_deltas }
    }

    /// One frame; true when it ends the turn.
    fn frame(&mut self, frame: &[u8], received_ns: u64) -> bool {
        let mut sequence = None;
        let mut data: &[u8] = &[];
        for line in frame.split(|b| *b == b'\n') {
            if let Some(id) = line.strip_prefix(b"id: ") {
                sequence = parse_u64(id).map(|(n, _)| n);
            } else if let Some(d) = line.strip_prefix(b"data: ") {
                data = d;
            }
        }
        if data.is_empty() {
            return false; // a ping
        }
        let got = &mut self.got;
        // Presence (other readers joining and leaving) is not part of the turn being measured.
        if memmem::find(data, br#""type":"participant."#).is_none() {
            got.events += 1;
        }
        if let Some(seq) = sequence {
            if seq != got.last_sequence + 1 {
                got.sequence_errors += 1;
            }
            got.last_sequence = seq;
        }
        if let Some(at) = memmem::find(data, DELTA_MARK) {
            let stamp = &data[at + DELTA_MARK.len()..];
            if let Some((index, rest)) = parse_u64(stamp) {
                let written = rest.strip_prefix(b".").and_then(parse_u64).map(|(n, _)| n).unwrap_or(0);
                if index < self.expected {
                    let (word, bit) = ((index / 64) as usize, 1u64 << (index % 64));
                    if self.seen[word] & bit != 0 {
                        got.duplicates += 1;
                    } else {
                        self.seen[word] |= bit;
                        got.deltas += 1;
                    }
                }
                if index == 0 {
                    got.first_write_ns = written;
                }
                got.latency.record(received_ns.saturating_sub(written));
                got.last_receipt_ns = received_ns;
            }
        }
        if memmem::find(data, TURN_ENDED).is_some() {
            got.turn_completed = memmem::find(data, COMPLETED).is_some();
            return true;
        }
        false
    }
}

fn parse_u64(s: &[u8]) -> Option<(u64, &[u8])> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let n = s[..digits].iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some((n, &s[digits..]))
}

/// An open event stream of a session, read from just after sequence `after`.
pub struct Stream {
    response: reqwest::Response,
    after: u64,
}

impl Stream {
    /// Open `GET /v1/sessions/{id}/events/sse?offset=after` (returns once the daemon answered).
    pub async fn open(http: &reqwest::Client, base: &str, session: &str, after: u64) -> Result<Stream> {
        let url = format!("{base}/v1/sessions/{session}/events/sse?offset={after}");
        let response = http.get(&url).send().await.with_context(|| format!("GET {url}"))?;
        if !response.status().is_success() {
            bail!("GET {url}: {}", response.status());
        }
        Ok(Stream { response, after })
    }

    /// Read until the turn's `turn.ended`, expecting deltas `0..expected_deltas`.
    pub async fn until_turn_end(self, expected_deltas: u64) -> Result<Received> {
        let mut tally = Tally::new(self.after, expected_deltas);
        let mut body = self.response.bytes_stream();
        let mut pending: Vec<u8> = Vec::new();
        let separator = memmem::Finder::new(b"\n\n");
        loop {
            let chunk = match tokio::time::timeout(STALL, body.next()).await {
                Err(_) => bail!("no event for {STALL:?} (after sequence {})", tally.got.last_sequence),
                Ok(None) => bail!("the stream ended before turn.ended (after sequence {})", tally.got.last_sequence),
                Ok(Some(chunk)) => chunk.context("reading the event stream")?,
            };
            let received = now_ns();
            pending.extend_from_slice(&chunk);
            let mut start = 0;
            while let Some(end) = separator.find(&pending[start..]) {
                if tally.frame(&pending[start..start + end], received) {
                    return Ok(tally.got);
                }
                start += end + 2;
            }
            pending.drain(..start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(seq: u64, data: &str) -> Vec<u8> {
        format!("id: {seq}\ndata: {data}").into_bytes()
    }

    #[test]
    fn tally_counts_deltas_gaps_duplicates_and_latency() {
        let mut t = Tally::new(10, 3);
        let delta = |i: u64, ns: u64| {
            format!(r#"{{"type":"item.delta","data":{{"item_id":"itm_1","delta":"@{i}.{ns} "}},"raw":null}}"#)
        };
        assert!(!t.frame(&frame(11, &delta(0, 1_000)), 5_000));
        assert!(!t.frame(&frame(12, &delta(0, 1_000)), 5_000), "a duplicate");
        assert!(!t.frame(&frame(14, &delta(2, 2_000)), 7_000), "a gap before it");
        assert!(!t.frame(b": ping", 8_000));
        assert!(t.frame(&frame(15, r#"{"type":"turn.ended","data":{"reason":"completed"}}"#), 9_000));
        let got = t.got;
        assert_eq!((got.events, got.deltas, got.duplicates, got.sequence_errors), (4, 2, 1, 1));
        assert_eq!((got.first_write_ns, got.last_receipt_ns, got.last_sequence), (1_000, 7_000, 15));
        assert_eq!(got.latency.count(), 3);
        assert_eq!(got.latency.quantile(1.0), 5_000);
        assert!(got.turn_completed);
        assert_eq!(per_second(got.deltas, got.first_write_ns, got.last_receipt_ns), 333_333.0);
    }
}
