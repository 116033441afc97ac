//! Integration tests for `webpool-serve`: start the real binary on a free port over a
//! temporary directory and talk HTTP/1.1 to it over a bare TcpStream.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_webpool-serve");
/// Only a guard against a hung test; nothing waits this long when things work.
const PATIENCE: Duration = Duration::from_secs(30);
const SECRET: &str = "the secret outside the served directory";

/// `<tmp>/webpool-serve-<pid>-<n>/` holding `www/` (served) and `secret` (not), removed on drop.
struct Fixture {
    base: PathBuf,
    www: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let base = std::env::temp_dir().join(format!("webpool-serve-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let www = base.join("www");
        let write = |path: &Path, contents: &[u8]| std::fs::write(path, contents).unwrap();
        std::fs::create_dir_all(www.join("sub")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        write(
            &www.join("index.html"),
            b"<!doctype html><title>index</title>",
        );
        write(&www.join("a.wasm"), b"\0asm\x01\0\0\0");
        write(&www.join("x.js"), b"export const x = 1;");
        write(&www.join("m.mjs"), b"export const m = 1;");
        for other in ["s.css", "d.json", "i.png", "i.svg"] {
            write(&www.join(other), b"");
        }
        write(&www.join("sub/inside.txt"), b"inside");
        // Text that compresses well, as the page's scripts and wasm do.
        write(
            &www.join("big.js"),
            "export const x = 1;\n".repeat(1000).as_bytes(),
        );
        write(&www.join("with space.txt"), b"spaced");
        // A name that looks like a malformed escape: ServeDir keeps such a `%` as it is.
        write(&www.join("100%zz.txt"), b"percent");
        write(&base.join("secret"), SECRET.as_bytes());
        write(&base.join("outside/index.html"), SECRET.as_bytes());
        write(&base.join("outside/secret.txt"), SECRET.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(base.join("secret"), www.join("link")).unwrap();
            symlink("../secret", www.join("relative-link")).unwrap();
            symlink(base.join("outside"), www.join("linkdir")).unwrap();
            // A link that stays inside is harmless and must keep working.
            symlink("index.html", www.join("alias.html")).unwrap();
        }
        Fixture { base, www }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// A running server, killed on drop so a failing assertion leaves nothing behind.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first line the child prints on stdout, or None if it closed stdout without one.
fn first_line(child: &mut Child) -> Option<String> {
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(read.ok().filter(|&n| n > 0).map(|_| line));
    });
    receive
        .recv_timeout(PATIENCE)
        .expect("webpool-serve printed nothing and did not exit")
}

fn start(dir: &Path, extra: &[&str]) -> Server {
    let child = Command::new(BIN)
        .arg("--dir")
        .arg(dir)
        .args(["--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
    };
    let line = first_line(&mut server.child).expect("webpool-serve exited before serving");
    let prefix = format!("webpool: serving {} at http://", dir.display());
    let addr = line
        .strip_suffix("/\n")
        .and_then(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    server.addr = addr.parse().unwrap();
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    assert_ne!(server.addr.port(), 0, "must print the real port");
    server
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    body_bytes: usize,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `path` goes on the request line exactly as given: no client-side normalisation.
fn get(server: &Server, path: &str) -> Response {
    get_with(server, path, "")
}

/// [`get`] with more request header lines (each ending in `\r\n`). The body is kept as
/// the bytes' length and, where they are text, the text.
fn get_with(server: &Server, path: &str, headers: &str) -> Response {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let body_bytes = raw.len() - end - 4;
    let body = String::from_utf8_lossy(&raw[end + 4..]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap();
            (name.trim().to_string(), value.trim().to_string())
        })
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
        body_bytes,
    }
}

const ISOLATION: [(&str, &str); 3] = [
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-resource-policy", "same-origin"),
];

#[test]
fn isolated_with_right_types_by_default() {
    let fixture = Fixture::new();
    let server = start(&fixture.www, &[]);

    let index = get(&server, "/");
    assert_eq!(index.status, 200);
    assert!(
        index.body.contains("<title>index</title>"),
        "{}",
        index.body
    );
    for (path, mime) in [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/a.wasm", "application/wasm"),
        ("/x.js", "text/javascript"),
        ("/m.mjs", "text/javascript"),
        ("/s.css", "text/css"),
        ("/d.json", "application/json"),
        ("/i.png", "image/png"),
        ("/i.svg", "image/svg+xml"),
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 200, "{path}");
        let content_type = response.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with(mime), "{path}: {content_type}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
        for (name, value) in ISOLATION {
            assert_eq!(response.header(name), Some(value), "{path}: {name}");
        }
    }

    // Every response, errors too: the browser judges isolation on each document.
    let missing = get(&server, "/missing.html");
    assert_eq!(missing.status, 404);
    for (name, value) in ISOLATION {
        assert_eq!(missing.header(name), Some(value), "404: {name}");
    }
}

#[test]
fn stays_inside_the_directory() {
    let fixture = Fixture::new();
    let server = start(&fixture.www, &[]);

    // Controls: the same server does serve what is inside, links included.
    assert_eq!(get(&server, "/sub/inside.txt").body, "inside");
    assert_eq!(get(&server, "/sub/./inside.txt").body, "inside");

    for path in [
        "/../secret",
        "/%2e%2e/secret",
        "/%2E%2E/secret",
        "/..%2fsecret",
        "/..%2Fsecret",
        "/%2e%2e%2fsecret",
        "/sub/../../secret",
        "/sub/..%2f..%2fsecret",
        "/%2f..%2fsecret",
        "/..\\secret",
        &format!("/{}", fixture.base.join("secret").display()),
        &format!("/%2f{}", fixture.base.join("secret").display()),
        "/%2fetc%2fpasswd",
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        assert!(!response.body.contains(SECRET), "{path} leaked the secret");
    }
}

#[test]
fn decodes_paths_as_serve_dir_does() {
    let fixture = Fixture::new();
    let server = start(&fixture.www, &[]);

    for (path, body) in [
        ("/with%20space.txt", "spaced"),
        ("/sub/inside%2Etxt", "inside"),
        ("/%73ub%2finside.txt", "inside"),
        // `%zz` is no escape, so it stays three characters, for the check and ServeDir alike.
        ("/100%zz.txt", "percent"),
        ("/100%25zz.txt", "percent"),
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 200, "{path}: {}", response.body);
        assert_eq!(response.body, body, "{path}");
    }

    for path in [
        // Not UTF-8 once decoded: both refuse it.
        "/%ff",
        "/with%ff%20space.txt",
        // A malformed escape next to an encoded `..` must not hide the traversal.
        "/%zz/%2e%2e/%2e%2e/secret",
        "/sub/%2e%2e%2f%2e%2e%2fsecret",
        "/%2e%2e%2f%zz%2f..%2fsecret",
        "/%2E%2e/%2e%2E/secret",
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        assert!(!response.body.contains(SECRET), "{path} leaked the secret");
    }
}

#[cfg(unix)]
#[test]
fn does_not_follow_symlinks_out_of_the_directory() {
    let fixture = Fixture::new();
    // The links do reach the secret on disk, so a 200 below would really leak it.
    assert_eq!(
        std::fs::read_to_string(fixture.www.join("link")).unwrap(),
        SECRET
    );
    assert_eq!(
        std::fs::read_to_string(fixture.www.join("linkdir/secret.txt")).unwrap(),
        SECRET
    );
    let server = start(&fixture.www, &[]);

    assert_eq!(
        get(&server, "/alias.html").status,
        200,
        "a link inside is fine"
    );
    for path in [
        "/link",
        "/relative-link",
        "/linkdir/secret.txt",
        "/linkdir/",
        "/linkdir",
        "/linkdir/index.html",
        // Encoded names of the links: the check must decode as ServeDir does, or these
        // would pass it as files that do not exist and then be served.
        "/l%69nk",
        "/%6C%69%6E%6B",
        "/relative%2dlink",
        "/l%69nkdir/secret.txt",
        "/linkdir%2fsecret.txt",
        "/l%69nkdir/",
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        assert!(!response.body.contains(SECRET), "{path} leaked the secret");
    }
}

#[test]
fn no_isolation_sends_no_isolation_headers() {
    let fixture = Fixture::new();
    let server = start(&fixture.www, &["--no-isolation"]);
    for path in ["/", "/a.wasm", "/missing"] {
        let response = get(&server, path);
        for (name, _) in ISOLATION {
            assert_eq!(response.header(name), None, "{path}: {name}");
        }
    }
    let wasm = get(&server, "/a.wasm");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("cache-control"), Some("no-cache"));
}

#[test]
fn cors_lets_other_origins_load_the_files() {
    let fixture = Fixture::new();
    for (args, isolated) in [
        (&["--cors"][..], true),
        (&["--cors", "--no-isolation"][..], false),
    ] {
        let server = start(&fixture.www, args);
        for path in ["/", "/a.wasm", "/x.js", "/missing"] {
            let response = get(&server, path);
            assert_eq!(
                response.header("access-control-allow-origin"),
                Some("*"),
                "{path}"
            );
            assert_eq!(
                response.header("cross-origin-resource-policy"),
                Some("cross-origin"),
                "{path}"
            );
            let coep = response.header("cross-origin-embedder-policy");
            assert_eq!(coep, isolated.then_some("require-corp"), "{path}");
        }
    }
    // Without --cors, no other origin may read them.
    let server = start(&fixture.www, &[]);
    assert_eq!(
        get(&server, "/x.js").header("access-control-allow-origin"),
        None
    );
}

/// Runs the binary expecting it to fail before serving; returns its status and stderr.
fn fails_to_start(args: &[&str]) -> (ExitStatus, String) {
    let child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
    };
    if let Some(line) = first_line(&mut server.child) {
        panic!("started anyway: {line}");
    }
    let mut stderr = String::new();
    let mut pipe = server.child.stderr.take().unwrap();
    pipe.read_to_string(&mut stderr).unwrap();
    (server.child.wait().unwrap(), stderr)
}

#[test]
fn missing_directory_fails_clearly() {
    let fixture = Fixture::new();
    let missing = fixture.base.join("no-such-dir");
    let missing = missing.to_str().unwrap();
    let (status, stderr) = fails_to_start(&["--dir", missing, "--port", "0"]);
    assert!(!status.success());
    assert!(
        stderr.contains("cannot serve") && stderr.contains(missing),
        "{stderr}"
    );
}

#[test]
fn taken_port_fails_clearly() {
    let fixture = Fixture::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let www = fixture.www.to_str().unwrap();
    let (status, stderr) = fails_to_start(&["--dir", www, "--port", &port]);
    assert!(!status.success());
    assert!(
        stderr.contains("cannot listen") && stderr.contains(&port),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_down_cleanly() {
    let fixture = Fixture::new();
    let mut server = start(&fixture.www, &[]);
    assert_eq!(get(&server, "/").status, 200);
    let kill = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    // Poll with a bound rather than block: a server that ignores SIGTERM must fail the test.
    let deadline = std::time::Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        std::thread::yield_now();
    };
    assert!(status.success(), "{status}");
}

#[test]
fn compresses_what_it_serves_for_clients_that_accept_it() {
    let fixture = Fixture::new();
    let server = start(&fixture.www, &[]);
    let plain = get(&server, "/big.js");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body_bytes, 20_000);
    for encoding in ["br", "gzip"] {
        let packed = get_with(
            &server,
            "/big.js",
            &format!("Accept-Encoding: {encoding}\r\n"),
        );
        assert_eq!(packed.status, 200);
        assert_eq!(packed.header("content-encoding"), Some(encoding));
        assert!(
            packed.body_bytes < plain.body_bytes / 10,
            "{encoding}: {} bytes",
            packed.body_bytes
        );
        // The isolation headers come with compressed answers too.
        for (name, value) in ISOLATION {
            assert_eq!(packed.header(name), Some(value), "{encoding}: {name}");
        }
    }
}
