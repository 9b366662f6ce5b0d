//! A tiny in-process npm registry (axum on 127.0.0.1:0) and npm-style tarballs, for tests of
//! the installer and of anything that installs agents.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::Digest as _;

pub fn sri(data: &[u8]) -> String {
    format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(data)))
}

/// Gzipped tar of `(path, contents, mode)` entries, paths taken verbatim
/// (even `..` or absolute ones, written straight into the header).
pub fn tarball(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (path, data, mode) in entries {
        let mut header = tar::Header::new_gnu();
        let name = &mut header.as_old_mut().name;
        assert!(path.len() < name.len());
        name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    let mut gz = builder.into_inner().unwrap();
    gz.flush().unwrap();
    gz.finish().unwrap()
}

#[derive(Default)]
pub struct Shared {
    /// Raw request path (`/@scope%2fname`) → packument JSON.
    packuments: Mutex<HashMap<String, serde_json::Value>>,
    /// `/tarballs/<file>` → bytes.
    tarballs: Mutex<HashMap<String, Vec<u8>>>,
    pub packument_hits: AtomicUsize,
    pub tarball_hits: AtomicUsize,
    /// `(path, Authorization header)` of every request.
    pub auth: Mutex<Vec<(String, Option<String>)>>,
    pub accept: Mutex<Vec<String>>,
    /// When set, tarball responses wait for a permit (test-controlled gate).
    pub gate: Mutex<Option<Arc<tokio::sync::Semaphore>>>,
}

pub struct FakeRegistry {
    /// Base URL, with trailing slash.
    pub url: String,
    pub shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeRegistry {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeRegistry {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(handle).with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeRegistry { url, shared, task }
    }

    /// Publish `package@version` with `tarball`; `integrity` overrides the
    /// real SRI (`Some("")` omits it and publishes a sha1 `shasum` instead).
    pub fn publish_with(&self, package: &str, version: &str, tarball: Vec<u8>, integrity: Option<&str>) {
        let file = format!("{}-{version}.tgz", package.replace(['/', '@'], "_"));
        let mut dist = serde_json::json!({ "tarball": format!("{}tarballs/{file}", self.url) });
        match integrity {
            Some("") => {
                let hex: String = sha1::Sha1::digest(&tarball).iter().map(|b| format!("{b:02x}")).collect();
                dist["shasum"] = hex.into();
            }
            Some(i) => dist["integrity"] = i.into(),
            None => dist["integrity"] = sri(&tarball).into(),
        }
        self.shared.tarballs.lock().unwrap().insert(format!("/tarballs/{file}"), tarball);
        let path = format!("/{}", package.replace('/', "%2f"));
        let mut packuments = self.shared.packuments.lock().unwrap();
        let doc = packuments
            .entry(path)
            .or_insert_with(|| serde_json::json!({ "name": package, "dist-tags": {}, "versions": {} }));
        doc["versions"][version] = serde_json::json!({ "name": package, "version": version, "dist": dist });
        doc["dist-tags"]["latest"] = version.into();
    }

    pub fn publish(&self, package: &str, version: &str, tarball: Vec<u8>) {
        self.publish_with(package, version, tarball, None);
    }

    pub fn tarball_hits(&self) -> usize {
        self.shared.tarball_hits.load(Ordering::SeqCst)
    }

    pub fn packument_hits(&self) -> usize {
        self.shared.packument_hits.load(Ordering::SeqCst)
    }
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let auth = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    shared.auth.lock().unwrap().push((path.clone(), auth));
    if path.starts_with("/tarballs/") {
        shared.tarball_hits.fetch_add(1, Ordering::SeqCst);
        let gate = shared.gate.lock().unwrap().clone();
        if let Some(gate) = gate {
            let permit = tokio::time::timeout(Duration::from_secs(20), gate.acquire()).await;
            if permit.is_err() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "gate timed out").into_response();
            }
        }
        let body = shared.tarballs.lock().unwrap().get(&path).cloned();
        return match body {
            Some(bytes) => ([(header::CONTENT_TYPE, "application/octet-stream")], Body::from(bytes)).into_response(),
            None => (StatusCode::NOT_FOUND, "no such tarball").into_response(),
        };
    }
    shared.packument_hits.fetch_add(1, Ordering::SeqCst);
    if let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        shared.accept.lock().unwrap().push(accept.to_string());
    }
    let doc = shared.packuments.lock().unwrap().get(&path).cloned();
    match doc {
        Some(doc) => axum::Json(doc).into_response(),
        None => (StatusCode::NOT_FOUND, axum::Json(serde_json::json!({"error": "Not found"}))).into_response(),
    }
}
