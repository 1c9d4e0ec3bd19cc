//! Start-up and memory benchmark (issue 6): the release `cuesheet` window on a generated library
//! of 10,000 soundtracks and 150,000 songs, against two baselines measured the same way in the
//! same run — the smallest Tauri 2 window this workspace builds (`src-tauri/examples/
//! minimal_window`) and Debian's Chromium in `--app` mode showing the same built UI with the same
//! data (the footprint of an Electron-class app).
//!
//! For each: the time from spawning the process to the page saying its first data is painted,
//! and the memory after 5 s idle, summed (PSS, from /proc/<pid>/smaps_rollup) over the process
//! and every process it started (WebKit's web and network processes, Chromium's renderers);
//! median of `--runs` runs (9 unless told: a start-up differs by tens of milliseconds from one
//! launch to the next here, and 5 runs moved the ratio by 0.05 between benches), taken in turns
//! so machine noise falls on all alike. WebKit is
//! measured with and without `WEBKIT_DISABLE_COMPOSITING_MODE=1`. Then, through tauri-driver,
//! how long the window takes to scroll to the last of the 10,000 cards and to show search
//! results, and the frame times of a fast scroll through the whole grid.
//!
//! Run by `make bench`; writes its section of docs/BENCHMARKS.md when given `--out FILE`.
//! Needs CUESHEET_BIN (the release binary), MINIMAL_BIN (the release minimal_window example);
//! CHROMIUM defaults to /usr/bin/chromium and the row is left out, with a note, if it is absent.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cuesheet_tests::window::{wait_for, wait_for_library, AppDirs, Driver, Xvfb};
use cuesheet_tests::{run_cli, workspace_root};
use serde_json::{json, Value};

#[path = "../../src-tauri/core/examples/shared/machine.rs"]
mod machine;

const SECTION: &str = "## Start-up and memory (issue 6)";
const IDLE: Duration = Duration::from_secs(5);
const REPORT_TIMEOUT: Duration = Duration::from_secs(60);

struct Options {
    out: Option<PathBuf>,
    runs: usize,
    soundtracks: usize,
    tracks_per: usize,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Options {
        out: value("--out").map(PathBuf::from),
        runs: value("--runs").and_then(|v| v.parse().ok()).unwrap_or(9),
        soundtracks: value("--soundtracks")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000),
        tracks_per: value("--tracks-per")
            .and_then(|v| v.parse().ok())
            .unwrap_or(15),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Cuesheet { composited: bool },
    Minimal { composited: bool },
    Chromium,
}

impl Subject {
    fn label(self) -> String {
        let mode = |composited| {
            if composited {
                "`WEBKIT_DISABLE_COMPOSITING_MODE=0` (compositing on)"
            } else {
                "`WEBKIT_DISABLE_COMPOSITING_MODE=1`"
            }
        };
        match self {
            Subject::Cuesheet { composited } => format!("Cuesheet, {}", mode(composited)),
            Subject::Minimal { composited } => {
                format!("Minimal Tauri window, {}", mode(composited))
            }
            Subject::Chromium => "Chromium `--app`, same UI and data".into(),
        }
    }
}

#[derive(Debug)]
struct Sample {
    startup_ms: f64,
    /// What the page's own clock said (ms since its navigation started), when it reports one.
    page_ms: Option<f64>,
    pss_kib: u64,
    processes: Vec<(String, u64)>,
}

/// Every process on the machine as (pid, parent pid, process group, name).
fn process_table() -> Vec<(u32, u32, u32, String)> {
    let mut table = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return table;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if let (Some(ppid), Some(pgrp)) = (fields.get(1), fields.get(2)) {
            if let (Ok(ppid), Ok(pgrp)) = (ppid.parse(), pgrp.parse()) {
                table.push((pid, ppid, pgrp, name));
            }
        }
    }
    table
}

/// The root process, everything it started (at any depth) and anything left in its process
/// group (a helper that was reparented after its parent exited).
fn family(root: u32) -> Vec<(u32, String)> {
    let table = process_table();
    let mut members: BTreeSet<u32> = BTreeSet::from([root]);
    loop {
        let before = members.len();
        for (pid, ppid, pgrp, _) in &table {
            if members.contains(ppid) || *pgrp == root {
                members.insert(*pid);
            }
        }
        if members.len() == before {
            break;
        }
    }
    table
        .into_iter()
        .filter(|(pid, ..)| members.contains(pid))
        .map(|(pid, _, _, name)| (pid, name))
        .collect()
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn stop(child: &mut Child, family: &[(u32, String)]) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    for (pid, _) in family {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
    // Let the kernel reap the rest before the next run starts.
    let deadline = Instant::now() + Duration::from_secs(5);
    while family
        .iter()
        .any(|(pid, _)| Path::new(&format!("/proc/{pid}")).exists())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Serves the built UI to Chromium over loopback HTTP (module scripts do not load from
/// `file://`), with a stand-in for Tauri's IPC that answers the library view's commands
/// (`browse_soundtracks`, `browse_choices`) by calling the same core functions on the same
/// library file as the shell does, so Chromium renders the same cards from the same pages. The
/// UI's `report_first_render` call arrives here and is timestamped.
struct UiServer {
    port: u16,
    reports: Receiver<Instant>,
}

const SHIM: &str = r#"// Stand-in for Tauri's IPC while the start-up bench shows the built UI in Chromium.
window.__TAURI_INTERNALS__ = {
  metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  plugins: {},
  transformCallback(callback) {
    const id = Math.floor(Math.random() * 1e9);
    window["_" + id] = callback;
    return id;
  },
  unregisterCallback(id) { delete window["_" + id]; },
  convertFileSrc(path, protocol = "asset") { return "http://" + protocol + ".localhost/" + encodeURIComponent(path); },
  async invoke(cmd, args) {
    const response = await fetch("/ipc/" + encodeURIComponent(cmd), { method: "POST", body: JSON.stringify(args ?? {}) });
    const body = await response.json();
    if (!response.ok) throw body;
    return body;
  },
};
"#;

impl UiServer {
    fn start(dist: PathBuf, data_dir: &Path) -> UiServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let (sender, reports) = mpsc::channel();
        let library = Arc::new(Mutex::new(
            cuesheet_core::Library::open(data_dir).expect("the generated library opens"),
        ));
        let sender = Arc::new(Mutex::new(sender));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dist = dist.clone();
                let library = library.clone();
                let sender = sender.clone();
                std::thread::spawn(move || serve(stream, &dist, &library, &sender));
            }
        });
        UiServer { port, reports }
    }
}

/// Summaries per page, as the library view asks.
const PAGE: u32 = cuesheet_core::browse::VIEW_PAGE;

struct PageLatencies {
    runs: usize,
    /// Per order: median ms of the first, middle and last page.
    orders: Vec<(&'static str, [f64; 3])>,
    /// Median ms of reading every summary.
    everything: f64,
}

/// Times the core calls behind the library view's pages, and the whole-list read they replaced.
fn page_latencies(
    data_dir: &Path,
    runs: usize,
) -> Result<PageLatencies, Box<dyn std::error::Error>> {
    use cuesheet_core::browse::{BrowseFilter, BrowseSort};
    let library = cuesheet_core::Library::open(data_dir)?;
    let time =
        |call: &mut dyn FnMut() -> cuesheet_core::Result<()>| -> Result<f64, cuesheet_core::Error> {
            let mut took = Vec::with_capacity(runs);
            call()?; // warm-up: the page cache and the prepared statement
            for _ in 0..runs {
                let started = Instant::now();
                call()?;
                took.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            Ok(median(&mut took))
        };
    let everything = time(&mut || library.list_soundtracks().map(drop))?;
    let total = library.browse(&BrowseFilter::default(), 0, 1)?.total;
    let last_page = total.saturating_sub(1) / PAGE * PAGE;
    let mut orders = Vec::new();
    for (order, sort) in [
        ("Date added", BrowseSort::Added),
        ("Title", BrowseSort::Title),
        ("Year", BrowseSort::Year),
        ("Rating", BrowseSort::Rating),
    ] {
        let filter = BrowseFilter {
            sort,
            ..BrowseFilter::default()
        };
        let at = |offset: u32| time(&mut || library.browse(&filter, offset, PAGE).map(drop));
        orders.push((
            order,
            [at(0)?, at(last_page / 2 / PAGE * PAGE)?, at(last_page)?],
        ));
    }
    Ok(PageLatencies {
        runs,
        orders,
        everything,
    })
}

/// Answers one of the library view's commands as the shell would: the same core call, the
/// same JSON, and the shell's `{ code, message }` payload on failure.
fn answer(library: &Mutex<cuesheet_core::Library>, cmd: &str, request: &[u8]) -> (bool, Vec<u8>) {
    let args: Value = serde_json::from_slice(request).unwrap_or(Value::Null);
    let library = library.lock().unwrap();
    let answer = match cmd {
        "browse_soundtracks" => serde_json::from_value(args["filter"].clone())
            .map_err(|e| cuesheet_core::Error::InvalidInput(format!("filter: {e}")))
            .and_then(|filter| {
                let number = |name: &str| args[name].as_u64().unwrap_or(0) as u32;
                library.browse(&filter, number("offset"), number("limit"))
            })
            .map(|page| serde_json::to_vec(&page).unwrap()),
        _ => library
            .browse_choices()
            .map(|choices| serde_json::to_vec(&choices).unwrap()),
    };
    match answer {
        Ok(body) => (true, body),
        Err(error) => (false, serde_json::to_vec(&error.payload()).unwrap()),
    }
}

fn serve(
    mut stream: TcpStream,
    dist: &Path,
    library: &Mutex<cuesheet_core::Library>,
    reports: &Mutex<Sender<Instant>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let (status, kind, content): (&str, &str, Vec<u8>) =
        if let Some(cmd) = path.strip_prefix("/ipc/") {
            match cmd {
                "browse_soundtracks" | "browse_choices" => match answer(library, cmd, &body) {
                    (true, json) => ("200 OK", "application/json", json),
                    (false, json) => ("400 Bad Request", "application/json", json),
                },
                "report_first_render" => {
                    let _ = reports.lock().unwrap().send(Instant::now());
                    ("200 OK", "application/json", b"null".to_vec())
                }
                "list_playlists" | "list_ranked_lists" => {
                    ("200 OK", "application/json", b"[]".to_vec())
                }
                _ => (
                    "400 Bad Request",
                    "application/json",
                    json!({"code": "internal", "message": "not served by the bench"})
                        .to_string()
                        .into_bytes(),
                ),
            }
        } else if path == "/bench-shim.js" {
            ("200 OK", "text/javascript", SHIM.as_bytes().to_vec())
        } else {
            let relative = path.trim_start_matches('/');
            let relative = if relative.is_empty() {
                "index.html"
            } else {
                relative
            };
            let file = dist.join(relative);
            match std::fs::read(&file) {
                Ok(bytes) if !relative.contains("..") => {
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html",
                        Some("js") => "text/javascript",
                        Some("css") => "text/css",
                        Some("svg") => "image/svg+xml",
                        _ => "application/octet-stream",
                    };
                    let bytes = if relative == "index.html" {
                        String::from_utf8_lossy(&bytes)
                            .replacen(
                                "<script",
                                "<script src=\"./bench-shim.js\"></script><script",
                                1,
                            )
                            .into_bytes()
                    } else {
                        bytes
                    };
                    ("200 OK", kind, bytes)
                }
                _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
            }
        };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content.len()
    );
    let _ = stream.write_all(&content);
}

struct Bench {
    cuesheet: PathBuf,
    minimal: PathBuf,
    chromium: Option<PathBuf>,
    data_dir: PathBuf,
    display: String,
    server: UiServer,
}

impl Bench {
    fn measure(&self, subject: Subject) -> Result<Sample, String> {
        let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
        let sub = |name: &str| {
            let dir = scratch.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            dir
        };
        let runtime = sub("runtime");
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut command = match subject {
            Subject::Cuesheet { .. } => Command::new(&self.cuesheet),
            Subject::Minimal { .. } => Command::new(&self.minimal),
            Subject::Chromium => {
                let mut command = Command::new(self.chromium.as_ref().unwrap());
                // The flags this sandbox needs (no setuid sandbox, no GPU, no network beyond
                // loopback), a fresh profile, and the Tauri window's size.
                command.args([
                    &format!("--app=http://127.0.0.1:{}/index.html", self.server.port),
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--password-store=basic",
                    "--window-size=1200,800",
                    &format!("--user-data-dir={}", sub("chromium").display()),
                ]);
                command
            }
        };
        command
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_DATA_HOME", sub("xdg-data"))
            .env("XDG_CACHE_HOME", sub("xdg-cache"))
            .env("XDG_CONFIG_HOME", sub("xdg-config"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("HOME", sub("home"))
            .env("CUESHEET_DATA_DIR", &self.data_dir)
            .env("CUESHEET_STARTUP_PROBE", "1")
            .env("CUESHEET_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0);
        match subject {
            Subject::Cuesheet { composited: false } | Subject::Minimal { composited: false } => {
                command.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
            }
            Subject::Cuesheet { composited: true } | Subject::Minimal { composited: true } => {
                // "0" keeps WebKit's compositing on (Cuesheet turns it off by itself when no GPU
                // is present and the variable is unset).
                command.env("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
            }
            Subject::Chromium => {
                command.env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
            }
        }
        let chromium = subject == Subject::Chromium;
        command.stderr(if chromium {
            Stdio::null()
        } else {
            Stdio::piped()
        });
        while self.server.reports.try_recv().is_ok() {}
        let started = Instant::now();
        let mut child = command.spawn().map_err(|e| format!("{subject:?}: {e}"))?;
        let report = if chromium {
            self.server
                .reports
                .recv_timeout(REPORT_TIMEOUT)
                .map(|at| (at, None))
                .map_err(|_| "Chromium never reported its first render".to_owned())
        } else {
            let stderr = child.stderr.take().unwrap();
            let (sender, lines) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if line.contains("first data render") {
                        let page = line
                            .split("page clock ")
                            .nth(1)
                            .and_then(|rest| rest.split_whitespace().next())
                            .and_then(|ms| ms.parse::<f64>().ok());
                        let _ = sender.send((Instant::now(), page));
                    } else if !line.trim().is_empty() {
                        eprintln!("    | {line}");
                    }
                }
            });
            lines
                .recv_timeout(REPORT_TIMEOUT)
                .map_err(|_| format!("{subject:?} never reported its first render"))
        };
        let (at, page_ms) = match report {
            Ok(report) => report,
            Err(e) => {
                let members = family(child.id());
                stop(&mut child, &members);
                return Err(e);
            }
        };
        let startup_ms = at.duration_since(started).as_secs_f64() * 1000.0;
        std::thread::sleep(IDLE);
        let members = family(child.id());
        let processes: Vec<(String, u64)> = members
            .iter()
            .map(|(pid, name)| (name.clone(), pss_kib(*pid)))
            .collect();
        let pss_kib = processes.iter().map(|(_, kib)| kib).sum();
        stop(&mut child, &members);
        Ok(Sample {
            startup_ms,
            page_ms,
            pss_kib,
            processes,
        })
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

fn mib(kib: f64) -> String {
    format!("{:.0} MiB", kib / 1024.0)
}

/// What the window does with the big library, timed inside the page (from the change to the
/// frame after the answer is on screen), through tauri-driver.
#[derive(Debug, Default)]
struct Interaction {
    scroll_to_end_ms: Vec<f64>,
    search_title_ms: Vec<f64>,
    search_word_ms: Vec<f64>,
    sort_title_ms: Vec<f64>,
    frame_ms: Vec<f64>,
    blank_frames: usize,
    max_cards_in_page: usize,
    /// How far down the grid the flick got (0–1) in its 300 frames.
    flick_reached: f64,
    /// The UI's own start-up marks (ms on the page clock), from this launch.
    marks: Vec<(String, f64)>,
}

const AFTER_PAINT: &str =
    "const afterPaint = (then) => requestAnimationFrame(() => setTimeout(then));";

async fn wait_script(client: &fantoccini::Client, body: &str, args: Vec<Value>) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1]; {AFTER_PAINT}
         const until = (found, t0) => {{
           const check = () => {{
             if (found()) afterPaint(() => done(performance.now() - t0));
             else if (performance.now() - t0 > 30000) done(-1);
             else requestAnimationFrame(check);
           }};
           check();
         }};
         {body}"
    );
    client
        .execute_async(&script, args)
        .await
        .unwrap_or_else(|e| {
            eprintln!("    script failed: {e}");
            Value::Null
        })
}

async fn interact(
    composited: bool,
    dirs: &AppDirs,
    last: &str,
    first_by_title: &str,
    runs: usize,
) -> Interaction {
    let mode = if composited { "0" } else { "1" };
    let driver = Driver::start_with_env(dirs, &[("WEBKIT_DISABLE_COMPOSITING_MODE", mode.into())]);
    let client = driver.launch().await;
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            Some(Duration::from_secs(60)),
            Some(Duration::ZERO),
        ))
        .await
        .unwrap();
    wait_for_library(&client).await;
    wait_for(
        &client,
        "[data-testid='library-grid'] [data-testid='soundtrack-card']",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let marks = client
        .execute(
            "return performance.getEntriesByType('mark')
               .filter((m) => m.name.startsWith('cuesheet:'))
               .map((m) => [m.name.slice(9), m.startTime]);",
            vec![],
        )
        .await
        .unwrap();
    let marks: Vec<(String, f64)> = marks
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|m| Some((m[0].as_str()?.to_owned(), m[1].as_f64()?)))
                .collect()
        })
        .unwrap_or_default();
    let card = format!(
        "[data-testid='soundtrack-card'][data-film={}]",
        serde_json::to_string(last).unwrap()
    );
    let hit = format!(
        "[data-testid='result'][data-film={}]",
        serde_json::to_string(last).unwrap()
    );
    let mut result = Interaction {
        marks,
        ..Interaction::default()
    };
    for _ in 0..runs {
        wait_for(&client, "[data-testid='library-grid']").await;
        client
            .execute("document.querySelector('main').scrollTop = 0;", vec![])
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let took = wait_script(
            &client,
            "const pane = document.querySelector('main'); const t0 = performance.now();
             pane.scrollTop = pane.scrollHeight;
             until(() => document.querySelector(arguments[0]), t0);",
            vec![json!(card)],
        )
        .await;
        eprintln!("    scroll to end: {took} ms");
        result
            .scroll_to_end_ms
            .push(took.as_f64().unwrap_or(f64::NAN));
        // From the end of the grid, sort by title: the core sorts all 10,000 in SQL and the
        // view goes back to the top, where the first title of all must be painted.
        let took = wait_script(
            &client,
            "const sort = document.querySelector(\"[data-testid='sort']\");
             const t0 = performance.now();
             sort.value = 'title'; sort.dispatchEvent(new Event('change', { bubbles: true }));
             until(() => document.querySelector(arguments[0]), t0);",
            vec![json!(format!(
                "[data-testid='soundtrack-card'][data-index='0'][data-film={}]",
                serde_json::to_string(first_by_title).unwrap()
            ))],
        )
        .await;
        eprintln!("    sort by title: {took} ms");
        result.sort_title_ms.push(took.as_f64().unwrap_or(f64::NAN));
        for (query, target, into) in [
            (last.to_owned(), hit.clone(), 0),
            ("night".to_owned(), "[data-testid='result']".to_owned(), 1),
        ] {
            let took = wait_script(
                &client,
                "const box = document.querySelector(\"[data-testid='search']\"); box.focus();
                 const t0 = performance.now();
                 box.value = arguments[0]; box.dispatchEvent(new Event('input', { bubbles: true }));
                 until(() => document.querySelector(arguments[1]), t0);",
                vec![json!(query), json!(target)],
            )
            .await;
            eprintln!("    search {query:?}: {took} ms");
            let took = took.as_f64().unwrap_or(f64::NAN);
            if into == 0 {
                result.search_title_ms.push(took);
            } else {
                result.search_word_ms.push(took);
            }
            client
                .execute(
                    "const box = document.querySelector(\"[data-testid='search']\");
                     box.value = ''; box.dispatchEvent(new Event('input', { bubbles: true }));",
                    vec![],
                )
                .await
                .unwrap();
            wait_for(&client, "[data-testid='library-grid']").await;
        }
    }
    // A fast flick: one screen further every frame from the top to the bottom, noting each
    // frame's time and whether the middle of the pane showed a card.
    let flick = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const pane = document.querySelector('main'); pane.scrollTop = 0;
             // Two points a little way into the first column, half a card apart, so one of them
             // misses a row gap: a frame is blank only if neither lands on a card.
             const grid = document.querySelector(\"[data-testid='library-grid']\").getBoundingClientRect();
             const box = pane.getBoundingClientRect();
             const x = grid.left + 40, ys = [box.top + box.height / 2, box.top + box.height / 2 + 120];
             const frames = []; let blank = 0, most = 0, last = 0;
             const step = (now) => {
               if (last) frames.push(now - last);
               last = now;
               const onCard = (y) => document.elementFromPoint(x, y)?.closest(\"[data-testid='soundtrack-card']\");
               if (!ys.some(onCard)) blank += 1;
               most = Math.max(most, document.querySelectorAll(\"[data-testid='soundtrack-card']\").length);
               if (pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 1 || frames.length >= 300) {
                 done({ frames, blank, most, reached: pane.scrollTop / Math.max(1, pane.scrollHeight - pane.clientHeight) });
                 return;
               }
               pane.scrollTop += pane.clientHeight;
               requestAnimationFrame(step);
             };
             setTimeout(() => requestAnimationFrame(step), 300);",
            vec![],
        )
        .await
        .unwrap_or_else(|e| json!({ "error": e.to_string() }));
    eprintln!(
        "    flick: {} frames, reached {:.0}%",
        flick["frames"].as_array().map_or(0, Vec::len),
        flick["reached"].as_f64().unwrap_or(0.0) * 100.0
    );
    result.frame_ms = flick["frames"]
        .as_array()
        .map(|frames| frames.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    result.blank_frames = flick["blank"].as_u64().unwrap_or(0) as usize;
    result.max_cards_in_page = flick["most"].as_u64().unwrap_or(0) as usize;
    result.flick_reached = flick["reached"].as_f64().unwrap_or(0.0);
    client.close().await.unwrap();
    result
}

fn file_size(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

fn newest_deb() -> Option<PathBuf> {
    let dir = workspace_root().join("target/release/bundle/deb");
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "deb"))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
}

fn date() -> String {
    machine::output_of("date", &["+%Y-%m-%d"])
}

fn version_of(program: &Path) -> String {
    machine::output_of(program, &["--version"])
}

fn webkit_version() -> String {
    machine::output_of(
        "dpkg-query",
        &["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"],
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options();
    let root = workspace_root();
    let cuesheet = cuesheet_tests::cuesheet_bin();
    let minimal = std::env::var_os("MINIMAL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/examples/minimal_window"));
    if !minimal.exists() {
        return Err(format!(
            "{} is missing: `cargo build --release -p cuesheet --example minimal_window`",
            minimal.display()
        )
        .into());
    }
    let chromium = Some(
        std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium")),
    )
    .filter(|p| p.exists());
    eprintln!(
        "startup bench: {} and {}",
        cuesheet.display(),
        minimal.display()
    );
    // PSS splits a shared page among every process mapping it: a WebKit window left open
    // elsewhere takes about 60 MiB of WebKit's libraries off each subject and skews the ratios.
    let strangers: Vec<String> = process_table()
        .into_iter()
        .filter(|(_, _, _, name)| name.starts_with("WebKit"))
        .map(|(pid, _, _, name)| format!("{name} ({pid})"))
        .collect();
    if !strangers.is_empty() {
        return Err(format!(
            "other WebKit processes are running and would lower every memory figure: {}; close them first",
            strangers.join(", ")
        )
        .into());
    }

    let dirs = AppDirs::new();
    let started = Instant::now();
    let made = run_cli(
        &dirs.data_dir(),
        &[
            "generate-library",
            "--soundtracks",
            &options.soundtracks.to_string(),
            "--tracks-per",
            &options.tracks_per.to_string(),
        ],
    );
    if !made.status.success() {
        return Err(format!(
            "generate-library failed: {}",
            String::from_utf8_lossy(&made.stderr)
        )
        .into());
    }
    let generated_in = started.elapsed();
    let listing = run_cli(&dirs.data_dir(), &["soundtracks", "--json"]);
    let summaries: Value = serde_json::from_slice(&listing.stdout)?;
    let summaries = summaries.as_array().cloned().unwrap_or_default();
    let last = summaries
        .iter()
        .max_by_key(|s| s["id"].as_i64().unwrap_or(0))
        .and_then(|s| s["film_title"].as_str())
        .unwrap_or_default()
        .to_owned();
    let first_by_title = summaries
        .iter()
        .filter_map(|s| Some((s["film_title"].as_str()?, s["id"].as_i64()?)))
        .min_by_key(|(title, id)| (cuesheet_core::browse::title_key(title), *id))
        .map(|(title, _)| title.to_owned())
        .unwrap_or_default();
    let library_file = file_size(&dirs.data_dir().join("library.sqlite3")).unwrap_or(0);
    let pages = page_latencies(&dirs.data_dir(), options.runs.max(5))?;
    eprintln!(
        "  generated {} soundtracks in {:.1} s; the last is {last:?}",
        summaries.len(),
        generated_in.as_secs_f64()
    );

    let xvfb = Xvfb::start();
    let bench = Bench {
        cuesheet: cuesheet.clone(),
        minimal: minimal.clone(),
        chromium: chromium.clone(),
        data_dir: dirs.data_dir(),
        display: xvfb.display.clone(),
        server: UiServer::start(root.join("ui/dist"), &dirs.data_dir()),
    };
    let mut subjects = vec![
        Subject::Cuesheet { composited: true },
        Subject::Cuesheet { composited: false },
        Subject::Minimal { composited: true },
        Subject::Minimal { composited: false },
    ];
    if chromium.is_some() {
        subjects.push(Subject::Chromium);
    }
    let mut samples: BTreeMap<Subject, Vec<Sample>> = BTreeMap::new();
    let mut failures = Vec::new();
    // One warm-up round, not counted: the first launch after a build pays for reading the
    // binaries from disk.
    for round in 0..=options.runs {
        for &subject in &subjects {
            match bench.measure(subject) {
                Ok(sample) => {
                    eprintln!(
                        "  round {round} {:<60} {:>7.0} ms {:>6}",
                        subject.label(),
                        sample.startup_ms,
                        mib(sample.pss_kib as f64)
                    );
                    if round > 0 {
                        samples.entry(subject).or_default().push(sample);
                    }
                }
                Err(e) => {
                    eprintln!("  round {round}: {e}");
                    failures.push(e);
                }
            }
        }
    }
    drop(bench);
    drop(xvfb);

    let runtime = tokio::runtime::Runtime::new()?;
    let interactions: Vec<(bool, Interaction)> = [false, true]
        .into_iter()
        .map(|composited| {
            eprintln!("  interactions, compositing {composited}");
            (
                composited,
                runtime.block_on(interact(
                    composited,
                    &dirs,
                    &last,
                    &first_by_title,
                    options.runs,
                )),
            )
        })
        .collect();

    let medians = |subject: Subject| -> Option<(f64, f64, Option<f64>, usize)> {
        let list = samples.get(&subject)?;
        let mut startup: Vec<f64> = list.iter().map(|s| s.startup_ms).collect();
        let mut pss: Vec<f64> = list.iter().map(|s| s.pss_kib as f64).collect();
        let mut page: Vec<f64> = list.iter().filter_map(|s| s.page_ms).collect();
        let page = (!page.is_empty()).then(|| median(&mut page));
        Some((median(&mut startup), median(&mut pss), page, list.len()))
    };

    let mut section = String::new();
    writeln!(section, "{SECTION}\n")?;
    writeln!(section, "Command (part of `make bench`, after `cargo build --release -p cuesheet --bin cuesheet --example minimal_window`):\n")?;
    writeln!(section, "```sh\nCUESHEET_BIN=target/release/cuesheet MINIMAL_BIN=target/release/examples/minimal_window \\\n  cargo run --release -p cuesheet-tests --example startup_bench -- --out docs/BENCHMARKS.md\n```\n")?;
    writeln!(
        section,
        "Last run: {} under Xvfb (1280×800×24, software rendering), WebKitGTK {}, {}.\n",
        date(),
        webkit_version(),
        chromium
            .as_deref()
            .map(version_of)
            .unwrap_or_else(|| "no Chromium".into())
    )?;
    writeln!(section, "Library: {} soundtracks ({} generated + the starter catalog) and {} songs per generated soundtrack, made by the hidden `cuesheet generate-library` through the real insert path in one transaction ({:.1} s; file {:.0} MiB).\n",
        summaries.len(), options.soundtracks, options.tracks_per, generated_in.as_secs_f64(), library_file as f64 / 1_048_576.0)?;
    writeln!(section, "Start-up is the time from spawning the process to the page reporting that its first data is painted (the UI calls `report_first_render` one frame after the library's first render; the shell prints it when `CUESHEET_STARTUP_PROBE=1`; the minimal window's page does the same after its first paint; in Chromium the same UI call reaches the bench's loopback server). Memory is PSS summed over the process and all it started, read 5 s after that report. Median of {} runs each, in turns, after one uncounted warm-up round.\n", options.runs)?;
    writeln!(
        section,
        "| Subject | Start-up | Page clock at report | Memory (PSS, all processes) | Processes | Runs |"
    )?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    for &subject in &subjects {
        if let Some((startup, pss, page, runs)) = medians(subject) {
            let processes = samples[&subject]
                .last()
                .map(|s| {
                    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
                    for (name, _) in &s.processes {
                        *names.entry(name.as_str()).or_default() += 1;
                    }
                    names
                        .iter()
                        .map(|(name, n)| {
                            if *n > 1 {
                                format!("{name} ×{n}")
                            } else {
                                (*name).to_owned()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            writeln!(
                section,
                "| {} | {:.0} ms | {} | {} | {} | {} |",
                subject.label(),
                startup,
                page.map(|p| format!("{p:.0} ms")).unwrap_or("—".into()),
                mib(pss),
                processes,
                runs
            )?;
        }
    }
    writeln!(section)?;
    writeln!(section, "| Ratio | Start-up | Memory | Aim |")?;
    writeln!(section, "|---|---|---|---|")?;
    for composited in [true, false] {
        let (Some(app), Some(base)) = (
            medians(Subject::Cuesheet { composited }),
            medians(Subject::Minimal { composited }),
        ) else {
            continue;
        };
        let mode = if composited {
            "compositing on"
        } else {
            "compositing off"
        };
        let (s, m) = (app.0 / base.0, app.1 / base.1);
        writeln!(
            section,
            "| Cuesheet / minimal Tauri ({mode}) | {s:.2}× | {m:.2}× | start-up ≤ 1.3× {}, memory ≤ 1.2× {} |",
            if s <= 1.3 { "✓" } else { "✗" },
            if m <= 1.2 { "✓" } else { "✗" }
        )?;
        if let Some(chrome) = medians(Subject::Chromium) {
            let (s, m) = (app.0 / chrome.0, app.1 / chrome.1);
            writeln!(
                section,
                "| Cuesheet ({mode}) / Chromium | {s:.2}× | {m:.2}× | memory ≤ 0.75× {} |",
                if m <= 0.75 { "✓" } else { "✗" }
            )?;
        }
        if let (Some(chrome), Some(base)) = (medians(Subject::Chromium), Some(base)) {
            writeln!(
                section,
                "| Minimal Tauri ({mode}) / Chromium | {:.2}× | {:.2}× | (reference) |",
                base.0 / chrome.0,
                base.1 / chrome.1
            )?;
        }
    }
    if chromium.is_none() {
        writeln!(section, "\nChromium was not installed (`apt-get install --no-install-recommends chromium`), so its row is missing.")?;
    }
    if !failures.is_empty() {
        writeln!(
            section,
            "\nRuns that failed and are left out: {}.",
            failures.join("; ")
        )?;
    }

    writeln!(section, "\nIn the window with this library (release build through tauri-driver; each figure timed inside the page from the change to the frame after the answer is painted; median of {} and slowest):\n", options.runs)?;
    writeln!(section, "| | Compositing off | Compositing on |")?;
    writeln!(section, "|---|---|---|")?;
    let find = |composited: bool| {
        interactions
            .iter()
            .find(|(c, _)| *c == composited)
            .map(|(_, i)| i)
    };
    let (Some(off), Some(on)) = (find(false), find(true)) else {
        return Err("interactions missing".into());
    };
    let cell = |values: &[f64]| {
        let mut v = values.to_vec();
        let max = v.iter().cloned().fold(f64::NAN, f64::max);
        format!("{:.0} ms (slowest {:.0} ms)", median(&mut v), max)
    };
    writeln!(
        section,
        "| Scroll to the end (last of {} cards painted) | {} | {} |",
        summaries.len(),
        cell(&off.scroll_to_end_ms),
        cell(&on.scroll_to_end_ms)
    )?;
    writeln!(
        section,
        "| Sort by title from the end of the grid, first title painted at the top | {} | {} |",
        cell(&off.sort_title_ms),
        cell(&on.sort_title_ms)
    )?;
    writeln!(
        section,
        "| Search the last title, results painted | {} | {} |",
        cell(&off.search_title_ms),
        cell(&on.search_title_ms)
    )?;
    writeln!(
        section,
        "| Search a common word (`night`), results painted | {} | {} |",
        cell(&off.search_word_ms),
        cell(&on.search_word_ms)
    )?;
    let frames = |i: &Interaction| {
        let mut f = i.frame_ms.clone();
        format!(
            "{} frames ({:.0}% of the way down): median {:.1} ms, p95 {:.1} ms, {} over 50 ms; {} with no card in view at the first column",
            f.len(),
            i.flick_reached * 100.0,
            median(&mut f.clone()),
            percentile(&mut f, 95.0),
            i.frame_ms.iter().filter(|&&ms| ms > 50.0).count(),
            i.blank_frames
        )
    };
    writeln!(
        section,
        "| Fast flick down the grid (one screen per frame, at most 300 frames) | {} | {} |",
        frames(off),
        frames(on)
    )?;
    writeln!(
        section,
        "| Most cards in the page at once | {} | {} |",
        off.max_cards_in_page, on.max_cards_in_page
    )?;

    for (label, i) in [("off", off), ("on", on)] {
        let marks: Vec<String> = i
            .marks
            .iter()
            .map(|(name, ms)| format!("{name} {ms:.0}"))
            .collect();
        writeln!(
            section,
            "\nInside the page at that launch (compositing {label}; page-clock ms of the UI's `performance.mark`s): {}.",
            marks.join(", ")
        )?;
    }

    writeln!(section, "\nThe library view's pages in the core (`Library::browse`, {PAGE} summaries, the call behind `browse_soundtracks`; median of {} calls each on the same library, in this process), against reading every summary (`Library::list_soundtracks`, what the window read before it was paged) measured in the same run:\n", pages.runs)?;
    writeln!(section, "| Order | First page | Middle page | Last page | Every summary (baseline) | Ratio, first page / baseline |")?;
    writeln!(section, "|---|---|---|---|---|---|")?;
    for (order, [first, middle, last]) in &pages.orders {
        writeln!(
            section,
            "| {order} | {first:.1} ms | {middle:.1} ms | {last:.1} ms | {:.1} ms | {:.3}× |",
            pages.everything,
            first / pages.everything
        )?;
    }

    let binary = file_size(&cuesheet);
    writeln!(section, "\nSizes:\n")?;
    match binary {
        Some(bytes) => writeln!(
            section,
            "- Release binary `{}`: {:.1} MiB ({bytes} bytes).",
            cuesheet.strip_prefix(&root).unwrap_or(&cuesheet).display(),
            bytes as f64 / 1_048_576.0
        )?,
        None => writeln!(section, "- Release binary: not found.")?,
    }
    if let Some(bytes) = file_size(&minimal) {
        writeln!(
            section,
            "- Minimal Tauri window (`minimal_window` example, same profile): {:.1} MiB.",
            bytes as f64 / 1_048_576.0
        )?;
    }
    match newest_deb() {
        Some(deb) => writeln!(
            section,
            "- `.deb` bundle `{}` (`.ci/package.sh deb`, as `make package`): {:.1} MiB ({} bytes).",
            deb.file_name().unwrap_or_default().to_string_lossy(),
            file_size(&deb).unwrap_or(0) as f64 / 1_048_576.0,
            file_size(&deb).unwrap_or(0)
        )?,
        None => writeln!(section, "- `.deb` bundle: not built in this run (`make package` makes it under target/release/bundle/deb/).")?,
    }

    print!("{section}");
    if let Some(path) = options.out {
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let updated = match existing.find(SECTION) {
            Some(start) => {
                let after = start + SECTION.len();
                let end = existing[after..]
                    .find("\n## ")
                    .map(|i| after + i + 1)
                    .unwrap_or(existing.len());
                let rest = &existing[end..];
                let before = existing[..start].trim_end();
                if rest.is_empty() {
                    format!("{before}\n\n{section}")
                } else {
                    format!("{before}\n\n{section}\n{rest}")
                }
            }
            None => format!("{}\n\n{section}", existing.trim_end()),
        };
        std::fs::write(&path, updated)?;
        eprintln!("updated {}", path.display());
    }
    Ok(())
}
