//! Template resources: confd's `conf.d/*.toml` files, read as confd reads
//! them.
//!
//! ```toml
//! [template]
//! src = "nginx.conf.tmpl"          # under <confdir>/templates
//! dest = "/etc/nginx/nginx.conf"
//! keys = ["/nginx"]
//! prefix = "/production"           # optional, joined after the global one
//! uid = 0                          # or owner = "root"; gid or group likewise
//! mode = "0644"
//! check_cmd = "/usr/sbin/nginx -t -c {{.src}}"
//! reload_cmd = "/usr/sbin/service nginx reload"
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::ConfdError;
use crate::gopath;

/// One template resource, resolved against its confdir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateResource {
    /// The resource file it was read from.
    pub file: PathBuf,
    /// The template (`<confdir>/templates/<src>`).
    pub src: PathBuf,
    /// The file kept up to date.
    pub dest: PathBuf,
    /// The keys as written in the resource.
    pub keys: Vec<String>,
    /// The effective prefix: the global one joined with the resource's,
    /// always starting with `/`.
    pub prefix: String,
    /// Permission bits; `None`: the destination's current mode, or 0644.
    pub mode: Option<u32>,
    /// Owner; `None`: the effective uid.
    pub uid: Option<u32>,
    /// Group; `None`: the effective gid.
    pub gid: Option<u32>,
    /// Validates the staged file: a Go template where `{{.src}}` is the
    /// staged file's path.
    pub check_cmd: Option<String>,
    /// Makes the service load the new file.
    pub reload_cmd: Option<String>,
    /// Watch mode: how long changes must pause before a run (the maintained
    /// fork's `debounce`; default 20 ms, so a burst is one reload).
    pub debounce: Duration,
    /// Watch mode: the least time between two runs (the fork's
    /// `min_reload_interval`; default none).
    pub min_reload_interval: Duration,
}

/// The default quiet period in watch mode.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(20);

#[derive(Debug, Deserialize)]
struct File {
    template: Option<Raw>,
}

#[derive(Debug, Deserialize, Default)]
struct Raw {
    #[serde(default)]
    src: String,
    #[serde(default)]
    dest: String,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    prefix: String,
    mode: Option<String>,
    uid: Option<i64>,
    gid: Option<i64>,
    owner: Option<String>,
    group: Option<String>,
    check_cmd: Option<String>,
    reload_cmd: Option<String>,
    debounce: Option<String>,
    min_reload_interval: Option<String>,
}

impl TemplateResource {
    /// Parses resource `file`'s text. `templates` is `<confdir>/templates`;
    /// `global_prefix` the `prefix` setting (or flag).
    ///
    /// # Errors
    /// [`ConfdError::Config`] naming the file, with line and column for TOML
    /// syntax errors.
    pub fn parse(
        file: &Path,
        text: &str,
        templates: &Path,
        global_prefix: &str,
    ) -> Result<Self, ConfdError> {
        let parsed: File = toml::from_str(text)
            .map_err(|e| ConfdError::config(Some(file), e.to_string().trim_end().to_owned()))?;
        let raw = parsed
            .template
            .ok_or_else(|| ConfdError::config(Some(file), "no [template] table"))?;
        if raw.src.is_empty() {
            return Err(ConfdError::config(Some(file), "empty src template"));
        }
        if raw.dest.is_empty() {
            return Err(ConfdError::config(Some(file), "empty dest"));
        }
        let mut prefix = gopath::join(&[global_prefix, &raw.prefix]);
        if !prefix.starts_with('/') {
            prefix.insert(0, '/');
        }
        let mode = match &raw.mode {
            None => None,
            Some(m) => Some(parse_mode(m).ok_or_else(|| {
                ConfdError::config(
                    Some(file),
                    format!("mode {m:?}: not a number (write it as \"0644\")"),
                )
            })?),
        };
        let id = |what: &str, v: Option<i64>| -> Result<Option<u32>, ConfdError> {
            match v {
                None | Some(-1) => Ok(None),
                Some(n) => u32::try_from(n).map(Some).map_err(|_| {
                    ConfdError::config(Some(file), format!("{what} {n}: not a valid id"))
                }),
            }
        };
        let mut uid = id("uid", raw.uid)?;
        let mut gid = id("gid", raw.gid)?;
        if uid.is_none()
            && let Some(owner) = &raw.owner
        {
            uid = Some(lookup_user(owner).ok_or_else(|| {
                ConfdError::config(Some(file), format!("owner {owner:?}: no such user"))
            })?);
        }
        if gid.is_none()
            && let Some(group) = &raw.group
        {
            gid = Some(lookup_group(group).ok_or_else(|| {
                ConfdError::config(Some(file), format!("group {group:?}: no such group"))
            })?);
        }
        let duration = |what: &str, v: &Option<String>, default: Duration| match v {
            None => Ok(default),
            Some(d) => parse_duration(d).ok_or_else(|| {
                ConfdError::config(
                    Some(file),
                    format!("{what} {d:?}: expected a Go duration such as \"500ms\" or \"2s\""),
                )
            }),
        };
        let debounce = duration("debounce", &raw.debounce, DEFAULT_DEBOUNCE)?;
        let min_reload_interval = duration(
            "min_reload_interval",
            &raw.min_reload_interval,
            Duration::ZERO,
        )?;
        Ok(TemplateResource {
            file: file.to_owned(),
            src: templates.join(&raw.src),
            dest: PathBuf::from(raw.dest),
            keys: raw.keys,
            prefix,
            mode,
            uid,
            gid,
            check_cmd: raw.check_cmd.filter(|c| !c.is_empty()),
            reload_cmd: raw.reload_cmd.filter(|c| !c.is_empty()),
            debounce,
            min_reload_interval,
        })
    }

    /// Reads resource `file`.
    ///
    /// # Errors
    /// As [`TemplateResource::parse`], or the file cannot be read.
    pub fn load(file: &Path, templates: &Path, global_prefix: &str) -> Result<Self, ConfdError> {
        let text = std::fs::read_to_string(file)
            .map_err(ConfdError::io(format!("reading {}", file.display())))?;
        Self::parse(file, &text, templates, global_prefix)
    }

    /// The keys to read: each joined to the prefix (confd's `AppendPrefix`).
    pub fn prefixed_keys(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| gopath::join(&[&self.prefix, k]))
            .collect()
    }

    /// The key a template uses for stored key `k`: the prefix taken off.
    pub fn template_key(&self, k: &str) -> String {
        let rest = k.strip_prefix(self.prefix.as_str()).unwrap_or(k);
        gopath::join(&["/", rest])
    }
}

/// Go's `strconv.ParseUint(s, 0, 32)`: `0644` and `0o644` are octal,
/// `0x1a4` hex, `420` decimal.
fn parse_mode(m: &str) -> Option<u32> {
    let m = m.trim();
    let (digits, radix) = if let Some(r) = m.strip_prefix("0o").or(m.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = m.strip_prefix("0x").or(m.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = m.strip_prefix("0b").or(m.strip_prefix("0B")) {
        (r, 2)
    } else if m.len() > 1 && m.starts_with('0') {
        (&m[1..], 8)
    } else {
        (m, 10)
    };
    u32::from_str_radix(&digits.replace('_', ""), radix).ok()
}

/// Go's `time.ParseDuration` for the units a config uses:
/// `300ms`, `2s`, `1m30s`, `1.5h`.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    if s == "0" {
        return Some(Duration::ZERO);
    }
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[u..];
        total += value * unit;
    }
    Some(Duration::from_secs_f64(total))
}

fn lookup_user(name: &str) -> Option<u32> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    nix::unistd::User::from_name(name)
        .ok()
        .flatten()
        .map(|u| u.uid.as_raw())
}

fn lookup_group(name: &str) -> Option<u32> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    nix::unistd::Group::from_name(name)
        .ok()
        .flatten()
        .map(|g| g.gid.as_raw())
}

/// Every `*.toml` under `conf_d` (recursively, as confd walks it), sorted.
///
/// # Errors
/// The directory cannot be read.
pub fn find_resources(conf_d: &Path) -> Result<Vec<PathBuf>, ConfdError> {
    let mut out = Vec::new();
    let mut dirs = vec![conf_d.to_owned()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(ConfdError::io(format!("reading {}", dir.display())))?;
        for entry in entries {
            let entry = entry.map_err(ConfdError::io(format!("reading {}", dir.display())))?;
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("toml"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confd_docs_example_resource() {
        // confd docs/template-resources.md, "Example".
        let text = r#"
[template]
src = "nginx.conf.tmpl"
dest = "/etc/nginx/nginx.conf"
uid = 0
gid = 0
mode = "0644"
keys = [
  "/nginx",
]
check_cmd = "/usr/sbin/nginx -t -c {{.src}}"
reload_cmd = "/usr/sbin/service nginx restart"
"#;
        let r = TemplateResource::parse(
            Path::new("/etc/confd/conf.d/nginx.toml"),
            text,
            Path::new("/etc/confd/templates"),
            "",
        )
        .unwrap();
        assert_eq!(r.src, Path::new("/etc/confd/templates/nginx.conf.tmpl"));
        assert_eq!((r.uid, r.gid, r.mode), (Some(0), Some(0), Some(0o644)));
        assert_eq!(r.prefixed_keys(), ["/nginx"]);
        assert_eq!(
            r.check_cmd.as_deref(),
            Some("/usr/sbin/nginx -t -c {{.src}}")
        );
    }

    #[test]
    fn prefixes_join_and_strip() {
        let text = "[template]\nsrc = \"a\"\ndest = \"/tmp/a\"\nkeys = [\"/database\"]\nprefix = \"app\"\n";
        let r = TemplateResource::parse(Path::new("a.toml"), text, Path::new("t"), "/production")
            .unwrap();
        assert_eq!(r.prefix, "/production/app");
        assert_eq!(r.prefixed_keys(), ["/production/app/database"]);
        assert_eq!(
            r.template_key("/production/app/database/host"),
            "/database/host"
        );
        let r = TemplateResource::parse(
            Path::new("a.toml"),
            text.replace("prefix = \"app\"\n", "").as_str(),
            Path::new("t"),
            "",
        )
        .unwrap();
        assert_eq!(r.template_key("/database/host"), "/database/host");
    }

    #[test]
    fn bad_toml_names_file_line_and_column() {
        let err = TemplateResource::parse(
            Path::new("conf.d/bad.toml"),
            "[template]\nsrc = \"a\"\ndest = \n",
            Path::new("t"),
            "",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("conf.d/bad.toml: "), "{text}");
        assert!(text.contains("line 3, column"), "{text}");
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("2"), None);
    }

    #[test]
    fn modes_read_as_go_reads_them() {
        assert_eq!(parse_mode("0644"), Some(0o644));
        assert_eq!(parse_mode("0o600"), Some(0o600));
        assert_eq!(parse_mode("420"), Some(0o644));
        assert_eq!(parse_mode("rw"), None);
    }
}
