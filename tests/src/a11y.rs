//! Accessibility checks of the real window with axe-core: any window test calls
//! [`assert_accessible`] once its view or dialog is on screen, and the test fails on a serious or
//! critical violation, naming the rule and the elements.
//!
//! axe-core comes from the UI's npm packages (pinned in `ui/package.json`) and is handed to the
//! page through WebDriver's execute script, as the page's own code is never asked to load it:
//! the window's Content-Security-Policy stays as strict as shipped. Every check also writes its
//! result to `target/axe/<name>.txt`, so a passing run shows what was checked.

use std::path::PathBuf;

use fantoccini::Client;
use serde_json::Value;

/// The WCAG 2.0–2.2 A and AA rules plus axe's best practices; only serious and critical
/// findings fail, the rest are reported.
const RUN_OPTIONS: &str = r#"{
  "runOnly": { "type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  "resultTypes": ["violations"]
}"#;

fn axe_source() -> String {
    let path = crate::workspace_root().join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; `make test` installs the UI's npm packages (axe-core among them)",
            path.display()
        )
    })
}

fn report_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"));
    target.join("axe")
}

/// One finding as the report prints it: rule, impact, help and each element's selector.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl Finding {
    fn line(&self) -> String {
        format!(
            "{} ({}): {} — {}",
            self.rule,
            self.impact,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Runs axe-core on the page as it is now and returns every violation it found.
pub async fn axe_findings(client: &Client) -> (String, Vec<Finding>) {
    let loaded = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .expect("a script runs in the window");
    if loaded != Value::Bool(true) {
        // The source defines `axe` on the window; the trailing return tells us it did.
        let script = format!("{}\n;return typeof window.axe === 'object';", axe_source());
        let injected = client
            .execute(&script, vec![])
            .await
            .expect("axe-core loads through WebDriver");
        assert_eq!(injected, Value::Bool(true), "axe-core did not load");
    }
    let run = format!(
        "const done = arguments[arguments.length - 1];
         window.axe.run(document, {RUN_OPTIONS}).then(
           (r) => done(JSON.stringify({{ version: window.axe.version, violations: r.violations.map((v) => ({{
             id: v.id, impact: v.impact || 'unknown', help: v.help,
             targets: v.nodes.map((n) => n.target.join(' '))
           }})) }})),
           (e) => done(JSON.stringify({{ error: String(e) }})));"
    );
    let answer = client
        .execute_async(&run, vec![])
        .await
        .expect("axe-core runs");
    let text = answer.as_str().expect("axe's answer as JSON text");
    let answer: Value = serde_json::from_str(text).expect("axe's answer is JSON");
    if let Some(error) = answer.get("error") {
        panic!("axe-core failed: {error}");
    }
    let version = answer["version"].as_str().unwrap_or("?").to_owned();
    let findings = answer["violations"]
        .as_array()
        .expect("a list of violations")
        .iter()
        .map(|v| Finding {
            rule: v["id"].as_str().unwrap_or_default().to_owned(),
            impact: v["impact"].as_str().unwrap_or_default().to_owned(),
            help: v["help"].as_str().unwrap_or_default().to_owned(),
            targets: v["targets"]
                .as_array()
                .map(|t| {
                    t.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    (version, findings)
}

/// Fails the test if axe-core finds a serious or critical violation in the window as it is now;
/// `name` says which view or dialog is on screen (for the message and the report file).
pub async fn assert_accessible(client: &Client, name: &str) {
    let (version, findings) = axe_findings(client).await;
    let (blocking, other): (Vec<_>, Vec<_>) = findings
        .iter()
        .partition(|f| f.impact == "serious" || f.impact == "critical");
    let mut report = format!(
        "axe-core {version} on {name}: {} serious or critical, {} minor or moderate\n",
        blocking.len(),
        other.len()
    );
    for finding in blocking.iter().chain(&other) {
        report.push_str(&format!("  {}\n", finding.line()));
    }
    eprint!("{report}");
    let dir = report_dir();
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{name}.txt")), &report);
    }
    if !blocking.is_empty() {
        let shot = crate::save_failure_screenshot(client, &format!("axe-{name}")).await;
        panic!("{report}screenshot: {shot}");
    }
}
