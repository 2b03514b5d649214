//! `bcp serve`: a live preview of the rendered plan while it is written.
//!
//! ```text
//! watching thread  look at the plan's files every 250 ms --changed, then still-->
//!                  load, check, render in memory --> a new Site, published behind a lock
//! request threads  GET /, /drp, /team/ID... copy a page of the current Site;
//!                  GET /events waits for the next Site and tells open pages to reload
//! ```
//!
//! The server is our own loopback HTTP/1.1 on `std::net` (`http.rs`) and the watching is
//! polling (`watch.rs`); no async runtime. Nothing is written to disk: Ctrl-C (or SIGTERM)
//! can stop the server at any moment and leaves nothing half-written; it exits with status 0.

mod http;
mod page;
mod site;
mod watch;

use crate::Outcome;
use crate::error::Error;
use crate::model::{Date, Lang};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

/// What `bcp serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub path: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Open the preview in the default browser once it is ready.
    pub open: bool,
    pub lang: Option<Lang>,
    pub redact: bool,
    /// The date checks run against; `None`: the day of each rebuild.
    pub today: Option<Date>,
}

/// Serves the preview until interrupted.
///
/// # Errors
/// [`Error`] when the plan path cannot be read or the address cannot be bound (exit status 2).
pub fn run(options: &Options) -> Result<Outcome, Error> {
    // A path that is not a plan at all is a mistake on the command line, not a page to show.
    let meta = std::fs::metadata(&options.path).map_err(|source| Error::ReadPlan {
        path: options.path.clone(),
        source,
    })?;
    if meta.is_dir() {
        crate::load::plan_files(&options.path, &mut Vec::new())?;
    }
    let address = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(address).map_err(|source| Error::Serve { address, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| Error::Serve { address, source })?;

    // Every build runs on the watching thread, the first one too: the allocator then reuses
    // one thread's memory from build to build (a first build on another thread left its peak
    // behind, doubling the resident size on a large plan).
    let shared = Arc::new(site::Shared::new(site::Site::placeholder()));
    let (ready, first_built) = std::sync::mpsc::channel::<bool>();
    let for_watch = Arc::clone(&shared);
    let watched = watch::Watched::new(&options.path);
    let mut builder = site::Builder::new(options.clone());
    std::thread::Builder::new()
        .name("bcp-serve-watch".into())
        .spawn(move || {
            let mut last = watched.fingerprint();
            let built = rebuild(&mut builder, &for_watch, "built");
            let _ = ready.send(built);
            loop {
                let now = watched.next_change(&last);
                let what = watch::describe(&last, &now, watched.root());
                last = now;
                rebuild(
                    &mut builder,
                    &for_watch,
                    &format!("{what} changed; rebuilt"),
                );
            }
        })
        .map_err(|source| Error::Serve { address, source })?;
    if first_built.recv() != Ok(true) {
        return Err(Error::Usage {
            message: "the preview could not be built (a bug in bcp: please report it with the plan that caused it)".into(),
        });
    }

    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    // Ctrl-C, SIGTERM and SIGHUP end the wait below; without a handler they would kill the
    // process with a signal status instead of 0.
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(());
    }) {
        log(&format!(
            "warning: cannot catch Ctrl-C ({e}); it will stop the server all the same"
        ));
    }
    let for_http = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("bcp-serve-http".into())
        .spawn(move || http::serve(&listener, &for_http, bound.ip()))
        .map_err(|source| Error::Serve { address, source })?;

    let url = url(bound);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "serving `{}` at {url}", options.path.display());
    let _ = writeln!(out, "{}", reach(bound.ip()));
    let pages: Vec<String> = crate::render::Doc::ALL
        .iter()
        .map(|&doc| match doc {
            crate::render::Doc::Full => "/ (the whole plan)".into(),
            crate::render::Doc::Team => "/team, /team/ID".into(),
            // The scenario matrix, a chapter of the DRP, has its page beside it.
            crate::render::Doc::Drp => "/drp, /scenarios".into(),
            doc => format!("/{}", doc.as_str()),
        })
        .collect();
    let _ = writeln!(
        out,
        "pages: {}; they reload when a plan file or template changes",
        pages.join(", ")
    );
    let _ = writeln!(out, "press Ctrl-C to stop");
    let _ = out.flush();
    drop(out);
    if options.open {
        open_browser(&url);
    }

    let _ = stopped.recv();
    log("stopped");
    Ok(Outcome::Clean)
}

/// Builds the site and publishes it, logging what happened; `false` when the build panicked
/// (a bug: the pages stay as they were, and the preview goes on).
fn rebuild(builder: &mut site::Builder, shared: &site::Shared, what: &str) -> bool {
    let started = std::time::Instant::now();
    shared.set_building(true);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.build()));
    let Ok(outcome) = outcome else {
        shared.set_building(false);
        log(&format!(
            "{what}: the build failed (a bug in bcp: please report it with the plan that caused it); the pages stay as they were"
        ));
        return false;
    };
    match outcome.site {
        Some(site) => shared.publish(site),
        None => shared.set_building(false),
    }
    log(&format!(
        "{what} in {} ms: {}",
        started.elapsed().as_millis(),
        outcome.log
    ));
    true
}

/// The address to give a browser: a loopback one for a server listening everywhere.
fn url(bound: SocketAddr) -> String {
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, bound.port()))
}

/// Who can reach the preview, said plainly: it shows contact details.
fn reach(ip: IpAddr) -> String {
    if ip.is_loopback() {
        format!(
            "listening on {ip} only: other machines cannot connect (`--bind 0.0.0.0` shares the preview on the network)"
        )
    } else {
        format!(
            "listening on {ip}: anyone who can reach this machine on the network can read the plan, contact details included (`--redact` hides them)"
        )
    }
}

/// Opens `url` in the desktop's browser; a failure is reported, not fatal.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let result = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match result {
        // The opener returns at once (the browser lives on): reap it so no zombie is left.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => log(&format!(
            "warning: cannot open a browser ({}: {e}); open {url} yourself",
            command.get_program().to_string_lossy()
        )),
    }
}

/// A line on stderr: what the server did.
fn log(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}
