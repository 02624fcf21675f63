//! confd's settings, read as confd reads them: defaults, then `confd.toml`
//! (`-config-file`, default `/etc/confd/confd.toml`, skipped when absent),
//! then `CONFD_CLIENT_*` environment variables for what is still unset, then
//! the flags given on the command line.
//!
//! Flags are parsed as Go's `flag` package parses them, since unit files and
//! container images spell them that way: `-onetime` and `--onetime` alike,
//! `-node URL` or `-node=URL` (repeatable), booleans as `-watch` or
//! `-watch=false`, parsing stopping at `--` or the first non-flag. The
//! maintained fork's form with the backend first (`confd etcdv3 --onetime`)
//! is read too.
//!
//! ```
//! use flotta_confd::Config;
//!
//! let args = ["-onetime", "-backend", "etcdv3", "-node", "http://127.0.0.1:2379",
//!             "--confdir=/srv/confd", "-config-file", "/nonexistent/confd.toml"];
//! let c = Config::from_args(args, |_| None).unwrap();
//! assert!(c.onetime && !c.watch);
//! assert_eq!(c.backend, "etcdv3");
//! assert_eq!(c.nodes, ["http://127.0.0.1:2379"]);
//! assert_eq!(c.conf_d(), std::path::Path::new("/srv/confd/conf.d"));
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::ConfdError;

/// Everything `flotta confd` is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `confdir`: holds `conf.d/` and `templates/` (default `/etc/confd`).
    pub confdir: PathBuf,
    /// `config-file` (default `/etc/confd/confd.toml`).
    pub config_file: PathBuf,
    /// `backend`: `etcd` or `etcdv3` (etcd's v3 API, where flotta keeps raw
    /// keys), or `flotta` (a flotta API server, such as a dev cluster's).
    pub backend: String,
    /// `nodes` / `-node`: the backend's URLs.
    pub nodes: Vec<String>,
    /// `prefix`: joined before every resource's keys.
    pub prefix: String,
    /// `interval`: seconds between runs when not watching (default 600).
    pub interval: u64,
    /// `watch`: react to changes instead of polling.
    pub watch: bool,
    /// `onetime`: process every resource once and exit.
    pub onetime: bool,
    /// `noop`: render and report, change nothing.
    pub noop: bool,
    /// `sync-only`: replace files without `check_cmd` and `reload_cmd`.
    pub sync_only: bool,
    /// `keep-stage-file`: leave staged files in place.
    pub keep_stage_file: bool,
    /// `log-level`.
    pub log_level: Option<String>,
    /// `client_cert` / `-client-cert`.
    pub client_cert: Option<PathBuf>,
    /// `client_key` / `-client-key`.
    pub client_key: Option<PathBuf>,
    /// `client_cakeys` / `-client-ca-keys`.
    pub client_cakeys: Option<PathBuf>,
    /// `basic_auth`: send `username` and `password`.
    pub basic_auth: bool,
    /// `username`.
    pub username: Option<String>,
    /// `password`.
    pub password: Option<String>,
    /// `auth_token`: the bearer token of a `flotta` backend.
    pub auth_token: Option<String>,
    /// `scheme` for nodes found by SRV record (default `http`).
    pub scheme: String,
    /// `srv_domain`: find nodes by `_<backend>._tcp.<domain>` SRV records.
    pub srv_domain: Option<String>,
    /// `srv_record`: find nodes by this SRV record.
    pub srv_record: Option<String>,
    /// `-version`.
    pub version: bool,
    /// `flotta-prefix` (flotta's own): where the registry lives in the
    /// store, for the endpoints keyspace (default `/flotta/v1/`).
    pub registry_prefix: String,
    /// `-json` (flotta's own): one JSON object per run on stdout.
    pub json: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            confdir: "/etc/confd".into(),
            config_file: "/etc/confd/confd.toml".into(),
            backend: "etcd".into(),
            nodes: Vec::new(),
            prefix: String::new(),
            interval: 600,
            watch: false,
            onetime: false,
            noop: false,
            sync_only: false,
            keep_stage_file: false,
            log_level: None,
            client_cert: None,
            client_key: None,
            client_cakeys: None,
            basic_auth: false,
            username: None,
            password: None,
            auth_token: None,
            scheme: "http".into(),
            srv_domain: None,
            srv_record: None,
            version: false,
            registry_prefix: "/flotta/v1/".into(),
            json: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Str,
    Int,
    /// Repeatable, comma-separated values accumulate (confd's `Nodes`).
    List,
}

/// confd's flags (and flotta's one addition), with their help.
const FLAGS: &[(&str, Kind, &str)] = &[
    (
        "auth-token",
        Kind::Str,
        "Auth bearer token to use (the flotta backend's API token)",
    ),
    (
        "backend",
        Kind::Str,
        "backend to use: etcd, etcdv3 or flotta (default \"etcd\")",
    ),
    (
        "basic-auth",
        Kind::Bool,
        "Use Basic Auth to authenticate (with -username and -password)",
    ),
    ("client-ca-keys", Kind::Str, "client ca keys"),
    ("client-cert", Kind::Str, "the client cert"),
    ("client-key", Kind::Str, "the client key"),
    (
        "confdir",
        Kind::Str,
        "confd conf directory (default \"/etc/confd\")",
    ),
    (
        "config-file",
        Kind::Str,
        "the confd config file (default \"/etc/confd/confd.toml\")",
    ),
    (
        "flotta-prefix",
        Kind::Str,
        "where flotta's registry is kept, for /flotta/endpoints (default \"/flotta/v1/\")",
    ),
    (
        "interval",
        Kind::Int,
        "backend polling interval (default 600)",
    ),
    (
        "json",
        Kind::Bool,
        "print one JSON object per run on stdout (flotta's own)",
    ),
    ("keep-stage-file", Kind::Bool, "keep staged files"),
    (
        "log-level",
        Kind::Str,
        "level which confd should log messages",
    ),
    ("node", Kind::List, "list of backend nodes"),
    ("noop", Kind::Bool, "only show pending changes"),
    ("onetime", Kind::Bool, "run once and exit"),
    ("password", Kind::Str, "the password to authenticate with"),
    ("prefix", Kind::Str, "key path prefix"),
    (
        "scheme",
        Kind::Str,
        "the backend URI scheme for nodes retrieved from DNS SRV records (http or https) (default \"http\")",
    ),
    ("srv-domain", Kind::Str, "the name of the resource record"),
    (
        "srv-record",
        Kind::Str,
        "the SRV record to search for backends nodes. Example: _etcd-client._tcp.example.com",
    ),
    (
        "sync-only",
        Kind::Bool,
        "sync without check_cmd and reload_cmd",
    ),
    ("username", Kind::Str, "the username to authenticate as"),
    ("version", Kind::Bool, "print version and exit"),
    ("watch", Kind::Bool, "enable watch support"),
];

/// The backends this confd has.
pub const BACKENDS: &[&str] = &["etcd", "etcdv3", "flotta"];

/// What `-h` prints: the flags, as Go's `flag.PrintDefaults` lays them out.
pub fn usage() -> String {
    let mut out = String::from(
        "Usage of flotta confd (confd's flags; - or -- alike):\n  flotta confd [BACKEND] [flags]\n",
    );
    for (name, kind, help) in FLAGS {
        let arg = match kind {
            Kind::Bool => "",
            Kind::Str => " string",
            Kind::Int => " int",
            Kind::List => " value",
        };
        out.push_str(&format!("  -{name}{arg}\n    \t{help}\n"));
    }
    out
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Flags as given: (name, value) in order.
type Given = Vec<(&'static str, String)>;

fn flag_error(message: String) -> ConfdError {
    ConfdError::config(None, format!("{message}\n{}", usage()))
}

/// Parses arguments the way Go's `flag.Parse` does.
fn parse_flags<S: AsRef<str>>(args: &[S]) -> Result<(Given, Option<String>, bool), ConfdError> {
    let mut given = Vec::new();
    let mut backend = None;
    let mut help = false;
    let mut i = 0;
    // The fork's `confd etcdv3 --onetime …`.
    if let Some(first) = args.first().map(AsRef::as_ref)
        && BACKENDS.contains(&first)
    {
        backend = Some(first.to_owned());
        i = 1;
    }
    while i < args.len() {
        let arg = args[i].as_ref();
        i += 1;
        if arg == "--" {
            break;
        }
        if arg.len() < 2 || !arg.starts_with('-') {
            return Err(flag_error(format!(
                "unexpected argument {arg:?} (flags only)"
            )));
        }
        let body = arg.strip_prefix("--").unwrap_or(&arg[1..]);
        if body.is_empty() || body.starts_with('-') || body.starts_with('=') {
            return Err(flag_error(format!("bad flag syntax: {arg}")));
        }
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (body, None),
        };
        if name == "h" || name == "help" {
            help = true;
            continue;
        }
        let Some(&(fname, kind, _)) = FLAGS.iter().find(|(n, _, _)| *n == name) else {
            return Err(flag_error(format!(
                "flag provided but not defined: -{name}"
            )));
        };
        let value = match (kind, value) {
            (Kind::Bool, None) => "true".to_owned(),
            (Kind::Bool, Some(v)) => {
                if parse_bool(&v).is_none() {
                    return Err(flag_error(format!(
                        "invalid boolean value {v:?} for -{name}: parse error"
                    )));
                }
                v
            }
            (_, Some(v)) => v,
            (_, None) => match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.as_ref().to_owned()
                }
                None => return Err(flag_error(format!("flag needs an argument: -{name}"))),
            },
        };
        if kind == Kind::Int && parse_int(&value).is_none() {
            return Err(flag_error(format!(
                "invalid value {value:?} for flag -{name}: parse error"
            )));
        }
        given.push((fname, value));
    }
    if i < args.len() {
        return Err(flag_error(format!(
            "unexpected argument {:?} after --",
            args[i].as_ref()
        )));
    }
    Ok((given, backend, help))
}

/// Go's `strconv.ParseInt(s, 0, 64)` for the interval.
fn parse_int(s: &str) -> Option<i64> {
    let (neg, d) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = d.strip_prefix("0x").or(d.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        i64::from_str_radix(d.trim_start_matches("0o"), 8).ok()?
    } else {
        d.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

impl Config {
    /// Reads the flags in `args` (without the program name), the config
    /// file they name (or the default one, if it exists), and the
    /// environment through `env`.
    ///
    /// # Errors
    /// A bad flag (Go's wording, then the usage), an unreadable or invalid
    /// `confd.toml` (file, line and column), an unknown backend.
    pub fn from_args<S: AsRef<str>>(
        args: impl IntoIterator<Item = S>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfdError> {
        let args: Vec<S> = args.into_iter().collect();
        let (given, backend, help) = parse_flags(&args)?;
        if help {
            return Err(ConfdError::config(None, usage()));
        }
        let mut c = Config::default();
        let set: BTreeSet<&str> = given.iter().map(|(n, _)| *n).collect();
        if let Some((_, f)) = given.iter().rev().find(|(n, _)| *n == "config-file") {
            c.config_file = f.into();
        }
        match std::fs::read_to_string(&c.config_file) {
            Ok(text) => c.apply_file(&text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !set.contains("config-file") => {
                tracing::debug!("skipping confd config file {}", c.config_file.display());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::debug!("no confd config file at {}", c.config_file.display());
            }
            Err(e) => {
                return Err(ConfdError::config(Some(&c.config_file), e.to_string()));
            }
        }
        // The environment fills what the file left unset.
        let fill = |slot: &mut Option<PathBuf>, var: &str| {
            if slot.is_none() {
                *slot = env(var).filter(|v| !v.is_empty()).map(PathBuf::from);
            }
        };
        fill(&mut c.client_cakeys, "CONFD_CLIENT_CAKEYS");
        fill(&mut c.client_cert, "CONFD_CLIENT_CERT");
        fill(&mut c.client_key, "CONFD_CLIENT_KEY");
        // Flags win.
        let mut flag_nodes = Vec::new();
        for (name, value) in &given {
            c.apply_flag(name, value, &mut flag_nodes);
        }
        if !flag_nodes.is_empty() {
            c.nodes = flag_nodes;
        }
        if let Some(b) = backend {
            c.backend = b;
        }
        if !BACKENDS.contains(&c.backend.as_str()) {
            return Err(ConfdError::config(
                None,
                format!(
                    "backend {:?} is not supported here: use etcd or etcdv3 (etcd's v3 API) or flotta (a flotta API server)",
                    c.backend
                ),
            ));
        }
        if c.nodes.is_empty() && c.srv_domain.is_none() && c.srv_record.is_none() {
            c.nodes = match c.backend.as_str() {
                "etcd" => match env("ETCDCTL_PEERS").filter(|p| !p.is_empty()) {
                    Some(p) => p.split(',').map(str::to_owned).collect(),
                    None => vec!["http://127.0.0.1:2379".into()],
                },
                "etcdv3" => vec!["http://127.0.0.1:2379".into()],
                _ => vec!["http://127.0.0.1:4949".into()],
            };
        }
        if c.client_cert.is_some() != c.client_key.is_some() {
            return Err(ConfdError::config(
                None,
                "client_cert and client_key go together",
            ));
        }
        Ok(c)
    }

    fn apply_flag(&mut self, name: &str, value: &str, nodes: &mut Vec<String>) {
        let b = || parse_bool(value).unwrap_or(false);
        let s = || Some(value.to_owned()).filter(|v| !v.is_empty());
        match name {
            "auth-token" => self.auth_token = s(),
            "backend" => self.backend = value.to_owned(),
            "basic-auth" => self.basic_auth = b(),
            "client-ca-keys" => self.client_cakeys = s().map(PathBuf::from),
            "client-cert" => self.client_cert = s().map(PathBuf::from),
            "client-key" => self.client_key = s().map(PathBuf::from),
            "confdir" => self.confdir = value.into(),
            "config-file" => self.config_file = value.into(),
            "flotta-prefix" => self.registry_prefix = value.to_owned(),
            "interval" => self.interval = parse_int(value).unwrap_or(600).max(1) as u64,
            "json" => self.json = b(),
            "keep-stage-file" => self.keep_stage_file = b(),
            "log-level" => self.log_level = s(),
            "node" => nodes.extend(
                value
                    .split(',')
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
            ),
            "noop" => self.noop = b(),
            "onetime" => self.onetime = b(),
            "password" => self.password = s(),
            "prefix" => self.prefix = value.to_owned(),
            "scheme" => self.scheme = value.to_owned(),
            "srv-domain" => self.srv_domain = s(),
            "srv-record" => self.srv_record = s(),
            "sync-only" => self.sync_only = b(),
            "username" => self.username = s(),
            "version" => self.version = b(),
            "watch" => self.watch = b(),
            _ => {}
        }
    }

    fn apply_file(&mut self, text: &str) -> Result<(), ConfdError> {
        let file = self.config_file.clone();
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| ConfdError::config(Some(&file), e.to_string().trim_end().to_owned()))?;
        for (key, value) in &table {
            let wrong = |want: &str| {
                ConfdError::config(
                    Some(&file),
                    format!("{key}: expected {want}, found {}", value.type_str()),
                )
            };
            let string = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| wrong("a string"))
            };
            let boolean = || value.as_bool().ok_or_else(|| wrong("true or false"));
            // BurntSushi/toml, which confd uses, matches a Go field name
            // case-insensitively when it has no tag: `OneTime` is `onetime`.
            match key.to_ascii_lowercase().as_str() {
                "backend" => self.backend = string()?,
                "confdir" => self.confdir = string()?.into(),
                "prefix" => self.prefix = string()?,
                "interval" => {
                    let n = value.as_integer().ok_or_else(|| wrong("an integer"))?;
                    self.interval = u64::try_from(n).unwrap_or(1).max(1);
                }
                "watch" => self.watch = boolean()?,
                "onetime" => self.onetime = boolean()?,
                "noop" => self.noop = boolean()?,
                "sync-only" => self.sync_only = boolean()?,
                "keepstagefile" | "keep-stage-file" => self.keep_stage_file = boolean()?,
                "log-level" => self.log_level = Some(string()?),
                "nodes" => {
                    let list = value
                        .as_array()
                        .ok_or_else(|| wrong("an array of strings"))?;
                    self.nodes = list
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_owned)
                                .ok_or_else(|| wrong("an array of strings"))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "client_cert" => self.client_cert = Some(string()?.into()),
                "client_key" => self.client_key = Some(string()?.into()),
                "client_cakeys" => self.client_cakeys = Some(string()?.into()),
                "basic_auth" => self.basic_auth = boolean()?,
                "username" => self.username = Some(string()?),
                "password" => self.password = Some(string()?),
                "auth_token" => self.auth_token = Some(string()?),
                "scheme" => self.scheme = string()?,
                "srv_domain" => self.srv_domain = Some(string()?),
                "srv_record" => self.srv_record = Some(string()?),
                "flotta_prefix" | "flotta-prefix" => self.registry_prefix = string()?,
                other => {
                    tracing::warn!(file = %file.display(), "ignoring unknown setting {other:?}")
                }
            }
        }
        Ok(())
    }

    /// `<confdir>/conf.d`: the template resources.
    pub fn conf_d(&self) -> PathBuf {
        self.confdir.join("conf.d")
    }

    /// `<confdir>/templates`: the templates.
    pub fn templates(&self) -> PathBuf {
        self.confdir.join("templates")
    }

    /// The nodes from the SRV record, when one is configured (confd's
    /// `getBackendNodesFromSRV`), else the nodes as given; `http://` is
    /// added where a node has no scheme.
    pub fn resolved_nodes(&self) -> Vec<String> {
        let record = self.srv_record.clone().or_else(|| {
            self.srv_domain
                .as_ref()
                .map(|d| format!("_{}._tcp.{d}.", self.backend))
        });
        let nodes = match record {
            Some(r) => crate::dns::lookup_srv("", "", &r)
                .into_iter()
                .map(|s| {
                    format!(
                        "{}://{}:{}",
                        self.scheme,
                        s.target.trim_end_matches('.'),
                        s.port
                    )
                })
                .collect(),
            None => self.nodes.clone(),
        };
        nodes
            .into_iter()
            .map(|n| {
                if n.contains("://") {
                    n
                } else {
                    let tls = self.client_cakeys.is_some() || self.client_cert.is_some();
                    format!("{}://{n}", if tls { "https" } else { "http" })
                }
            })
            .collect()
    }

    /// A path relative to `confdir` (for messages).
    pub fn relative<'a>(&self, p: &'a Path) -> &'a Path {
        p.strip_prefix(&self.confdir).unwrap_or(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfdError> {
        let mut all = vec!["-config-file", "/nonexistent/confd.toml"];
        all.extend_from_slice(args);
        Config::from_args(all, |_| None)
    }

    #[test]
    fn go_flag_spellings() {
        // confd's integration/etcdv3/test.sh, as written.
        let c = parse(&[
            "--onetime",
            "--log-level",
            "debug",
            "--confdir",
            "./integration/confdir",
            "--backend",
            "etcdv3",
            "--node",
            "http://127.0.0.1:2379",
            "--watch",
        ])
        .unwrap();
        assert!(c.onetime && c.watch);
        assert_eq!(c.log_level.as_deref(), Some("debug"));
        assert_eq!(c.confdir, Path::new("./integration/confdir"));
        // Single dashes, `=`, repeated nodes, and booleans set false.
        let c = parse(&[
            "-backend=etcdv3",
            "-node",
            "http://a:2379",
            "-node=http://b:2379",
            "-watch=false",
            "-interval",
            "30",
        ])
        .unwrap();
        assert_eq!(c.nodes, ["http://a:2379", "http://b:2379"]);
        assert!(!c.watch);
        assert_eq!(c.interval, 30);
        // The fork's backend-first form.
        let c = parse(&[])
            .and_then(|_| {
                Config::from_args(
                    ["etcdv3", "--onetime", "-config-file", "/nonexistent"],
                    |_| None,
                )
            })
            .unwrap();
        assert_eq!((c.backend.as_str(), c.onetime), ("etcdv3", true));
    }

    #[test]
    fn go_flag_errors() {
        let msg = |args: &[&str]| parse(args).unwrap_err().to_string();
        assert!(msg(&["-bogus"]).starts_with("flag provided but not defined: -bogus"));
        assert!(msg(&["-node"]).starts_with("flag needs an argument: -node"));
        assert!(msg(&["-watch=maybe"]).starts_with("invalid boolean value \"maybe\" for -watch"));
        assert!(
            msg(&["-interval", "soon"]).starts_with("invalid value \"soon\" for flag -interval")
        );
        assert!(msg(&["---x"]).starts_with("bad flag syntax: ---x"));
        assert!(msg(&["-backend", "consul"]).contains("not supported"));
    }

    #[test]
    fn file_then_env_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("confd.toml");
        // confd's docs/configuration-guide.md example (with a reachable node).
        std::fs::write(
            &file,
            "backend = \"etcd\"\nclient_cert = \"/etc/confd/ssl/client.crt\"\nclient_key = \"/etc/confd/ssl/client.key\"\nconfdir = \"/etc/confd\"\nlog-level = \"debug\"\ninterval = 600\nnodes = [\n  \"http://127.0.0.1:4001\",\n]\nnoop = false\nprefix = \"/production\"\nscheme = \"https\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "CONFD_CLIENT_CAKEYS").then(|| "/ca.pem".to_owned());
        let f = file.display().to_string();
        let c = Config::from_args(["-config-file", &f, "-prefix", "/staging"], env).unwrap();
        assert_eq!(c.nodes, ["http://127.0.0.1:4001"]);
        assert_eq!(c.prefix, "/staging", "flags win over the file");
        assert_eq!(c.client_cakeys.as_deref(), Some(Path::new("/ca.pem")));
        assert_eq!(
            c.client_cert.as_deref(),
            Some(Path::new("/etc/confd/ssl/client.crt"))
        );
        std::fs::write(&file, "interval = \"soon\"\n").unwrap();
        let err = Config::from_args(["-config-file", &f], |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("interval: expected an integer"), "{err}");
        std::fs::write(&file, "interval = \n").unwrap();
        let err = Config::from_args(["-config-file", &f], |_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1, column"), "{err}");
    }
}
