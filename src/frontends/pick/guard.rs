//! Who may use the page: every request is addressed to a loopback name (the `Host` header, so a
//! foreign name made to resolve to 127.0.0.1 is refused), carries the secret token printed with
//! the URL (as Jupyter does), and every change (a POST) comes from the page itself (same
//! origin), so neither another user of the machine nor another web site can pick or render.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// A fresh random token: 128 bits from the system's random source, as hex.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The `t` parameter of a query string.
pub fn token_in(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|pair| pair.strip_prefix("t="))
}

/// Compares in time independent of where the strings differ.
pub fn same_token(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether a request was sent to this server by a loopback name (`127.0.0.1`, `localhost`,
/// `[::1]`) and its port: a second wall behind the token against DNS rebinding.
pub fn loopback_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
}

/// Whether a change request comes from a page this server served: its `Origin` is this server
/// (`http://` + the `Host` it was sent to, which must be the loopback address it listens on).
pub fn same_origin(origin: Option<&str>, host: Option<&str>, port: u16) -> bool {
    let (Some(origin), Some(host)) = (origin, host) else {
        return false;
    };
    loopback_host(Some(host), port) && origin.eq_ignore_ascii_case(&format!("http://{host}"))
}

pub async fn check(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if !loopback_host(host, app.port) {
        return (
            StatusCode::FORBIDDEN,
            format!(
                "storyreel pick: this page answers only to 127.0.0.1:{port} or localhost:{port} \
                 (the request was addressed to {})",
                host.unwrap_or("no host"),
                port = app.port
            ),
        )
            .into_response();
    }
    let token_ok = token_in(request.uri().query()).is_some_and(|t| same_token(t, &app.token));
    if !token_ok {
        return (
            StatusCode::FORBIDDEN,
            "storyreel pick: this page needs the token printed with its URL (…?t=…)",
        )
            .into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let header = |name| {
            request
                .headers()
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
        };
        if !same_origin(header(header::ORIGIN), header(header::HOST), app.port) {
            return (
                StatusCode::FORBIDDEN,
                "storyreel pick: changes are accepted only from the page itself (Origin check)",
            )
                .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_compared_exactly() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a[..31], &a));
        assert!(!same_token("", &a));
    }

    #[test]
    fn the_token_is_found_among_other_parameters() {
        assert_eq!(token_in(Some("t=abc")), Some("abc"));
        assert_eq!(token_in(Some("focus=2&t=abc")), Some("abc"));
        assert_eq!(token_in(Some("at=abc")), None);
        assert_eq!(token_in(None), None);
    }

    #[test]
    fn only_loopback_names_are_answered() {
        assert!(loopback_host(Some("127.0.0.1:8080"), 8080));
        assert!(loopback_host(Some("LOCALHOST:8080"), 8080));
        assert!(loopback_host(Some("[::1]:8080"), 8080));
        assert!(!loopback_host(Some("evil.example:8080"), 8080));
        assert!(!loopback_host(Some("127.0.0.1:8081"), 8080));
        assert!(!loopback_host(Some("127.0.0.1"), 8080));
        assert!(!loopback_host(Some("127.0.0.1.evil.example:8080"), 8080));
        assert!(!loopback_host(None, 8080));
    }

    #[test]
    fn only_the_page_itself_may_change_things() {
        let host = Some("127.0.0.1:8080");
        assert!(same_origin(Some("http://127.0.0.1:8080"), host, 8080));
        assert!(same_origin(
            Some("http://localhost:8080"),
            Some("localhost:8080"),
            8080
        ));
        assert!(!same_origin(Some("http://evil.example"), host, 8080));
        assert!(!same_origin(None, host, 8080), "no Origin header");
        // DNS rebinding: a foreign name resolving to 127.0.0.1.
        assert!(!same_origin(
            Some("http://evil.example:8080"),
            Some("evil.example:8080"),
            8080
        ));
        assert!(!same_origin(Some("http://127.0.0.1:9999"), host, 8080));
    }
}
