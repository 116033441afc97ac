use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use clap::Parser;
use percent_encoding::percent_decode_str;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Serve a directory for a threaded WebAssembly page (cross-origin isolated).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The directory to serve; `/` answers with its index.html.
    #[arg(long, default_value = "www")]
    dir: PathBuf,

    /// The address to listen on. Anything but 127.0.0.1 (or ::1) exposes the page, and
    /// every file in the directory, to the network.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// The port to listen on; 0 picks a free one (the line printed at start says which).
    #[arg(long, default_value_t = 8000)]
    port: u16,

    /// Send no COOP/COEP/CORP headers, like a plain static host: the page is then not
    /// cross-origin isolated and has no SharedArrayBuffer.
    #[arg(long)]
    no_isolation: bool,

    /// Let pages of any other origin load these files, as a CDN does: every response carries
    /// `Access-Control-Allow-Origin: *` and `Cross-Origin-Resource-Policy: cross-origin`.
    /// Off by default: any site open in the browser could then read whatever is served.
    #[arg(long)]
    cors: bool,
}

#[tokio::main]
pub(crate) async fn main() -> ExitCode {
    let args = Args::parse();
    match serve(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("webpool-serve: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    // Canonical, so the symlink check below compares real paths with real paths.
    let root = std::fs::canonicalize(&args.dir)
        .map_err(|e| format!("cannot serve {}: {e}", args.dir.display()))?;
    if !root.is_dir() {
        return Err(format!(
            "cannot serve {}: not a directory",
            args.dir.display()
        ));
    }

    let mut app = Router::new()
        .fallback_service(ServeDir::new(&root))
        .layer(middleware::from_fn_with_state(Arc::from(root), stay_inside))
        // A rebuilt www/pkg must be picked up by a plain reload.
        .layer(header(CACHE_CONTROL, "no-cache"))
        // The wasm modules are most of what a page loads; compressed, about a third. At a
        // middling level: brotli's highest takes a second per module, longer than sending it.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)));
    if !args.no_isolation {
        app = app
            .layer(header(
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ))
            .layer(header(
                HeaderName::from_static("cross-origin-embedder-policy"),
                "require-corp",
            ))
            .layer(header(
                HeaderName::from_static("cross-origin-resource-policy"),
                "same-origin",
            ));
    }
    if args.cors {
        // Added last, so outermost: its CORP replaces the isolation's `same-origin`.
        app = app
            .layer(header(
                HeaderName::from_static("access-control-allow-origin"),
                "*",
            ))
            .layer(header(
                HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ));
    }

    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Scripts and tests wait for this line: Rust's stdout is line-buffered even into a
    // pipe, so it goes out at once.
    println!("webpool: serving {} at http://{addr}/", args.dir.display());

    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// ServeDir refuses `..` (also percent-encoded) but follows symlinks, so a link inside the
/// directory could publish any file of the machine: refuse what really lies outside.
/// (A link swapped between this check and ServeDir's open could still slip through; fine
/// for a dev server, which serves files its user put there.)
async fn stay_inside(State(root): State<Arc<Path>>, req: Request, next: Next) -> Response {
    let Some(file) = file_of(&root, req.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // For a directory ServeDir answers with its index.html, which may be a link itself;
    // for a file, `file/index.html` does not exist and passes.
    for candidate in [file.join("index.html"), file.clone()] {
        if let Ok(real) = tokio::fs::canonicalize(&candidate).await
            && !real.starts_with(&root)
        {
            return StatusCode::NOT_FOUND.into_response();
        }
    }

    let mut response = next.run(req).await;
    // mime_guess says application/javascript for .mjs; use the type the HTML spec names.
    if file.extension().is_some_and(|ext| ext == "mjs") && response.status().is_success() {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/javascript"));
    }
    response
}

/// The file ServeDir would open for `path`, decoded with the same crate and rule as
/// ServeDir (so the check sees what ServeDir will see), or None for a path that ServeDir
/// refuses anyway.
fn file_of(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8()
        .ok()?;
    let mut file = root.to_path_buf();
    for component in Path::new(&*decoded).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(file)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
