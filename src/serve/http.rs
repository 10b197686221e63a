//! The preview's HTTP server: GET and HEAD on 127.0.0.1, with every
//! resource a visitor could exhaust bounded.
//!
//! A page on another site can point a name it controls at 127.0.0.1 and
//! read the preview (DNS rebinding), so a request is answered only when its
//! `Host` is a loopback name with this server's port. A request head over
//! [`MAX_HEAD`] is refused before it is kept, a client that sends nothing
//! is dropped after [`READ_TIMEOUT`], and no more than [`MAX_CONNECTIONS`]
//! are served at once. Requests are parsed by `httparse`; each connection
//! carries one request (`Connection: close`), which is plenty for a preview.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most connections served at once (the live-reload stream of each open tab counts).
pub const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request head.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Most headers in a request.
const MAX_HEADERS: usize = 64;

/// A request the preview answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path of the target, without the query.
    pub path: String,
    /// HEAD: the response carries headers only.
    pub head_only: bool,
}

/// A response: status, content type and body.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type,
            body,
        }
    }

    fn text(status: u16, text: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }
}

/// What to do with a connection once its request is read.
pub enum Reply {
    /// Answer and close.
    Once(Response),
    /// Keep the connection, written by the handler (the live-reload stream).
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes a whole response and closes.
pub fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

/// Why a request head was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    TooLarge,
    Malformed,
    Method,
    Host,
}

impl Rejected {
    fn response(&self) -> Response {
        match self {
            Rejected::TooLarge => Response::text(431, "request head too large\n"),
            Rejected::Malformed => Response::text(400, "bad request\n"),
            Rejected::Method => Response::text(405, "only GET and HEAD\n"),
            Rejected::Host => Response::text(
                421,
                "this preview answers only http://127.0.0.1, http://localhost and http://[::1] on its own port\n",
            ),
        }
    }
}

/// Whether `host` (a `Host` header) names this machine's loopback on `port`.
pub fn loopback_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((n, p)) if !n.is_empty() && !p.contains(']') => (n, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    let name = name.to_ascii_lowercase();
    let loopback = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    // Without a port, the browser meant port 80.
    loopback && given.unwrap_or(80) == port
}

/// Parses a complete request head.
pub fn parse(head: &[u8], port: u16) -> Result<Request, Rejected> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(Rejected::Malformed),
    }
    let head_only = match req.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Err(Rejected::Method),
    };
    let host = req
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .and_then(|h| std::str::from_utf8(h.value).ok());
    if !host.is_some_and(|h| loopback_host(h.trim(), port)) {
        return Err(Rejected::Host);
    }
    let target = req.path.unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Ok(Request { path, head_only })
}

/// Reads a request head, up to [`MAX_HEAD`] bytes.
fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, Rejected> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).map_err(|_| Rejected::Malformed)?;
        if n == 0 {
            return Err(Rejected::Malformed);
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Rejected::TooLarge);
        }
    }
}

/// Serves until the process ends; `handle` answers each accepted request.
pub fn serve<H>(listener: TcpListener, port: u16, handle: H)
where
    H: Fn(&Request) -> Reply + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let busy = Response::text(503, "too many connections\n");
            let _ = write_response(&mut stream, &busy, false);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let (handle, open) = (handle.clone(), open.clone());
        std::thread::spawn(move || {
            connection(stream, port, &*handle);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn connection<H: Fn(&Request) -> Reply>(mut stream: TcpStream, port: u16, handle: &H) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let request = read_head(&mut stream).and_then(|head| parse(&head, port));
    match request {
        Err(rejected) => {
            let _ = write_response(&mut stream, &rejected.response(), false);
        }
        Ok(req) => match handle(&req) {
            Reply::Once(r) => {
                let _ = write_response(&mut stream, &r, req.head_only);
            }
            Reply::Stream(f) => {
                let _ = stream.set_write_timeout(None);
                f(stream);
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_on_our_port_are_answered() {
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(loopback_host(ok, 1111), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:8080",
            "127.0.0.1",
            "127.0.0.1.evil.example:1111",
            "localhost.evil:1111",
            "[::1]",
            "",
        ] {
            assert!(!loopback_host(bad, 1111), "{bad}");
        }
        assert!(loopback_host("localhost", 80));
    }

    #[test]
    fn requests_are_parsed_and_checked() {
        let ok = parse(
            b"GET /ket-luan/?q=a HTTP/1.1\r\nHost: 127.0.0.1:1111\r\n\r\n",
            1111,
        );
        assert_eq!(
            ok,
            Ok(Request {
                path: "/ket-luan/".into(),
                head_only: false
            })
        );
        assert_eq!(
            parse(
                b"GET / HTTP/1.1\r\nHost: attacker.example:1111\r\n\r\n",
                1111
            ),
            Err(Rejected::Host)
        );
        assert_eq!(parse(b"GET / HTTP/1.1\r\n\r\n", 1111), Err(Rejected::Host));
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nHost: localhost:1111\r\n\r\n", 1111),
            Err(Rejected::Method)
        );
        assert_eq!(
            parse(b"\x00\x01garbage\r\n\r\n", 1111),
            Err(Rejected::Malformed)
        );
    }
}
