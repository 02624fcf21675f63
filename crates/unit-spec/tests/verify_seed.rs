//! The seed's unit files verify clean, and a corrupted copy of each names the
//! line and column of the damage.

use std::path::{Path, PathBuf};

use flotta_unit_spec::verify::{Severity, verify_text};

fn seed_units() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed/units");
    // The seed's units and their local variants (`local/`).
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in [dir.clone(), dir.join("local")] {
        paths.extend(
            std::fs::read_dir(&dir)
                .expect("examples/seed/units exists")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.is_file()),
        );
    }
    paths.sort();
    assert!(!paths.is_empty());
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("utf-8 unit"))
        })
        .collect()
}

fn errors(name: &str, text: &str) -> Vec<(usize, usize, String)> {
    verify_text(Some(name), text)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.line, d.column, d.message))
        .collect()
}

/// Replaces line `n` (1-based) of `text`.
fn with_line(text: &str, n: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = line;
    lines.join("\n") + "\n"
}

/// The 1-based line number of the first line starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no line starting with {prefix:?}"))
}

#[test]
fn seed_units_verify_clean() {
    for (name, text) in seed_units() {
        let diags = verify_text(Some(&name), &text);
        assert!(diags.is_empty(), "{name}: {diags:?}");
    }
}

#[test]
fn corrupted_copies_name_line_and_column() {
    for (name, text) in seed_units() {
        // A bad section header.
        let n = line_of(&text, "[Service]");
        let bad = with_line(&text, n, "[Service");
        let e = &errors(&name, &bad)[0];
        assert_eq!((e.0, e.1), (n, 1), "{name}: {e:?}");

        // A key outside any section: the first section header removed.
        let bad = with_line(&text, 1, "# no section any more");
        let e = &errors(&name, &bad)[0];
        assert_eq!((e.0, e.1), (2, 1), "{name}: {e:?}");
        assert!(e.2.contains("outside of any section"), "{e:?}");

        // An unterminated quote in ExecStart.
        let n = line_of(&text, "ExecStart=");
        let bad = with_line(&text, n, "ExecStart=/bin/echo \"hello");
        let e = &errors(&name, &bad)[0];
        assert_eq!((e.0, e.1), (n, 21), "{name}: {e:?}");
        assert!(e.2.contains("quote"), "{e:?}");

        // An unknown specifier.
        let key = if text.contains("\nExecStop=") {
            "ExecStop="
        } else {
            "ExecStart="
        };
        let n = line_of(&text, key);
        let line = format!("{key}/usr/bin/docker stop %z");
        let bad = with_line(&text, n, &line);
        let e = &errors(&name, &bad)[0];
        let column = line.find("%z").map_or(0, |c| c + 1);
        assert_eq!((e.0, e.1), (n, column), "{name}: {e:?}");
        assert!(e.2.contains("%z"), "{e:?}");
    }
}
