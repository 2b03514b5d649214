//! The preview's HTTP/1.1 server: just enough for a browser on the same machine. GET and
//! HEAD of the pages the current [`Site`] holds, and `/events` (server-sent events) that tells
//! open pages to reload. One thread per connection, one request per connection
//! (`Connection: close`), bounded request heads, timeouts on slow clients.
//!
//! Every response is built from memory: a request never reads a file and never renders, so
//! no request can reach outside the documents, and a plan edited into garbage cannot break
//! one.

use super::site::{Lookup, Shared};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Largest request head (request line and headers) read; browsers send well under 4 KiB.
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once (each open page holds one for its events); more get 503.
const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request, or to take a response.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream sends a comment, so a closed page's thread notices and ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What `Allow` lists for a method the preview does not serve.
const ALLOW: &str = "GET, HEAD";

/// Accepts connections until the process ends, one thread each.
pub fn serve(listener: &TcpListener, shared: &Arc<Shared>, bound: IpAddr) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        // A failed accept (the peer gave up, too many open files) concerns that connection only.
        let Ok(stream) = stream else { continue };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
            let _ = Response::text(503, "too many connections; close some preview pages\n")
                .write(&mut stream, false);
            continue;
        }
        let shared = Arc::clone(shared);
        let counter = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("bcp-serve-connection".into())
            .spawn(move || {
                handle(stream, &shared, bound);
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread for it: the connection (moved into the closure) is closed.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared, bound: IpAddr) {
    let _ = stream.set_read_timeout(Some(CLIENT_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(Some(response)) => {
            let _ = response.write(&mut stream, false);
            close_gently(&mut stream);
            return;
        }
        Err(None) => return,
    };
    let reply = match parse(&head) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            match respond(&request, shared, bound) {
                Reply::Page(response) => response.write(&mut stream, head_only),
                Reply::Events if head_only => event_stream_head(&mut stream),
                Reply::Events => {
                    events(&mut stream, shared);
                    return;
                }
            }
        }
        Err(response) => response.write(&mut stream, false),
    };
    if reply.is_ok() {
        close_gently(&mut stream);
    }
}

/// Ends a connection after its response without losing the response: closing a socket that
/// still holds unread request bytes (a body, an oversized head) resets the connection, and
/// the client may then drop the response it was reading.
fn close_gently(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut sink = [0u8; 8192];
    let mut left: usize = 1024 * 1024;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Reads up to the blank line that ends the request head. `Err(None)`: the client went away
/// or was too slow, nothing to answer.
fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, Option<Response>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).map_err(|_| None)?;
        if n == 0 {
            return Err(None);
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&head, b"\r\n\r\n") {
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(Some(Response::text(
                431,
                "request header fields too large\n",
            )));
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A request as far as the preview cares: method, decoded path, `Host`.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub host: Option<String>,
}

/// Parses a request head; a malformed one gets its error response.
pub fn parse(head: &[u8]) -> Result<Request, Response> {
    let bad = |why: &str| Response::text(400, &format!("bad request: {why}\n"));
    let text = std::str::from_utf8(head).map_err(|_| bad("the request head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("the request line is not `METHOD TARGET HTTP/1.1`"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(bad("the method is not a token"));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(Response::text(505, "only HTTP/1.x is served\n"));
    }
    let mut host = None;
    for header in lines {
        let Some((name, value)) = header.split_once(':') else {
            return Err(bad("a header line has no `:`"));
        };
        if name.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(bad("two `Host` headers"));
            }
            host = Some(value.trim().to_string());
        }
    }
    if method != "GET" && method != "HEAD" {
        return Err(Response::text(405, "only GET and HEAD are served\n").header("Allow", ALLOW));
    }
    Ok(Request {
        method: method.to_string(),
        path: decode_target(target)?,
        host,
    })
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The path of a request target (origin form `/a/b?q`, or absolute form `http://host/a/b`),
/// percent-decoded. Anything that names a parent folder, a backslash or a NUL is refused:
/// the preview has no files to serve, and says so rather than pretend to look.
fn decode_target(target: &str) -> Result<String, Response> {
    let refused = || Response::text(400, "bad request: the path leaves the preview's pages\n");
    let path = if let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        target
    };
    if !path.starts_with('/') {
        return Err(Response::text(
            400,
            "bad request: the target must be a path starting with `/`\n",
        ));
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut bytes = Vec::with_capacity(path.len());
    let mut raw = path.bytes();
    while let Some(b) = raw.next() {
        if b == b'%' {
            let hex = [raw.next(), raw.next()];
            let value = match hex {
                [Some(h), Some(l)] => std::str::from_utf8(&[h, l])
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok()),
                _ => None,
            };
            bytes.push(value.ok_or_else(|| {
                Response::text(400, "bad request: a `%` escape is not two hex digits\n")
            })?);
        } else {
            bytes.push(b);
        }
    }
    let decoded = String::from_utf8(bytes)
        .map_err(|_| Response::text(400, "bad request: path is not UTF-8\n"))?;
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|part| part == ".." || part == ".")
    {
        return Err(refused());
    }
    Ok(decoded)
}

/// Whether a `Host` header may reach the preview. On a loopback address only `localhost` and
/// IP addresses are accepted: a web page elsewhere could otherwise point a name of its own at
/// 127.0.0.1 (DNS rebinding) and read the plan through the visitor's browser. With `--bind`
/// to another address the user has chosen to share, and any name is accepted.
fn host_allowed(host: Option<&str>, bound: IpAddr) -> bool {
    if !bound.is_loopback() {
        return true;
    }
    let Some(host) = host else {
        // HTTP/1.0 clients may omit it; browsers never do.
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        // `[::1]:8340`
        return rest
            .split(']')
            .next()
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok());
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

enum Reply {
    Page(Response),
    Events,
}

fn respond(request: &Request, shared: &Shared, bound: IpAddr) -> Reply {
    if !host_allowed(request.host.as_deref(), bound) {
        return Reply::Page(Response::text(
            403,
            "forbidden: the preview answers to `localhost` and IP addresses only\n",
        ));
    }
    if request.path == "/events" {
        return Reply::Events;
    }
    let site = shared.current();
    Reply::Page(match site.lookup(&request.path) {
        Lookup::Page(bytes) => Response::html(200, bytes),
        Lookup::NotFound(bytes) => Response::html(404, bytes),
    })
}

/// `/events`: the current generation at once, then each new one, as server-sent events; and
/// `building` events (`1` when a rebuild starts, `0` when it ends with nothing new). The page's
/// script reloads when the generation is not the one it was built from.
fn events(stream: &mut TcpStream, shared: &Shared) {
    if event_stream_head(stream).is_err() {
        return;
    }
    let mut seen = shared.seen();
    let mut message = format!("retry: 1000\ndata: {}\n\n", seen.generation);
    if seen.building {
        message.push_str("event: building\ndata: 1\n\n");
    }
    loop {
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
        message = match shared.wait_for_change(&seen, KEEP_ALIVE) {
            None => ": keep-alive\n\n".into(),
            Some(next) if next.generation != seen.generation => {
                let text = format!("data: {}\n\n", next.generation);
                seen = next;
                text
            }
            Some(next) => {
                let text = format!("event: building\ndata: {}\n\n", u8::from(next.building));
                seen = next;
                text
            }
        };
    }
}

fn event_stream_head(stream: &mut TcpStream) -> std::io::Result<()> {
    // An event stream has no length: it ends when either side closes.
    let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
    )?;
    stream.flush()
}

/// A complete response held in memory.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    body: Arc<[u8]>,
}

impl Response {
    fn html(status: u16, body: Arc<[u8]>) -> Self {
        Response {
            status,
            headers: vec![
                ("Content-Type", "text/html; charset=utf-8".into()),
                ("Content-Security-Policy", super::page::CSP.clone()),
            ],
            body,
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: Arc::from(body.as_bytes()),
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    fn write(&self, stream: &mut impl Write, head_only: bool) -> std::io::Result<()> {
        use std::fmt::Write as _;
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(target: &str) -> Result<String, u16> {
        parse(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:1").as_bytes())
            .map(|r| r.path)
            .map_err(|r| r.status)
    }

    #[test]
    fn targets_are_decoded_and_traversal_refused() {
        assert_eq!(path_of("/"), Ok("/".into()));
        assert_eq!(path_of("/team/t-it?x=1"), Ok("/team/t-it".into()));
        assert_eq!(path_of("/team/%E6%8A%80%E6%9C%AF"), Ok("/team/技术".into()));
        assert_eq!(path_of("http://127.0.0.1:8340/drp"), Ok("/drp".into()));
        for bad in [
            "/../etc/passwd",
            "/team/..",
            "/%2e%2e/bcp.yaml",
            "/team/..%2f..%2fbcp.yaml",
            "/a%5cb",
            "/a%00",
            "/./drp",
        ] {
            assert_eq!(path_of(bad), Err(400), "{bad}");
        }
        assert_eq!(path_of("drp"), Err(400));
        assert_eq!(path_of("/%zz"), Err(400));
        assert_eq!(path_of("/%ff"), Err(400));
    }

    #[test]
    fn only_get_and_head() {
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"] {
            let r = parse(format!("{method} / HTTP/1.1").as_bytes()).unwrap_err();
            assert_eq!(r.status, 405, "{method}");
            assert!(r.headers.contains(&("Allow", ALLOW.to_string())));
        }
        assert!(parse(b"HEAD / HTTP/1.1").is_ok());
        assert_eq!(parse(b"G(T / HTTP/1.1").unwrap_err().status, 400);
        assert_eq!(parse(b"GET / SPDY/3").unwrap_err().status, 505);
        assert_eq!(parse(b"GET /").unwrap_err().status, 400);
    }

    #[test]
    fn rebinding_hosts_are_refused_on_loopback() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in [
            "127.0.0.1:8340",
            "localhost:8340",
            "LOCALHOST",
            "[::1]:8340",
            "10.0.0.2",
        ] {
            assert!(host_allowed(Some(ok), lo), "{ok}");
        }
        for bad in ["evil.example:8340", "127.0.0.1.nip.io", "[evil]:1", ""] {
            assert!(!host_allowed(Some(bad), lo), "{bad}");
        }
        assert!(host_allowed(
            Some("plans.internal"),
            "0.0.0.0".parse().unwrap()
        ));
    }
}
