//! The inspector at /ui: the embedded single-page app, served without a token, with its own
//! fallback for the app's routes (the API's 404 stays a problem).

use crate::common::*;

#[tokio::test]
async fn the_inspector_is_served_at_ui_with_its_own_fallback() {
    let d = Daemon::start().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let get = |path: &str| http.get(format!("{}{path}", d.url)).send();

    let bare = get("/ui").await.unwrap();
    assert_eq!(bare.status(), 308);
    assert_eq!(bare.headers()["location"], "/ui/");

    // No token: the page asks for one and sends it to the API itself.
    let index = get("/ui/").await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let csp = index.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = index.text().await.unwrap();
    assert!(html.contains(r#"<div id="app">"#), "{html}");

    // Its script is there, typed, and cached for good (its name is its content's hash).
    let script = html.split('"').find(|s| s.starts_with("/ui/assets/") && s.ends_with(".js")).expect("a script");
    let js = get(script).await.unwrap();
    assert_eq!(js.status(), 200);
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
    assert!(js.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(js.text().await.unwrap().contains("streamEvents"));

    // The app's own routes get the app; a missing file is a 404, not the app.
    let deep = get("/ui/sessions/ses_1/events").await.unwrap();
    assert_eq!(deep.status(), 200);
    assert_eq!(deep.text().await.unwrap(), html);
    assert_eq!(get("/ui/assets/missing.js").await.unwrap().status(), 404);

    // Outside /ui nothing changed: unknown paths are problems.
    let api = get("/uix").await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}
