//! The real Cuesheet window for end-to-end tests: a private Xvfb display, tauri-driver (which
//! drives WebKitWebDriver) on free loopback ports, and WebDriver sessions that each launch the
//! built app on a given data dir.
//!
//! Everything started here is stopped on drop, including WebKitWebDriver, which tauri-driver
//! would otherwise leave behind: tauri-driver runs in its own process group and the whole group
//! is killed.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long to wait for the window to show something before failing the test.
pub const UI_TIMEOUT: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn kill_group(child: &mut Child) {
    // Negative pid: the whole process group (tauri-driver, WebKitWebDriver, the app).
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// A virtual X display of our own, so tests never need (or disturb) a real one.
#[derive(Debug)]
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        // Display numbers are per machine. Tests of one process take numbers from a shared
        // counter (so two tests never race for the same one), starting from one derived from
        // the pid; any number another process holds is skipped. A display counts as ours only
        // when its lock file names our Xvfb's pid: otherwise a test that lost a race could end
        // up on another test's display and lose it when that test ends.
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base = 200 + (std::process::id() % 500);
        for _ in 0..100 {
            let number = base + NEXT.fetch_add(1, Ordering::SeqCst);
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
            let lock = PathBuf::from(format!("/tmp/.X{number}-lock"));
            if socket.exists() || lock.exists() {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .arg(format!(":{number}"))
                .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .expect("Xvfb runs (Debian package xvfb; make test installs it)");
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                let ours = std::fs::read_to_string(&lock)
                    .ok()
                    .and_then(|text| text.trim().parse::<u32>().ok())
                    == Some(child.id());
                if ours && socket.exists() {
                    return Xvfb {
                        child,
                        display: format!(":{number}"),
                    };
                }
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            kill_group(&mut child);
        }
        panic!("could not start Xvfb on any display");
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// The folders the app and WebKit write to during a test, all temporary.
#[derive(Debug)]
pub struct AppDirs {
    root: tempfile::TempDir,
}

impl AppDirs {
    pub fn new() -> AppDirs {
        AppDirs {
            root: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn xdg(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }
}

impl Default for AppDirs {
    fn default() -> Self {
        AppDirs::new()
    }
}

/// A private D-Bus session bus, for tests of what needs one (one window per library): the
/// machine's own bus, if any, is never touched, and tests in parallel never meet on it.
#[derive(Debug)]
pub struct SessionBus {
    child: Child,
    /// The value for `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl SessionBus {
    pub fn start() -> SessionBus {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("dbus-daemon runs (Debian package dbus-daemon; make test installs it)");
        let mut address = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut address)
            .expect("dbus-daemon prints its address");
        let address = address.trim().to_owned();
        assert!(
            address.starts_with("unix:"),
            "dbus-daemon gave no address: {address:?}"
        );
        SessionBus { child, address }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// tauri-driver on a free port, with the environment every app it launches inherits.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    port: u16,
    env: Vec<(String, String)>,
    _xvfb: Xvfb,
}

fn tauri_driver_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let local = crate::workspace_root().join(".cache/tools/bin/tauri-driver");
    if local.exists() {
        return local;
    }
    PathBuf::from("tauri-driver")
}

impl Driver {
    /// Starts Xvfb and tauri-driver; apps launched through this driver use `dirs`.
    pub fn start(dirs: &AppDirs) -> Driver {
        Driver::start_with_env(dirs, &[])
    }

    /// Like [`Driver::start`], with extra environment variables for every app it launches
    /// (tests point the app at the fake Spotify this way).
    pub fn start_with_env(dirs: &AppDirs, env: &[(&str, String)]) -> Driver {
        let xvfb = Xvfb::start();
        let port = free_port();
        let native_port = free_port();
        for sub in ["data", "xdg-data", "xdg-cache", "xdg-config", "xdg-runtime"] {
            std::fs::create_dir_all(dirs.xdg(sub)).expect("temporary app folders");
        }
        let driver = tauri_driver_path();
        let path = |p: PathBuf| p.to_string_lossy().into_owned();
        let mut app_env: Vec<(String, String)> = vec![
            ("DISPLAY".into(), xvfb.display.clone()),
            ("CUESHEET_DATA_DIR".into(), path(dirs.data_dir())),
            ("XDG_DATA_HOME".into(), path(dirs.xdg("xdg-data"))),
            ("XDG_CACHE_HOME".into(), path(dirs.xdg("xdg-cache"))),
            ("XDG_CONFIG_HOME".into(), path(dirs.xdg("xdg-config"))),
            ("XDG_RUNTIME_DIR".into(), path(dirs.xdg("xdg-runtime"))),
            ("WEBKIT_DISABLE_COMPOSITING_MODE".into(), "1".into()),
            ("CUESHEET_LOG".into(), "info".into()),
        ];
        app_env.extend(env.iter().map(|(n, v)| (n.to_string(), v.clone())));
        let child = Command::new(&driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env_remove("WAYLAND_DISPLAY")
            // Only a bus a test asks for: the machine's own would join unrelated windows.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .envs(app_env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start {} ({e}); `make test` installs it with \
                     `cargo install tauri-driver --locked`",
                    driver.display()
                )
            });
        wait_until("tauri-driver to listen", Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        // tauri-driver passes each request on to WebKitWebDriver, which it starts beside itself;
        // a session asked for before that one listens ends with the connection closed
        // ("IncompleteMessage"), seen once here right after a build.
        wait_until("WebKitWebDriver to listen", Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", native_port)).is_ok()
        });
        Driver {
            child,
            port,
            env: app_env,
            _xvfb: xvfb,
        }
    }

    /// The environment the apps of this driver get (display, data and XDG folders, and what the
    /// test added), for starting `cuesheet` beside them as a person would from a terminal.
    pub fn app_command(&self) -> Command {
        let mut command = Command::new(crate::cuesheet_bin());
        command
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .envs(self.env.iter().map(|(name, value)| (name, value)));
        command
    }

    /// Launches the built app in a new WebDriver session.
    pub async fn launch(&self) -> Client {
        self.launch_with_args(&[]).await
    }

    /// Launches the built app with command-line arguments (`cuesheet FILE`).
    pub async fn launch_with_args(&self, args: &[&str]) -> Client {
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": crate::cuesheet_bin(), "args": args },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session with the Cuesheet window")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// Waits for an element matching `css` and returns it; a timeout saves a screenshot.
pub async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    wait_for_explained(client, css, async { String::new() }).await
}

/// Like [`wait_for`], with `explain` (read only on a timeout) added to the failure message: what
/// the test knows to ask the window so a failure on CI names its cause.
pub async fn wait_for_explained(
    client: &Client,
    css: &str,
    explain: impl std::future::Future<Output = String>,
) -> fantoccini::elements::Element {
    match client
        .wait()
        .at_most(UI_TIMEOUT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element,
        Err(e) => {
            let shot = crate::save_failure_screenshot(client, css).await;
            panic!(
                "the window never showed {css}: {e}{}\nscreenshot: {shot}",
                explain.await
            )
        }
    }
}

/// Waits until the library view has rendered its first data.
pub async fn wait_for_library(client: &Client) {
    wait_for(client, "html[data-ready='library']").await;
}
