//! Real git repositories made by a test, and a smart-HTTP server for them (`git http-backend`
//! as CGI behind axum on 127.0.0.1:0), optionally private behind a Basic-auth token.
//!
//! Every git run here ignores the machine's system and global config, so a developer's
//! `~/.gitconfig` (signing, hooks, URL rewrites) cannot change what a test sees.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use tokio::io::AsyncWriteExt as _;

/// A `git` command with no system/global config and a fixed identity.
pub fn git_command() -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.test")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.test")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    cmd
}

/// Runs `git args` in `dir`; panics with git's stderr on failure; returns trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command().current_dir(dir).args(args).output().expect("spawn git");
    assert!(
        out.status.success(),
        "git {args:?} in {} failed ({}): {}",
        dir.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `file:///abs/path` for `path` (made absolute, symlinks resolved).
pub fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|e| panic!("canonicalize {}: {e}", path.display()));
    format!("file://{}", abs.display())
}

/// A non-bare working repository.
pub struct Repo {
    pub dir: PathBuf,
}

impl Repo {
    /// `git init -b branch dir` (creates `dir`).
    pub fn init(dir: impl AsRef<Path>, branch: &str) -> Repo {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q", "-b", branch]);
        Repo { dir }
    }

    pub fn git(&self, args: &[&str]) -> String {
        git(&self.dir, args)
    }

    /// Writes `(path, contents)` files, stages everything and commits; returns the full SHA.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (path, contents) in files {
            let path = self.dir.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.head()
    }

    /// Full SHA of `HEAD`.
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    /// Creates branch `name` at `HEAD` and checks it out.
    pub fn branch(&self, name: &str) {
        self.git(&["checkout", "-q", "-b", name]);
    }

    pub fn checkout(&self, name: &str) {
        self.git(&["checkout", "-q", name]);
    }

    /// `git clone --bare` into `dest` plus `update-server-info` (for dumb-HTTP fallbacks);
    /// the bare repo's HEAD is this repo's current branch.
    pub fn bare_clone(&self, dest: impl AsRef<Path>) -> PathBuf {
        let dest = dest.as_ref().to_path_buf();
        let (src, dst) = (self.dir.to_str().unwrap(), dest.to_str().unwrap());
        git(&self.dir, &["clone", "-q", "--bare", src, dst]);
        git(&dest, &["update-server-info"]);
        dest
    }
}

/// One request the server saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitRequest {
    pub method: String,
    /// Path without the query, e.g. `/private.git/info/refs`.
    pub path: String,
    pub query: String,
    /// The raw `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The request body's `Content-Encoding` (git gzips its larger POSTs).
    pub content_encoding: Option<String>,
}

struct Shared {
    root: PathBuf,
    token: Option<String>,
    requests: Mutex<Vec<GitRequest>>,
}

/// Smart-HTTP git server over every repository under `root`; stops on drop.
pub struct GitHttpServer {
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl GitHttpServer {
    /// With `token`, every request needs Basic auth whose user or password is the token.
    pub async fn start(root: PathBuf, token: Option<String>) -> GitHttpServer {
        let shared = Arc::new(Shared { root, token, requests: Mutex::default() });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().fallback(handle).with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        GitHttpServer { addr, shared, task }
    }

    /// `http://127.0.0.1:PORT/NAME.git` (`.git` added unless `name` has it).
    pub fn url(&self, name: &str) -> String {
        let suffix = if name.ends_with(".git") { "" } else { ".git" };
        format!("http://{}/{name}{suffix}", self.addr)
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<GitRequest> {
        self.shared.requests.lock().unwrap().clone()
    }
}

/// The user of a Basic `Authorization` header if its user or password equals `token`.
fn authorized_user(auth: Option<&str>, token: &str) -> Option<String> {
    let encoded = auth?.strip_prefix("Basic ")?.trim();
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let (user, password) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    (user == token || password == token).then(|| user.to_string())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &header::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let auth = header_str(&parts.headers, &header::AUTHORIZATION).map(str::to_string);
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    shared.requests.lock().unwrap().push(GitRequest {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        authorization: auth.clone(),
        content_encoding: header_str(&parts.headers, &header::CONTENT_ENCODING).map(str::to_string),
    });

    let user = match &shared.token {
        None => None,
        Some(token) => match authorized_user(auth.as_deref(), token) {
            Some(user) => Some(user),
            None => {
                return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Basic realm=\"git\"")], "auth required")
                    .into_response()
            }
        },
    };

    let mut body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes.to_vec(),
        Err(e) => return (StatusCode::BAD_REQUEST, format!("body: {e}")).into_response(),
    };
    // Inflated here so CONTENT_LENGTH is exact for http-backend.
    if header_str(&parts.headers, &header::CONTENT_ENCODING).is_some_and(|e| e.eq_ignore_ascii_case("gzip")) {
        let mut inflated = Vec::new();
        if let Err(e) = flate2::read::GzDecoder::new(body.as_slice()).read_to_end(&mut inflated) {
            return (StatusCode::BAD_REQUEST, format!("gzip: {e}")).into_response();
        }
        body = inflated;
    }

    let mut cmd = tokio::process::Command::from(git_command());
    cmd.arg("http-backend")
        .env("GIT_PROJECT_ROOT", &shared.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", &path)
        .env("QUERY_STRING", &query)
        .env("REQUEST_METHOD", &method)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .env_remove("HTTP_CONTENT_ENCODING")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let optional = [
        ("CONTENT_TYPE", header_str(&parts.headers, &header::CONTENT_TYPE).map(str::to_string)),
        ("HTTP_GIT_PROTOCOL", parts.headers.get("git-protocol").and_then(|v| v.to_str().ok()).map(str::to_string)),
        ("REMOTE_USER", user),
    ];
    for (name, value) in optional {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("spawn http-backend: {e}")).into_response(),
    };
    // Written concurrently with reading stdout so a large exchange cannot deadlock on pipes.
    let mut stdin = child.stdin.take().unwrap();
    let writer = tokio::spawn(async move {
        let _ = stdin.write_all(&body).await;
    });
    let out = match child.wait_with_output().await {
        Ok(out) => out,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("http-backend: {e}")).into_response(),
    };
    let _ = writer.await;
    cgi_response(&out.stdout).unwrap_or_else(|| {
        let msg = format!("http-backend {}: {}", out.status, String::from_utf8_lossy(&out.stderr));
        (StatusCode::INTERNAL_SERVER_ERROR, msg).into_response()
    })
}

/// CGI output → response: header lines up to a blank line (`Status:` gives the code), then body.
fn cgi_response(out: &[u8]) -> Option<Response> {
    let mut rest = out;
    let mut builder = Response::builder();
    let mut status = StatusCode::OK;
    loop {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..end]).ok()?.trim_end_matches('\r');
        rest = &rest[end + 1..];
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            status = value.split_whitespace().next()?.parse::<u16>().ok().and_then(|c| StatusCode::from_u16(c).ok())?;
        } else {
            builder = builder.header(name.trim(), HeaderValue::from_str(value).ok()?);
        }
    }
    builder.status(status).body(Body::from(rest.to_vec())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Three commits on `main`, one on `feature`, served as `NAME.git` under a fresh root.
    struct Fixture {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        work: Repo,
        main_sha: String,
        feature_sha: String,
    }

    fn fixture(name: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let work = Repo::init(tmp.path().join("work"), "main");
        work.commit(&[("README.md", "hello\n")], "first");
        work.commit(&[("src/deep/lib.rs", "pub fn f() {}\n")], "second");
        let main_sha = work.commit(&[("docs/a.txt", "a\n"), ("docs/b.txt", "b\n")], "third");
        work.branch("feature");
        let feature_sha = work.commit(&[("feature.txt", "on feature\n")], "feature work");
        work.checkout("main");
        let root = tmp.path().join("served");
        work.bare_clone(root.join(format!("{name}.git")));
        Fixture { _tmp: tmp, root, work, main_sha, feature_sha }
    }

    /// Async so the server on this runtime keeps answering while git runs.
    async fn run(cmd: Command) -> std::process::Output {
        let mut cmd = tokio::process::Command::from(cmd);
        cmd.stdin(Stdio::null()).kill_on_drop(true);
        tokio::time::timeout(Duration::from_secs(60), cmd.output()).await.expect("git timed out").unwrap()
    }

    /// `git <config...> clone <opts...> URL DEST`
    async fn clone(config: &[&str], opts: &[&str], url: &str, dest: &Path) -> std::process::Output {
        let mut cmd = git_command();
        cmd.args(config).arg("clone").args(opts).arg(url).arg(dest);
        run(cmd).await
    }

    fn assert_ok(out: &std::process::Output) {
        assert!(out.status.success(), "git failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    #[tokio::test]
    async fn clone_over_file_url() {
        let f = fixture("public");
        let dest = f.root.join("../clone-file");
        assert_ok(&clone(&[], &[], &file_url(&f.root.join("public.git")), &dest).await);
        assert_eq!(git(&dest, &["rev-parse", "HEAD"]), f.main_sha);
        assert_eq!(std::fs::read_to_string(dest.join("src/deep/lib.rs")).unwrap(), "pub fn f() {}\n");
        assert!(!dest.join("feature.txt").exists());
        assert_eq!(f.work.head(), f.main_sha);
    }

    #[tokio::test]
    async fn clone_over_http_public() {
        let f = fixture("public");
        let server = GitHttpServer::start(f.root.clone(), None).await;
        let dest = f.root.join("../clone-http");
        assert_ok(&clone(&[], &[], &server.url("public"), &dest).await);
        assert_eq!(git(&dest, &["rev-parse", "HEAD"]), f.main_sha);
        let requests = server.requests();
        assert!(requests.iter().any(|r| r.path == "/public.git/info/refs" && r.query == "service=git-upload-pack"));
        assert!(requests.iter().any(|r| r.method == "POST" && r.path == "/public.git/git-upload-pack"));
        assert!(requests.iter().all(|r| r.authorization.is_none()));
    }

    #[tokio::test]
    async fn clone_at_branch_over_http() {
        let f = fixture("public");
        let server = GitHttpServer::start(f.root.clone(), None).await;
        let dest = f.root.join("../clone-branch");
        assert_ok(&clone(&[], &["--branch", "feature"], &server.url("public.git"), &dest).await);
        assert_eq!(git(&dest, &["rev-parse", "HEAD"]), f.feature_sha);
        assert_eq!(git(&dest, &["branch", "--show-current"]), "feature");
        assert!(dest.join("feature.txt").exists());
    }

    #[tokio::test]
    async fn gzipped_request_bodies_are_inflated() {
        let f = fixture("many");
        // Enough distinct tips that the fetch request's wants exceed git's 1 KiB gzip threshold.
        for i in 0..40 {
            f.work.commit(&[], &format!("tip {i}"));
            f.work.git(&["branch", &format!("b{i}")]);
        }
        let bare = f.root.join("many.git");
        f.work.git(&["push", "-q", bare.to_str().unwrap(), "refs/heads/*:refs/heads/*"]);
        let server = GitHttpServer::start(f.root.clone(), None).await;
        let dest = f.root.join("../clone-many");
        assert_ok(&clone(&[], &["--mirror"], &server.url("many"), &dest).await);
        assert_eq!(git(&dest, &["rev-parse", "b39"]), f.work.head());
        assert!(server.requests().iter().any(|r| r.content_encoding.as_deref() == Some("gzip")));
    }

    #[tokio::test]
    async fn private_clone_needs_the_token() {
        let f = fixture("private");
        let token = "s3cret-token";
        let server = GitHttpServer::start(f.root.clone(), Some(token.to_string())).await;
        let url = server.url("private");

        let denied = clone(&[], &[], &url, &f.root.join("../denied")).await;
        assert!(!denied.status.success());
        assert!(server.requests().iter().all(|r| r.authorization.is_none()));

        let wrong = clone(
            &["-c", "credential.helper=!f() { echo username=x; echo password=nope; }; f"],
            &[],
            &url,
            &f.root.join("../wrong"),
        )
        .await;
        assert!(!wrong.status.success());

        let helper = format!("credential.helper=!f() {{ echo username=x-access-token; echo password={token}; }}; f");
        let dest = f.root.join("../allowed");
        assert_ok(&clone(&["-c", &helper], &[], &url, &dest).await);
        assert_eq!(git(&dest, &["rev-parse", "HEAD"]), f.main_sha);
        let expected =
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{token}")));
        let requests = server.requests();
        assert!(requests
            .iter()
            .any(|r| r.path.ends_with("/git-upload-pack") && r.authorization.as_deref() == Some(expected.as_str())));
    }

    #[test]
    fn cgi_output_is_parsed() {
        let resp = cgi_response(b"Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope").unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/plain");
        assert_eq!(cgi_response(b"Expires: never\n\nok").unwrap().status(), StatusCode::OK);
        assert!(cgi_response(b"no blank line").is_none());
    }

    #[test]
    fn token_may_be_user_or_password() {
        let basic = |s: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(s));
        assert_eq!(authorized_user(Some(&basic("u:tok")), "tok").as_deref(), Some("u"));
        assert_eq!(authorized_user(Some(&basic("tok:")), "tok").as_deref(), Some("tok"));
        assert_eq!(authorized_user(Some(&basic("u:other")), "tok"), None);
        assert_eq!(authorized_user(None, "tok"), None);
    }
}
