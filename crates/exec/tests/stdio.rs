//! The stdio loop, with real processes: steps, backpressure, stops and the exit report.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{gone_within_wait, sh, WAIT};
use sandbox_agent_exec::{run, LineProtocol, Outcome, Step, Stop};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::time::timeout;

enum Cmd {
    Write(Value),
    Stop(Stop),
}

/// Emits every line; a line with `both` in it asks for a write and then an emit. Inputs write or stop;
/// a closed input channel kills.
#[derive(Default)]
struct Echo {
    lines: Arc<AtomicUsize>,
}

impl LineProtocol for Echo {
    type Output = String;
    type Input = Cmd;

    fn line(&mut self, line: &str, steps: &mut Vec<Step<String>>) {
        self.lines.fetch_add(1, Ordering::SeqCst);
        if line.contains("both") {
            steps.push(Step::Write(json!("written")));
        }
        steps.push(Step::Emit(line.to_string()));
    }

    fn input(&mut self, input: Option<Cmd>, steps: &mut Vec<Step<String>>) {
        steps.push(match input {
            Some(Cmd::Write(value)) => Step::Write(value),
            Some(Cmd::Stop(how)) => Step::Stop(how),
            None => Step::Stop(Stop::Kill),
        });
    }
}

/// Start the loop over `sh -c script` in a task; returns its input, outputs and outcome.
fn start(
    script: &str,
    depth: usize,
    protocol: Echo,
) -> (mpsc::UnboundedSender<Cmd>, mpsc::Receiver<String>, tokio::task::JoinHandle<Outcome>, Option<u32>) {
    let proc = sh(script).spawn().unwrap();
    let pid = proc.pid();
    let (input, mut input_rx) = mpsc::unbounded_channel();
    let (out_tx, out_rx) = mpsc::channel(depth);
    let task = tokio::spawn(async move {
        let mut protocol = protocol;
        run(proc, &mut protocol, &mut input_rx, &out_tx).await
    });
    (input, out_rx, task, pid)
}

async fn recv(rx: &mut mpsc::Receiver<String>) -> Option<String> {
    timeout(WAIT, rx.recv()).await.expect("an output in time")
}

#[tokio::test]
async fn inputs_are_written_and_lines_emitted_until_a_stop() {
    let (input, mut out, task, _) = start("exec cat", 16, Echo::default());
    input.send(Cmd::Write(json!({"n": 1}))).unwrap();
    assert_eq!(recv(&mut out).await.as_deref(), Some(r#"{"n":1}"#));
    input.send(Cmd::Write(json!("both"))).unwrap();
    assert_eq!(recv(&mut out).await.as_deref(), Some(r#""both""#));
    assert_eq!(recv(&mut out).await.as_deref(), Some(r#""written""#), "the line's write came back");
    input.send(Cmd::Stop(Stop::Graceful)).unwrap();
    assert!(matches!(timeout(WAIT, task).await.unwrap().unwrap(), Outcome::Stopped));
    assert_eq!(recv(&mut out).await, None, "nothing after the stop");
}

#[tokio::test]
async fn stdout_closing_ends_with_one_exit_report() {
    let (_input, mut out, task, _) =
        start("echo one; echo; echo '  '; echo two; echo 'bad key' >&2; exit 5", 16, Echo::default());
    assert_eq!(recv(&mut out).await.as_deref(), Some("one"));
    assert_eq!(recv(&mut out).await.as_deref(), Some("two"), "blank lines are skipped");
    let Outcome::Exited(report) = timeout(WAIT, task).await.unwrap().unwrap() else { panic!("not an exit") };
    assert_eq!(report.exit_code, Some(5));
    assert_eq!(report.message, "sh exited with status 5: bad key");
    assert_eq!(report.stderr.head(), "bad key");
}

#[tokio::test]
async fn a_slow_consumer_slows_the_reading() {
    let lines = Arc::new(AtomicUsize::new(0));
    let protocol = Echo { lines: lines.clone() };
    let (_input, mut out, task, _) = start("seq 1 100", 2, protocol);
    let read = |n: usize| {
        let lines = lines.clone();
        async move {
            while lines.load(Ordering::SeqCst) < n {
                tokio::task::yield_now().await;
            }
        }
    };
    // Two outputs fill the channel and the third waits in the loop: it reads no further.
    timeout(WAIT, read(3)).await.expect("three lines read");
    assert!(timeout(Duration::from_millis(300), read(4)).await.is_err(), "read on while the consumer was full");
    assert_eq!(lines.load(Ordering::SeqCst), 3);
    // One output taken: one more line read.
    assert_eq!(recv(&mut out).await.as_deref(), Some("1"));
    timeout(WAIT, read(4)).await.expect("a fourth line once there was room");
    let mut rest = Vec::new();
    while let Some(line) = recv(&mut out).await {
        rest.push(line);
    }
    assert_eq!(rest, (2..=100).map(|i| i.to_string()).collect::<Vec<_>>(), "every line, in order");
    assert!(matches!(task.await.unwrap(), Outcome::Exited(r) if r.exit_code == Some(0)));
}

#[tokio::test]
async fn a_closed_input_channel_stops_as_the_protocol_says() {
    let (input, mut out, task, _) = start("sleep 600 & echo $!; wait", 1, Echo::default());
    let grandchild: u32 = recv(&mut out).await.unwrap().parse().unwrap();
    drop(input); // Echo kills then
    assert!(matches!(timeout(WAIT, task).await.unwrap().unwrap(), Outcome::Stopped));
    assert!(gone_within_wait(grandchild), "the group was killed");
}

#[tokio::test]
async fn an_output_nobody_receives_kills_the_process() {
    let (_input, out, task, pid) = start("echo first; exec sleep 600", 1, Echo::default());
    drop(out);
    assert!(matches!(timeout(WAIT, task).await.unwrap().unwrap(), Outcome::OutputClosed));
    assert!(gone_within_wait(pid.unwrap()));
}

#[tokio::test]
async fn a_failed_write_drops_the_rest_of_its_steps_and_reads_on() {
    // The child closes its stdin, then prints `both` (a write, then an emit) and more.
    let (_input, mut out, task, _) = start("exec 0<&-; echo both; echo after", 16, Echo::default());
    assert_eq!(recv(&mut out).await.as_deref(), Some("after"), "the emit after the failed write was dropped");
    assert!(matches!(timeout(WAIT, task).await.unwrap().unwrap(), Outcome::Exited(_)));
}
