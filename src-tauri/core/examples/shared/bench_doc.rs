//! docs/BENCHMARKS.md is written by several benchmarks (`make bench`, `make fuzz`), each owning
//! one `## ` section. These helpers replace a benchmark's own section and keep everyone else's;
//! they must never drop a section they do not own. Included with `#[path]` by each benchmark,
//! since examples of different packages cannot share a module otherwise.

/// `existing` with the section under `heading` replaced by `section` (appended when absent).
pub fn replace_section(existing: &str, heading: &str, section: &str) -> String {
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| l.trim_end() == heading) else {
        let kept = existing.trim_end();
        return if kept.is_empty() {
            section.to_owned()
        } else {
            format!("{kept}\n\n{section}")
        };
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| start + 1 + i);
    let before = lines[..start].concat();
    let after = lines[end..].concat();
    if after.is_empty() {
        format!("{before}{section}")
    } else {
        format!("{before}{}\n\n{after}", section.trim_end())
    }
}

/// Every `## ` section of `existing` except the one under `heading`: what a benchmark that
/// rewrites the file's top must carry over.
#[allow(dead_code)]
pub fn other_sections(existing: &str, heading: &str) -> String {
    let Some(first) = existing.find("\n## ").map(|i| i + 1) else {
        return String::new();
    };
    let without = replace_section(&existing[first..], heading, "");
    without.trim().to_owned()
}

/// Reads `path`, replaces the section, writes it back.
#[allow(dead_code)]
pub fn write_section(path: &std::path::Path, heading: &str, section: &str) -> std::io::Result<()> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, replace_section(&existing, heading, section))
}
