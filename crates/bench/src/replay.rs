//! The replay agent: a stand-in `claude` that the daemon's real Claude adapter starts and
//! drives (stream-json on stdin and stdout), so the whole event path runs: pipe, parse,
//! convert, normalize, store, fan-out.
//!
//! Its lines are the lines of a recorded Claude Code transcript
//! (`resources/transcripts/claude-resume-include-partial.jsonl`), expanded to the number of
//! text deltas a turn asks for. Each user message is a turn; its text is a JSON [`Turn`]
//! (anything else gets a three-delta reply). Every delta's text is `@<index>.<ns> `, where
//! `<ns>` is `CLOCK_MONOTONIC` when the line was written, so a client can tell which deltas
//! it got and how late. After each turn the agent appends a [`TurnReport`] line to the file
//! named by `BENCH_REPORT`, if set.

use std::fmt::Write as _;
use std::io::{BufRead, BufWriter, Write};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::measure::{now_ns, self_cpu_s};

const TRANSCRIPT: &str = include_str!("../../../resources/transcripts/claude-resume-include-partial.jsonl");

/// What one turn should produce.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Turn {
    /// Text deltas in the turn.
    pub deltas: u64,
    /// Deltas per second; 0 writes as fast as the pipe takes them.
    #[serde(default)]
    pub rate: u64,
    /// Deltas per assistant message (each message ends with an `assistant` line that carries
    /// its whole text, as the real CLI does).
    #[serde(default = "default_per_message")]
    pub per_message: u64,
}

fn default_per_message() -> u64 {
    1000
}

impl Turn {
    pub fn prompt(&self) -> String {
        serde_json::to_string(self).expect("turn serializes")
    }

    /// Assistant messages in the turn.
    pub fn messages(&self) -> u64 {
        self.deltas.div_ceil(self.per_message.max(1))
    }
}

/// One line of the `BENCH_REPORT` file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TurnReport {
    pub pid: u32,
    pub deltas: u64,
    /// Lines written to stdout in the turn.
    pub lines: u64,
    pub bytes: u64,
    pub first_write_ns: u64,
    pub last_write_ns: u64,
    /// CPU time the agent spent on the turn (user + system).
    pub cpu_s: f64,
    pub interrupted: bool,
}

/// The transcript's lines, split where the replay puts its own values.
struct Templates {
    init: String,
    status: String,
    message_start: Value,
    block_start: String,
    /// A text delta line before and after its text.
    delta: (String, String),
    assistant: Value,
    block_stop: String,
    message_delta: String,
    message_stop: String,
    result: Value,
}

const MARK: &str = "@@REPLAY@@";

impl Templates {
    fn load(session_id: &str) -> Templates {
        let mut lines: Vec<Value> =
            TRANSCRIPT.lines().map(|l| serde_json::from_str(l).expect("transcript line is JSON")).collect();
        for line in &mut lines {
            if line.get("session_id").is_some() {
                line["session_id"] = Value::String(session_id.to_string());
            }
        }
        let find = |pred: &dyn Fn(&Value) -> bool, what: &str| -> Value {
            lines.iter().find(|l| pred(l)).cloned().unwrap_or_else(|| panic!("transcript has no {what} line"))
        };
        let system = |sub: &'static str| move |l: &Value| l["type"] == "system" && l["subtype"] == sub;
        let stream = |ty: &'static str| move |l: &Value| l["type"] == "stream_event" && l["event"]["type"] == ty;
        let mut delta = find(&stream("content_block_delta"), "text delta");
        delta["event"]["delta"]["text"] = Value::String(MARK.into());
        let delta = delta.to_string();
        let (before, after) = delta.split_once(MARK).expect("marker in delta line");
        Templates {
            init: find(&system("init"), "system init").to_string(),
            status: find(&system("status"), "system status").to_string(),
            message_start: find(&stream("message_start"), "message_start"),
            block_start: find(&stream("content_block_start"), "content_block_start").to_string(),
            delta: (before.to_string(), after.to_string()),
            assistant: find(&|l| l["type"] == "assistant", "assistant"),
            block_stop: find(&stream("content_block_stop"), "content_block_stop").to_string(),
            message_delta: find(&stream("message_delta"), "message_delta").to_string(),
            message_stop: find(&stream("message_stop"), "message_stop").to_string(),
            result: find(&|l| l["type"] == "result", "result"),
        }
    }
}

/// What the stdin reader hands the writer.
enum Input {
    Turn(Turn),
    Interrupt(String),
}

/// Run the replay agent on stdin and stdout until stdin closes.
pub fn main() {
    let session_id =
        format!("00000000-0000-4000-8000-{:012x}", u64::from(std::process::id()) << 16 | (now_ns() & 0xffff));
    let templates = Templates::load(&session_id);
    let report_path = std::env::var_os("BENCH_REPORT");
    let (tx, rx) = mpsc::channel();
    // Stdin is read on its own thread so an interrupt can arrive while a turn is written.
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let Ok(msg) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let input = match msg["type"].as_str() {
                Some("user") => {
                    let text = msg.pointer("/message/content/0/text").and_then(Value::as_str).unwrap_or("");
                    let turn = serde_json::from_str(text).unwrap_or(Turn { deltas: 3, rate: 0, per_message: 1000 });
                    Input::Turn(turn)
                }
                Some("control_request") if msg["request"]["subtype"] == "interrupt" => {
                    Input::Interrupt(msg["request_id"].as_str().unwrap_or("").to_string())
                }
                _ => continue,
            };
            if tx.send(input).is_err() {
                break;
            }
        }
    });
    let mut out = Writer { out: BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()), lines: 0, bytes: 0 };
    let mut turns = 0u64;
    while let Ok(input) = rx.recv() {
        let turn = match input {
            Input::Turn(turn) => turn,
            // No turn is running: just acknowledge it.
            Input::Interrupt(request_id) => {
                let _ = out.control_ack(&request_id);
                continue;
            }
        };
        turns += 1;
        let mut write_report = |report: &TurnReport| {
            let Some(path) = &report_path else { return };
            let line = serde_json::to_string(report).expect("report serializes");
            if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
                let _ = writeln!(file, "{line}");
            }
        };
        if run_turn(&templates, &mut out, turn, turns, &rx, &mut write_report).is_err() {
            return; // stdout closed: the daemon is gone
        }
    }
}

struct Writer<W: Write> {
    out: W,
    lines: u64,
    bytes: u64,
}

impl<W: Write> Writer<W> {
    fn line(&mut self, parts: &[&[u8]]) -> std::io::Result<()> {
        for p in parts {
            self.out.write_all(p)?;
            self.bytes += p.len() as u64;
        }
        self.out.write_all(b"\n")?;
        self.bytes += 1;
        self.lines += 1;
        Ok(())
    }

    fn value(&mut self, v: &Value) -> std::io::Result<()> {
        self.line(&[v.to_string().as_bytes()])
    }

    fn control_ack(&mut self, request_id: &str) -> std::io::Result<()> {
        let ack = serde_json::json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id}});
        self.value(&ack)?;
        self.out.flush()
    }
}

/// Write one turn: init, then the messages with their deltas, then the result.
fn run_turn<W: Write>(
    t: &Templates,
    out: &mut Writer<W>,
    turn: Turn,
    number: u64,
    rx: &mpsc::Receiver<Input>,
    on_report: &mut dyn FnMut(&TurnReport),
) -> std::io::Result<TurnReport> {
    let cpu0 = self_cpu_s();
    let (lines0, bytes0) = (out.lines, out.bytes);
    out.line(&[t.init.as_bytes()])?;
    out.line(&[t.status.as_bytes()])?;
    let paced = turn.rate > 0;
    let start = now_ns();
    let interval_ns = if paced { 1_000_000_000 / turn.rate } else { 0 };
    let (mut first_write, mut last_write) = (0, 0);
    let mut interrupted = false;
    let mut index = 0u64;
    let mut text = String::new();
    let mut stamp = String::with_capacity(48);
    let per_message = turn.per_message.max(1);
    'messages: for m in 0..turn.messages() {
        let id = format!("msg_replay_{number}_{m}");
        let mut start_line = t.message_start.clone();
        start_line["event"]["message"]["id"] = Value::String(id.clone());
        out.value(&start_line)?;
        out.line(&[t.block_start.as_bytes()])?;
        text.clear();
        for _ in 0..per_message.min(turn.deltas - index) {
            if index & 0xff == 0 {
                if let Ok(Input::Interrupt(request_id)) = rx.try_recv() {
                    out.control_ack(&request_id)?;
                    interrupted = true;
                    break 'messages;
                }
            }
            if paced {
                let due = start + index * interval_ns;
                let now = now_ns();
                if due > now {
                    std::thread::sleep(Duration::from_nanos(due - now));
                }
            }
            let written = now_ns();
            stamp.clear();
            let _ = write!(stamp, "@{index}.{written} ");
            out.line(&[t.delta.0.as_bytes(), stamp.as_bytes(), t.delta.1.as_bytes()])?;
            if paced {
                out.out.flush()?;
            }
            text.push_str(&stamp);
            if index == 0 {
                first_write = written;
            }
            last_write = written;
            index += 1;
        }
        let mut assistant = t.assistant.clone();
        assistant["message"]["id"] = Value::String(id);
        assistant["message"]["content"][0]["text"] = Value::String(std::mem::take(&mut text));
        out.value(&assistant)?;
        out.line(&[t.block_stop.as_bytes()])?;
        out.line(&[t.message_delta.as_bytes()])?;
        out.line(&[t.message_stop.as_bytes()])?;
    }
    let mut result = t.result.clone();
    if interrupted {
        result["subtype"] = Value::String("error_during_execution".into());
        result["is_error"] = Value::Bool(true);
    }
    let result = result.to_string();
    // Reported before the result line goes out, so the report is on disk by the time a client
    // sees the turn end.
    let report = TurnReport {
        pid: std::process::id(),
        deltas: index,
        lines: out.lines - lines0 + 1,
        bytes: out.bytes - bytes0 + result.len() as u64 + 1,
        first_write_ns: first_write,
        last_write_ns: last_write,
        cpu_s: self_cpu_s() - cpu0,
        interrupted,
    };
    on_report(&report);
    out.line(&[result.as_bytes()])?;
    out.out.flush()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A turn's lines, as the daemon's adapter would read them.
    fn lines_of(turn: Turn) -> (Vec<Value>, TurnReport) {
        let templates = Templates::load("sess-1");
        let mut out = Writer { out: Vec::new(), lines: 0, bytes: 0 };
        let (_tx, rx) = mpsc::channel();
        let report = run_turn(&templates, &mut out, turn, 1, &rx, &mut |_| {}).unwrap();
        let text = String::from_utf8(out.out).unwrap();
        (text.lines().map(|l| serde_json::from_str(l).unwrap()).collect(), report)
    }

    #[test]
    fn a_turn_is_the_transcript_expanded_to_n_stamped_deltas() {
        let (lines, report) = lines_of(Turn { deltas: 5, rate: 0, per_message: 2 });
        let deltas: Vec<&str> =
            lines.iter().filter_map(|l| l.pointer("/event/delta/text").and_then(Value::as_str)).collect();
        assert_eq!(deltas.len(), 5);
        for (i, d) in deltas.iter().enumerate() {
            let (index, ns) = d.trim_start_matches('@').trim_end().split_once('.').unwrap();
            assert_eq!(index.parse::<usize>().unwrap(), i);
            assert!(ns.parse::<u64>().unwrap() > 0);
        }
        // Three messages (2 + 2 + 1); each assistant line carries its message's deltas.
        let assistants: Vec<&Value> = lines.iter().filter(|l| l["type"] == "assistant").collect();
        assert_eq!(assistants.len(), 3);
        assert_eq!(assistants[2]["message"]["content"][0]["text"], deltas[4]);
        assert_eq!(assistants[0]["message"]["id"], "msg_replay_1_0");
        assert_eq!(lines[0]["subtype"], "init");
        assert_eq!(lines[0]["session_id"], "sess-1");
        assert_eq!(lines.last().unwrap()["subtype"], "success");
        assert_eq!(report.deltas, 5);
        assert_eq!(report.lines, lines.len() as u64);
        assert!(report.first_write_ns > 0 && report.last_write_ns >= report.first_write_ns);
    }

    #[test]
    fn paced_turns_take_their_time() {
        let (_, report) = lines_of(Turn { deltas: 21, rate: 1000, per_message: 1000 });
        // 20 intervals of 1 ms.
        assert!(report.last_write_ns - report.first_write_ns >= 20_000_000);
    }
}
