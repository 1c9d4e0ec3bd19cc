//! The shell stays locked down: this test reads `tauri.conf.json`, the capability files and the
//! shell's manifest, and fails if any of them loosens — a remote or inline script, `eval`,
//! images from outside the app and its cover cache, a plugin permission the UI does not use,
//! a shell plugin, or a capability for another window or a remote page.
//!
//! It reads files only; the commands' own checks are tested beside them.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn read_json(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn sources(csp: &Value, directive: &str) -> BTreeSet<String> {
    csp[directive]
        .as_str()
        .unwrap_or_else(|| panic!("the CSP sets {directive}"))
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_content_security_policy_is_strict() {
    let config = read_json("tauri.conf.json");
    let security = &config["app"]["security"];
    let csp = &security["csp"];
    assert!(csp.is_object(), "a CSP is set");
    assert_eq!(sources(csp, "default-src"), set(&["'self'"]));
    assert_eq!(
        sources(csp, "script-src"),
        set(&["'self'"]),
        "no remote, inline or eval scripts"
    );
    assert_eq!(
        sources(csp, "img-src"),
        set(&["'self'", "data:", "cover:", "http://cover.localhost"]),
        "images only from the app and the cover cache"
    );
    assert_eq!(
        sources(csp, "connect-src"),
        set(&["ipc:", "http://ipc.localhost"]),
        "the UI talks to Rust only; Spotify is called from Rust"
    );
    assert_eq!(sources(csp, "object-src"), set(&["'none'"]));
    assert_eq!(sources(csp, "base-uri"), set(&["'none'"]));
    assert_eq!(sources(csp, "frame-ancestors"), set(&["'none'"]));
    let all = csp.to_string();
    for loose in ["unsafe-eval", "https:", "http:*", "*", "blob:"] {
        assert!(
            !all.contains(loose),
            "the CSP must not allow {loose}: {all}"
        );
    }
    assert_eq!(security["freezePrototype"], true);
    assert_ne!(security["dangerousDisableAssetCspModification"], true);
    assert_ne!(
        config["app"]["withGlobalTauri"], true,
        "no global __TAURI__ for injected scripts"
    );
    for window in config["app"]["windows"].as_array().unwrap() {
        assert!(
            window
                .get("url")
                .is_none_or(|u| !u.as_str().unwrap_or("").starts_with("http")),
            "windows load the bundled UI, never a remote page"
        );
    }
}

#[test]
fn the_capability_grants_only_our_commands_and_the_plugin_permissions_the_ui_uses() {
    let capabilities = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&capabilities)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files,
        vec!["main.json".to_string()],
        "one capability, for the main window"
    );
    let capability = read_json("capabilities/main.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote page may call commands"
    );
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .expect("permissions are plain names, not scoped objects")
        })
        .collect();
    let plugin_permissions: BTreeSet<String> = granted
        .iter()
        .filter(|p| p.contains(':'))
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        plugin_permissions,
        set(&[
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
            "dialog:allow-save",
        ]),
        "only the plugin permissions the UI uses (no default sets, no opener, no fs, no shell)"
    );
    for own in granted.iter().filter(|p| !p.contains(':')) {
        assert!(
            own.starts_with("allow-"),
            "our commands are granted one by one: {own}"
        );
    }
}

#[test]
fn there_is_no_shell_plugin() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("tauri-plugin-shell"));
    let workspace =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
            .unwrap();
    assert!(!workspace.contains("tauri-plugin-shell"));
    let ui =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/package.json"))
            .unwrap();
    assert!(
        !ui.contains("plugin-shell") && !ui.contains("plugin-opener"),
        "the UI opens links through our checked command, not a plugin"
    );
}

/// Links leave the window only through the core's checks: the window may call `open_link`
/// (http and https only) and `open_spotify_link`, holds no opener permission of its own, and
/// renders an `<a>` in one place only, `ExternalLink.svelte`, which shows any other address as
/// plain text. A new `<a href>` elsewhere could render a `javascript:` or `file:` address read
/// from a file or a backup, so it fails here.
#[test]
fn links_open_only_through_the_checked_commands() {
    let capability = read_json("capabilities/main.json");
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    for command in ["allow-open-link", "allow-open-spotify-link"] {
        assert!(granted.contains(command), "{command} is granted");
    }
    assert!(
        !granted.iter().any(|p| p.starts_with("opener:")),
        "no opener permission: the window opens links through our commands"
    );
    let components = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/components");
    let mut with_links = Vec::new();
    for entry in std::fs::read_dir(&components).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !text.contains("target=\"_blank\""),
            "{name}: a link for a new window, which does nothing in the app"
        );
        if text.contains("<a ") || text.contains("<a\n") {
            with_links.push(name);
        }
    }
    assert_eq!(
        with_links,
        ["ExternalLink.svelte"],
        "links are rendered only by ExternalLink.svelte, which checks the scheme"
    );
}
