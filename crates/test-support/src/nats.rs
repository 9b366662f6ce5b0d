//! A real `nats-server` with JetStream on loopback, its store in a temp dir, for the cluster's
//! tests: `$NATS_SERVER`, else the one `scripts/test` installs
//! (`~/.cache/sandbox-agent/nats/bin/nats-server`), else `nats-server` on `PATH`.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::WAIT;

pub fn nats_server_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("NATS_SERVER").filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cached = home.join(".cache/sandbox-agent/nats/bin/nats-server");
    if cached.is_file() {
        return cached;
    }
    PathBuf::from("nats-server")
}

pub struct NatsServer {
    child: Option<Child>,
    pub port: u16,
    pub store_dir: tempfile::TempDir,
}

impl NatsServer {
    pub async fn start() -> NatsServer {
        let store_dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = spawn(port, &store_dir).await;
        NatsServer { child: Some(child), port, store_dir }
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kill the server (SIGKILL): clients see the connection drop.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.start_kill();
            let _ = tokio::time::timeout(WAIT, child.wait()).await;
        }
    }

    /// Start it again on the same port and store (after [`kill`](Self::kill)).
    pub async fn restart(&mut self) {
        self.kill().await;
        self.child = Some(spawn(self.port, &self.store_dir).await);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Start the server and wait for it to say it is ready (it logs to stderr).
async fn spawn(port: u16, store_dir: &tempfile::TempDir) -> Child {
    let mut child = Command::new(nats_server_bin())
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(store_dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("nats-server (scripts/test installs it; or set NATS_SERVER)");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let ready = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("Server is ready") {
                return true;
            }
        }
        false
    };
    assert!(tokio::time::timeout(WAIT, ready).await.expect("nats-server ready in time"), "nats-server exited");
    // Keep reading its log so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    child
}

/// A TCP relay in front of a server, to cut one client off (a partition) and let it back.
pub struct Relay {
    pub port: u16,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    cut: tokio::sync::watch::Sender<u64>,
}

impl Relay {
    pub async fn start(upstream: u16) -> Relay {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let (cut, _) = tokio::sync::watch::channel(0u64);
        let (flag, cuts) = (open.clone(), cut.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !flag.load(Ordering::SeqCst) {
                    continue; // refused: dropped at once
                }
                let mut cut = cuts.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Relay { port, open, cut }
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Drop every relayed connection and refuse new ones.
    pub fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    pub fn heal(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
