//! confd's own cases, rendered byte for byte:
//!
//! - `templateTests` of kelseyhightower/confd
//!   `resource/template/template_test.go` (every function it covers, with
//!   its resource TOML, template, store and expected file);
//! - the examples of confd's `docs/templates.md` and
//!   `docs/quick-start-guide.md`, with the output Go's `text/template`
//!   renders for them (`tests/vectors/confd_docs.rs` says how it was made).
//!
//! confd's integration cases (`integration/confdir`, run against etcd by
//! `integration/etcdv3/test.sh`) run against a real etcd through the
//! `flotta confd` binary, in `crates/flotta/tests/confd_cli.rs`.

use std::path::Path;
use std::sync::Arc;

use flotta_confd::{Mode, Outcome, Snapshot, Store, TemplateResource, func_map, process};
use flotta_gotemplate::{Template, Value};

mod docs {
    include!("vectors/confd_docs.rs");
}

mod template_tests {
    include!("vectors/confd_template_tests.rs");
}

/// Renders as confd's `createStageFile` does: the template named after its
/// file, confd's functions over `kvs`, nil data.
fn render(tmpl: &str, kvs: &[(&str, &str)]) -> Result<String, String> {
    let store: Store = kvs.iter().copied().collect();
    let mut t = Template::new("test.conf.tmpl");
    t.funcs(func_map(Arc::new(store)));
    t.parse(tmpl).map_err(|e| e.to_string())?;
    t.execute(&Value::Missing).map_err(|e| e.to_string())
}

#[test]
fn confd_template_tests() {
    let mut failures = Vec::new();
    for (desc, toml, tmpl, expected, kvs) in template_tests::TEMPLATE_TESTS {
        TemplateResource::parse(
            Path::new("test/confd/config.toml"),
            toml,
            Path::new("test/templates"),
            "",
        )
        .unwrap_or_else(|e| panic!("{desc}: {e}"));
        match render(tmpl, kvs) {
            Ok(out) if expected.contains(&out.as_str()) => {}
            got => failures.push(format!("{desc}: got {got:?}, want one of {expected:?}")),
        }
    }
    println!(
        "confd template_test.go: {} cases",
        template_tests::TEMPLATE_TESTS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn confd_docs_examples() {
    let mut failures = Vec::new();
    for (source, tmpl, kvs, expected) in docs::DOCS {
        let got = render(tmpl, kvs);
        let ok = match expected.split_once("ERROR: ") {
            Some((_, err)) => got.as_ref().err().map(String::as_str) == Some(err),
            None => got.as_deref() == Ok(*expected),
        };
        if !ok {
            failures.push(format!("{source}:\n   got {got:?}\n  want {expected:?}"));
        }
    }
    println!("confd docs: {} examples", docs::DOCS.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same path as confd's `process`, with a real destination file: the
/// resource's keys, staging, comparing, `check_cmd` with `{{.src}}`.
#[tokio::test]
async fn a_resource_processed_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("myconfig.conf.tmpl"), "[myconfig]\ndatabase_url = {{getv \"/myapp/database/url\"}}\ndatabase_user = {{getv \"/myapp/database/user\"}}\n").unwrap();
    let dest = dir.path().join("myconfig.conf");
    let checked = dir.path().join("checked");
    // confd docs/quick-start-guide.md's resource, with a check that copies
    // the staged file so the test sees what was checked.
    let toml = format!(
        "[template]\nsrc = \"myconfig.conf.tmpl\"\ndest = \"{}\"\nmode = \"0640\"\nkeys = [\n    \"/myapp/database/url\",\n    \"/myapp/database/user\",\n]\ncheck_cmd = \"cp {{{{.src}}}} {}\"\n",
        dest.display(),
        checked.display()
    );
    let r = TemplateResource::parse(
        &dir.path().join("conf.d/myconfig.toml"),
        &toml,
        &templates,
        "",
    )
    .unwrap();
    let snap = Snapshot {
        kvs: [
            ("/myapp/database/url", "db.example.com"),
            ("/myapp/database/user", "rob"),
            ("/other", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        revision: 1,
    };
    assert_eq!(
        process(&r, &snap, Mode::default()).await.unwrap(),
        Outcome::Updated { reloaded: false }
    );
    let want = "[myconfig]\ndatabase_url = db.example.com\ndatabase_user = rob\n";
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), want);
    assert_eq!(std::fs::read_to_string(&checked).unwrap(), want);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        process(&r, &snap, Mode::default()).await.unwrap(),
        Outcome::InSync
    );
    // No staged file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(".myconfig"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
