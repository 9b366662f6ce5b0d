//! The inspector: a single-page app under `/ui`, embedded at build time (see `build.rs`).
//!
//! `/ui/<file>` serves that file; any other path without an extension is one of the app's own
//! routes and gets `index.html`, so a reload or a shared link lands in the app, not in the API's
//! 404. No token is needed for these files: the app asks for one and sends it to the API.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));
}

/// What the page may load: its own files, and the API of whatever daemon the user connects to.
const CSP: &str = "default-src 'self'; connect-src *; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const NOT_BUILT: &str = "<!doctype html><title>sandbox-agent inspector</title><h1>Inspector not built</h1>\
<p>This binary was built without <code>inspector/dist</code>. Run <code>npm ci &amp;&amp; npm run build -w inspector</code> \
at the repository root, then rebuild the daemon. The API is unaffected.</p>";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/ui", get(|| async { Redirect::permanent("/ui/") }))
        .route("/ui/", get(|| async { serve("index.html") }))
        .route("/ui/{*path}", get(|Path(path): Path<String>| async move { serve(&path) }))
}

fn find(name: &str) -> Option<&'static [u8]> {
    assets::ASSETS.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes)
}

fn serve(path: &str) -> Response {
    if assets::ASSETS.is_empty() {
        return page(StatusCode::SERVICE_UNAVAILABLE, "text/html; charset=utf-8", NOT_BUILT.as_bytes(), false);
    }
    if let Some(bytes) = find(path) {
        // Vite names what it emits under assets/ by content hash: such a file never changes.
        return page(StatusCode::OK, content_type(path), bytes, path.starts_with("assets/"));
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    match (last.contains('.'), find("index.html")) {
        (false, Some(index)) => page(StatusCode::OK, content_type("index.html"), index, false),
        _ => page(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"not found", false),
    }
}

fn page(status: StatusCode, mime: &'static str, body: &'static [u8], immutable: bool) -> Response {
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
