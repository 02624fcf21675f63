//! Who may do what: bearer tokens with a scope, compared in constant time,
//! and the token files an agent keeps.
//!
//! A write token may do everything; a read token may list, get and watch
//! (`GET` and `HEAD`) and nothing else. Comparison uses `subtle`, so the
//! time a wrong token takes says nothing about where it went wrong.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use subtle::ConstantTimeEq;

/// The tokens a server accepts.
#[derive(Clone, Default)]
pub struct Tokens {
    /// May do everything.
    pub write: Option<String>,
    /// May only read (list, get, watch).
    pub read: Option<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |t: &Option<String>| t.as_ref().map(|_| "<redacted>");
        f.debug_struct("Tokens")
            .field("write", &shown(&self.write))
            .field("read", &shown(&self.read))
            .finish()
    }
}

impl Tokens {
    /// Whether any token is required.
    pub fn any(&self) -> bool {
        self.write.is_some() || self.read.is_some()
    }
}

/// What a presented token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Write,
    Read,
}

fn same(given: &[u8], expected: Option<&String>) -> bool {
    expected.is_some_and(|t| bool::from(given.ct_eq(t.as_bytes())))
}

fn scope_of(tokens: &Tokens, given: &str) -> Option<Scope> {
    let given = given.trim().as_bytes();
    // Both compared every time, so which one matched does not show either.
    let write = same(given, tokens.write.as_ref());
    let read = same(given, tokens.read.as_ref());
    if write {
        Some(Scope::Write)
    } else if read {
        Some(Scope::Read)
    } else {
        None
    }
}

/// Lets a request through with `Authorization: Bearer <token>` whose scope
/// covers its method.
pub(crate) async fn require_token(
    State(tokens): State<Arc<Tokens>>,
    req: Request,
    next: Next,
) -> Response {
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let scope = given.and_then(|t| scope_of(&tokens, t));
    let reads = matches!(*req.method(), Method::GET | Method::HEAD);
    match scope {
        Some(Scope::Write) => next.run(req).await,
        Some(Scope::Read) if reads => next.run(req).await,
        Some(Scope::Read) => crate::v1::error(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this token is read-only: it can list, get and watch, not {} {}",
                req.method(),
                req.uri().path()
            ),
        ),
        None => {
            let message = if given.is_some() {
                "wrong bearer token"
            } else {
                "missing Authorization: Bearer <token>"
            };
            let mut res = crate::v1::error(StatusCode::UNAUTHORIZED, "unauthorized", message);
            res.headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        }
    }
}

/// The token kept in `path`, made on first use: 256 random bits as 64 hex
/// digits, in a file only its owner can read (mode 0600, created
/// exclusively, so two starts never write two tokens).
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("api.token");
/// let token = flotta_api::token_file(&path)?;
/// assert_eq!(token.len(), 64);
/// assert_eq!(flotta_api::token_file(&path)?, token);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The file cannot be read or made, or holds no token.
pub fn token_file(path: &Path) -> io::Result<String> {
    use std::os::unix::fs::OpenOptionsExt;
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => return token_in(path, &text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(named(e)),
    }
    let mut bits = [0u8; 32];
    getrandom::getrandom(&mut bits).map_err(|e| named(io::Error::other(e.to_string())))?;
    let token = hex::encode(bits);
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
    match created {
        Ok(mut file) => {
            file.write_all(format!("{token}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(named)?;
            Ok(token)
        }
        // Another start made it first: use that one.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            token_in(path, &std::fs::read_to_string(path).map_err(named)?)
        }
        Err(e) => Err(named(e)),
    }
}

/// The token a file holds (its first line, trimmed).
///
/// # Errors
/// The file cannot be read or holds no token.
pub fn read_token_file(path: &Path) -> io::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    token_in(path, &text)
}

fn token_in(path: &Path, text: &str) -> io::Result<String> {
    match text.lines().next().map(str::trim) {
        Some(t) if !t.is_empty() => Ok(t.to_owned()),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: holds no token", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let tokens = Tokens {
            write: Some("w".into()),
            read: Some("r".into()),
        };
        assert_eq!(scope_of(&tokens, "w"), Some(Scope::Write));
        assert_eq!(scope_of(&tokens, " r "), Some(Scope::Read));
        assert_eq!(scope_of(&tokens, "x"), None);
        assert_eq!(scope_of(&tokens, ""), None);
        assert_eq!(scope_of(&Tokens::default(), ""), None);
    }

    #[test]
    fn token_files_are_private_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        let token = token_file(&path).unwrap();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(token_file(&path).unwrap(), token);
        assert_ne!(token_file(&dir.path().join("u")).unwrap(), token);
        std::fs::write(&path, "\n").unwrap();
        assert!(
            token_file(&path)
                .unwrap_err()
                .to_string()
                .contains("no token")
        );
    }
}
