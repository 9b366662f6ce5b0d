//! Who is calling and what a route lets them do, checked in one place.
//!
//! A route states its scope once, in its `#[utoipa::path(security(...))]`: `security(())` for a
//! public route, `security(("bearer" = ["session:read"]))` and so on for the rest. [`Scopes`] reads
//! them back from the generated document, so the scope a client sees in the OpenAPI document is
//! the scope [`authorize`] enforces, and a route that states none needs the daemon token.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{header, request::Parts, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sandbox_agent_schema::{ErrorType, ParticipantRole, Principal};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::AppState;

/// What a route needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No credentials (health).
    Public,
    /// Read one session: its record, events, transcript, participants (an observer token).
    SessionRead,
    /// Drive one session: messages, interrupts, answers to its questions and permissions,
    /// resume (a controller token).
    SessionWrite,
    /// Everything else: agents; creating, listing, updating, archiving, terminating and deleting
    /// sessions; issuing tokens (the daemon token only).
    Daemon,
}

impl Scope {
    /// The name used in the OpenAPI document's security requirements.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Public => "public",
            Scope::SessionRead => "session:read",
            Scope::SessionWrite => "session:write",
            Scope::Daemon => "daemon",
        }
    }

    fn from_name(name: &str) -> Option<Scope> {
        [Scope::SessionRead, Scope::SessionWrite, Scope::Daemon].into_iter().find(|s| s.name() == name)
    }

    /// The scope an operation's `security` states: `[{}]` is public, `[{"bearer": [scope]}]` a
    /// scope; anything else (absent, unknown, several) is `None`.
    pub fn of_operation(operation: &serde_json::Value) -> Option<Scope> {
        let [requirement] = operation.get("security")?.as_array()?.as_slice() else { return None };
        let requirement = requirement.as_object()?;
        if requirement.is_empty() {
            return Some(Scope::Public);
        }
        let [name] = requirement.get("bearer")?.as_array()?.as_slice() else { return None };
        Scope::from_name(name.as_str()?)
    }
}

/// The scope of every route, by method and path template, read from the OpenAPI document.
#[derive(Default)]
pub struct Scopes(HashMap<(Method, String), Scope>);

impl Scopes {
    pub fn from_openapi(doc: &serde_json::Value) -> Scopes {
        let mut scopes = HashMap::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let (Ok(method), Some(scope)) =
                    (Method::from_bytes(method.to_ascii_uppercase().as_bytes()), Scope::of_operation(operation))
                else {
                    continue;
                };
                scopes.insert((method, path.clone()), scope);
            }
        }
        Scopes(scopes)
    }

    /// A route the document does not describe needs the most: fail closed.
    fn get(&self, method: &Method, path: &str) -> Scope {
        self.0.get(&(method.clone(), path.to_string())).copied().unwrap_or(Scope::Daemon)
    }
}

/// The one check of every routed request: credentials become a [`Principal`], the principal must
/// hold the route's scope, and handlers get it through [`Caller`].
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_default();
    let scope = state.scopes.get(req.method(), &path);
    let token = bearer(req.headers()).map(str::to_string);
    match check(&state, scope, token.as_deref(), req).await {
        Ok(req) => next.run(req).await,
        Err(refused) => refused,
    }
}

/// The same check for the Coder Hub surface, whose routes state their scope where they are
/// mounted (`hub/mod.rs`) and whose clients may send the key as `api_key=` in the query.
pub async fn authorize_hub(State((state, scope)): State<(AppState, Scope)>, req: Request, next: Next) -> Response {
    let token = bearer(req.headers()).map(str::to_string).or_else(|| query_param(req.uri().query(), "api_key"));
    match check(&state, scope, token.as_deref(), req).await {
        Ok(req) => next.run(req).await,
        Err(refused) => refused,
    }
}

/// Who `token` is: the daemon, a session's participant, or nobody.
pub fn principal(state: &AppState, token: Option<&str>) -> Option<Principal> {
    authenticate(state.config.token.as_deref(), token).or_else(|| token.and_then(|t| state.sessions.authenticate(t)))
}

/// Whether `principal` may act with `scope` on `session` (for callers outside the middleware: the
/// Hub's WebSocket, which learns its key and session from its query or its first frame).
pub fn permits(principal: &Principal, scope: Scope, session: &str) -> Result<(), String> {
    if allows(principal, scope, Some(session)) {
        return Ok(());
    }
    Err(refusal(principal, scope, Some(session)))
}

async fn check(state: &AppState, scope: Scope, token: Option<&str>, req: Request) -> Result<Request, Response> {
    if scope == Scope::Public {
        return Ok(req);
    }
    let Some(principal) = principal(state, token) else {
        return Err(ApiError::new(ErrorType::TokenInvalid, "token invalid")
            .with_details(serde_json::json!({"message": "missing, invalid, expired or revoked token"}))
            .into_response());
    };
    let (mut parts, body) = req.into_parts();
    let from_path = match RawPathParams::from_request_parts(&mut parts, state).await {
        Ok(params) => params.iter().find(|(k, _)| *k == "session_id").map(|(_, v)| v.to_string()),
        Err(_) => None,
    };
    // Routes without a session in their path (the files API) name it in the query.
    let session = from_path.or_else(|| query_param(parts.uri.query(), "sessionId"));
    if !allows(&principal, scope, session.as_deref()) {
        let detail = refusal(&principal, scope, session.as_deref());
        return Err(ApiError::new(ErrorType::Forbidden, detail).into_response());
    }
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(principal);
    Ok(req)
}

fn refusal(principal: &Principal, scope: Scope, session: Option<&str>) -> String {
    match principal {
        Principal::Participant { session_id, role, .. } => match scope {
            Scope::Daemon => "only the daemon token may do this".to_string(),
            _ if session != Some(session_id.as_str()) => format!("this token is for session {session_id} only"),
            _ => format!("an {} token may only read this session", wire_role(*role)),
        },
        Principal::Daemon => format!("this token does not grant {}", scope.name()),
    }
}

/// One parameter of a query string, decoded (the others are the handler's to check).
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    let uri = format!("/?{}", query?).parse().ok()?;
    let axum::extract::Query(pairs) = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The token of `Authorization: Bearer T` (or `token T`); on a WebSocket handshake, which a
/// browser cannot give that header, a `bearer.T` entry of `Sec-WebSocket-Protocol`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
        .map(|(_, token)| token.trim());
    let websocket = headers.get(header::UPGRADE).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    authorization.or_else(|| {
        websocket.then(|| {
            headers
                .get_all(header::SEC_WEBSOCKET_PROTOCOL)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .find_map(|p| p.trim().strip_prefix("bearer."))
        })?
    })
}

/// The daemon, if `given` is the daemon token; with no daemon token configured, everyone is the
/// daemon.
fn authenticate(expected: Option<&str>, given: Option<&str>) -> Option<Principal> {
    let Some(expected) = expected else { return Some(Principal::Daemon) };
    bool::from(given?.as_bytes().ct_eq(expected.as_bytes())).then_some(Principal::Daemon)
}

/// Whether `principal` holds `scope` on the route's session (`session`, from its path).
fn allows(principal: &Principal, scope: Scope, session: Option<&str>) -> bool {
    match principal {
        Principal::Daemon => true,
        Principal::Participant { session_id, role, .. } => {
            let own = session == Some(session_id.as_str());
            match scope {
                Scope::Public => true,
                Scope::SessionRead => own,
                Scope::SessionWrite => own && *role == ParticipantRole::Controller,
                Scope::Daemon => false,
            }
        }
    }
}

fn wire_role(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Observer => "observer",
        ParticipantRole::Controller => "controller",
    }
}

/// The authorized caller of a request (set by [`authorize`]).
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().map(Caller).ok_or_else(|| {
            tracing::error!(path = %parts.uri.path(), "a handler asked for its caller on a public route");
            ApiError::new(ErrorType::Internal, "no caller on this route")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_states_a_known_scope() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
        let mut seen = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                assert!(Scope::of_operation(op).is_some(), "{method} {path} states no scope: {}", op["security"]);
                seen += 1;
            }
        }
        assert!(seen >= 19, "only {seen} operations");
        let scopes = Scopes::from_openapi(&doc);
        assert_eq!(scopes.get(&Method::GET, "/v1/health"), Scope::Public);
        assert_eq!(scopes.get(&Method::GET, "/v1/sessions/{session_id}/events"), Scope::SessionRead);
        assert_eq!(scopes.get(&Method::POST, "/v1/sessions/{session_id}/messages"), Scope::SessionWrite);
        assert_eq!(scopes.get(&Method::DELETE, "/v1/sessions/{session_id}"), Scope::Daemon);
        assert_eq!(scopes.get(&Method::GET, "/v1/not-declared"), Scope::Daemon, "undeclared routes fail closed");
    }

    #[test]
    fn tokens_are_compared_whole() {
        let mut headers = HeaderMap::new();
        assert_eq!(authenticate(None, bearer(&headers)), Some(Principal::Daemon));
        assert_eq!(authenticate(Some("t"), bearer(&headers)), None);
        for (value, ok) in [("Bearer t", true), ("token t", true), ("Bearer tt", false), ("Basic t", false)] {
            headers.insert(header::AUTHORIZATION, value.parse().unwrap());
            assert_eq!(authenticate(Some("t"), bearer(&headers)).is_some(), ok, "{value}");
        }
    }

    #[test]
    fn participants_hold_their_role_on_their_session_only() {
        let p = |role| Principal::Participant { session_id: "s1".into(), participant_id: "par_1".into(), role };
        let (observer, controller) = (p(ParticipantRole::Observer), p(ParticipantRole::Controller));
        assert!(allows(&observer, Scope::SessionRead, Some("s1")));
        assert!(!allows(&observer, Scope::SessionWrite, Some("s1")));
        assert!(!allows(&observer, Scope::SessionRead, Some("s2")));
        assert!(allows(&controller, Scope::SessionWrite, Some("s1")));
        assert!(!allows(&controller, Scope::SessionWrite, Some("s2")));
        assert!(!allows(&controller, Scope::Daemon, Some("s1")));
        assert!(!allows(&controller, Scope::SessionRead, None));
        assert!(allows(&Principal::Daemon, Scope::Daemon, None));
    }
}
