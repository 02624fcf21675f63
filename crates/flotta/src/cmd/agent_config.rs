//! `flotta agent`'s settings: flags, `FLOTTA_*` variables and an optional
//! TOML file, in that order of precedence, then the defaults.
//!
//! clap fills a flag from the command line or its variable; what neither
//! gave falls back to the file (`--config`), then to the default. The file's
//! keys are the long flags' names (`state-dir`, `api-listen`, …); an unknown
//! key is an error naming it and its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use flotta_agent::machine::parse_metadata;
use flotta_api::discover::DEFAULT_SOCKET;
use flotta_api::{DEFAULT_ADDR, Listen, TlsFiles, check_exposure};
use flotta_registry::kv::KvBackend;
use flotta_registry::{EtcdBackend, EtcdOptions, Registry, TlsFiles as EtcdTls};
use serde::Deserialize;

/// Arguments of `flotta agent`.
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// Settings file (TOML; keys are these flags' long names, e.g.
    /// `state-dir = "/var/lib/flotta"`); flags and FLOTTA_* variables win over it.
    #[arg(long, env = "FLOTTA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run a whole development cluster in this process: `--machines` simulated
    /// machines (127.0.0.N, metadata machine=N) on a registry persisted under
    /// the state dir, with the API on 127.0.0.1:4949.
    #[arg(long, env = "FLOTTA_DEV")]
    pub dev: bool,
    /// With `--dev`: how many machines (1-254; default 3).
    #[arg(long, env = "FLOTTA_MACHINES", value_name = "N")]
    pub machines: Option<u16>,
    /// The registry: `memory` (this process only), `memory:PATH` (persisted to
    /// PATH), or etcd given with `--etcd`.
    #[arg(long, env = "FLOTTA_REGISTRY", value_name = "memory[:PATH]")]
    pub registry: Option<String>,
    /// etcd client URLs, comma-separated.
    #[arg(long, env = "FLOTTA_ETCD", value_delimiter = ',', value_name = "URL")]
    pub etcd: Vec<String>,
    /// Key prefix of the cluster in etcd (default `/flotta/v1/`).
    #[arg(long, env = "FLOTTA_ETCD_PREFIX", value_name = "PREFIX")]
    pub etcd_prefix: Option<String>,
    /// CA certificate that signed etcd's (PEM); use https:// endpoints.
    #[arg(long, env = "FLOTTA_ETCD_CACERT", value_name = "FILE")]
    pub etcd_cacert: Option<PathBuf>,
    /// Client certificate for etcd (PEM), with `--etcd-key`.
    #[arg(long, env = "FLOTTA_ETCD_CERT", value_name = "FILE")]
    pub etcd_cert: Option<PathBuf>,
    /// Client key for etcd (PEM), with `--etcd-cert`.
    #[arg(long, env = "FLOTTA_ETCD_KEY", value_name = "FILE")]
    pub etcd_key: Option<PathBuf>,
    /// etcd user, `USER:PASSWORD`.
    #[arg(long, env = "FLOTTA_ETCD_USER", value_name = "USER:PASS")]
    pub etcd_user: Option<String>,
    /// Where the agent keeps unit state, output and the journal (default
    /// /var/lib/flotta; with --dev, ~/.local/state/flotta/dev).
    #[arg(long, env = "FLOTTA_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// The address balancers and other machines reach this one at.
    #[arg(long, env = "FLOTTA_PUBLIC_IP")]
    pub public_ip: Option<String>,
    /// The address inside the cluster network.
    #[arg(long, env = "FLOTTA_PRIVATE_IP")]
    pub private_ip: Option<String>,
    /// Metadata, `key=value,key=value` (matched by `MachineMetadata=`).
    #[arg(long, env = "FLOTTA_METADATA")]
    pub metadata: Option<String>,
    /// Read the machine ID from this file (else one is generated into the
    /// state dir; default /etc/machine-id).
    #[arg(long, value_name = "FILE")]
    pub machine_id_file: Option<PathBuf>,
    /// Seconds the machine's lease outlives the agent (default 10).
    #[arg(long, env = "FLOTTA_LEASE_TTL_SECS", value_name = "SECS")]
    pub lease_ttl_secs: Option<u64>,
    /// Seconds a vanished machine keeps its units before the engine moves them (default 10).
    #[arg(long, env = "FLOTTA_RESCHEDULE_GRACE_SECS", value_name = "SECS")]
    pub reschedule_grace_secs: Option<u64>,
    /// Do not run an engine here (machines without one never lead).
    #[arg(long, env = "FLOTTA_NO_ENGINE")]
    pub no_engine: bool,
    /// Units this machine starts at once; later starts queue (default 32).
    #[arg(long, env = "FLOTTA_MAX_STARTING", value_name = "N")]
    pub max_starting: Option<usize>,
    /// Serve the API here: `unix:/path`, `IP:PORT` or `none` (default:
    /// unix:/run/flotta/flotta.sock, or flotta.sock in a --state-dir; with
    /// --dev, 127.0.0.1:4949). Over TCP clients need a token: --api-token,
    /// else one generated into the state dir (api.token, mode 0600). Off
    /// loopback TLS too.
    #[arg(long, env = "FLOTTA_API_LISTEN", value_name = "ADDR")]
    pub api_listen: Option<String>,
    /// Bearer token API clients must send.
    #[arg(
        long,
        env = "FLOTTA_API_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub api_token: Option<String>,
    /// A token that may only read (list, get, watch); default over TCP: one
    /// generated into the state dir (api-read.token, mode 0600).
    #[arg(
        long,
        env = "FLOTTA_API_READ_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub api_read_token: Option<String>,
    /// TLS certificate (PEM) for the API.
    #[arg(long, env = "FLOTTA_API_TLS_CERT", value_name = "FILE")]
    pub api_tls_cert: Option<PathBuf>,
    /// TLS key (PEM) for the API.
    #[arg(long, env = "FLOTTA_API_TLS_KEY", value_name = "FILE")]
    pub api_tls_key: Option<PathBuf>,
}

/// The `--config` file: the same settings, every one optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    dev: Option<bool>,
    machines: Option<u16>,
    registry: Option<String>,
    etcd: Option<Vec<String>>,
    etcd_prefix: Option<String>,
    etcd_cacert: Option<PathBuf>,
    etcd_cert: Option<PathBuf>,
    etcd_key: Option<PathBuf>,
    etcd_user: Option<String>,
    state_dir: Option<PathBuf>,
    public_ip: Option<String>,
    private_ip: Option<String>,
    /// A table: `metadata = { zone = "a" }`.
    metadata: Option<BTreeMap<String, String>>,
    machine_id_file: Option<PathBuf>,
    lease_ttl_secs: Option<u64>,
    reschedule_grace_secs: Option<u64>,
    no_engine: Option<bool>,
    max_starting: Option<usize>,
    api_listen: Option<String>,
    api_token: Option<String>,
    api_read_token: Option<String>,
    api_tls_cert: Option<PathBuf>,
    api_tls_key: Option<PathBuf>,
}

/// The registry an agent uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrySetting {
    /// In this process, optionally persisted to a file.
    Memory(Option<PathBuf>),
    /// etcd.
    Etcd(EtcdSetting),
}

/// How to reach etcd.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtcdSetting {
    /// Client URLs.
    pub endpoints: Vec<String>,
    /// Key prefix, when not the default.
    pub prefix: Option<String>,
    /// CA certificate.
    pub cacert: Option<PathBuf>,
    /// Client certificate and key.
    pub client: Option<(PathBuf, PathBuf)>,
    /// User and password.
    pub user: Option<(String, String)>,
}

impl EtcdSetting {
    /// Checks the flags' values: cert and key together, `USER:PASSWORD`.
    pub fn new(
        endpoints: Vec<String>,
        prefix: Option<String>,
        cacert: Option<PathBuf>,
        cert: Option<PathBuf>,
        key: Option<PathBuf>,
        user: Option<String>,
    ) -> anyhow::Result<EtcdSetting> {
        let client = match (cert, key) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => bail!("--etcd-cert and --etcd-key go together"),
        };
        let user = match user {
            None => None,
            Some(u) => match u.split_once(':') {
                Some((name, pass)) if !name.is_empty() => Some((name.to_owned(), pass.to_owned())),
                _ => bail!("--etcd-user: expected USER:PASSWORD"),
            },
        };
        if client.is_some() && cacert.is_none() {
            bail!("--etcd-cert/--etcd-key need --etcd-cacert too");
        }
        Ok(EtcdSetting {
            endpoints,
            prefix,
            cacert,
            client,
            user,
        })
    }

    /// The client options these settings describe.
    pub fn options(&self) -> EtcdOptions {
        let mut options = EtcdOptions::new(self.endpoints.clone());
        options.user = self.user.clone();
        options.tls = self.cacert.as_ref().map(|ca| EtcdTls {
            ca: ca.clone(),
            client: self.client.clone(),
        });
        options
    }

    /// Connects, with the prefix applied.
    pub async fn connect<B: From<EtcdBackend> + KvBackend>(&self) -> anyhow::Result<Registry<B>> {
        let backend = EtcdBackend::connect(&self.options())
            .await
            .with_context(|| format!("connecting to etcd at {}", self.endpoints.join(",")))?;
        Ok(match &self.prefix {
            Some(p) => Registry::with_prefix(B::from(backend), p),
            None => Registry::new(B::from(backend)),
        })
    }
}

/// Every setting, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Run a dev cluster of this many machines.
    pub dev: Option<u16>,
    /// The registry.
    pub registry: RegistrySetting,
    /// State directory.
    pub state_dir: PathBuf,
    /// Public address.
    pub public_ip: Option<String>,
    /// Private address.
    pub private_ip: Option<String>,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// Machine ID file.
    pub machine_id_file: PathBuf,
    /// Lease TTL in seconds.
    pub lease_ttl_secs: u64,
    /// Reschedule grace in seconds.
    pub reschedule_grace_secs: u64,
    /// No engine.
    pub no_engine: bool,
    /// Units started at once per machine.
    pub max_starting: usize,
    /// API address.
    pub api_listen: Option<Listen>,
    /// API token (may write).
    pub api_token: Option<String>,
    /// API token that may only read.
    pub api_read_token: Option<String>,
    /// API TLS certificate and key.
    pub api_tls: Option<TlsFiles>,
}

/// Parses a `--config` file's text; errors name the line, column and key.
fn parse_file(text: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {}", e.message())
        }
        None => e.message().to_owned(),
    })
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_file(&text).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))
}

fn dev_state_dir() -> PathBuf {
    match (std::env::var_os("XDG_STATE_HOME"), std::env::var_os("HOME")) {
        (Some(x), _) if !x.is_empty() => PathBuf::from(x).join("flotta/dev"),
        (_, Some(h)) if !h.is_empty() => PathBuf::from(h).join(".local/state/flotta/dev"),
        _ => PathBuf::from(".flotta-dev"),
    }
}

fn parse_listen(text: &str) -> anyhow::Result<Listen> {
    text.parse()
        .map_err(|e: String| anyhow::anyhow!("--api-listen {e}"))
}

impl AgentArgs {
    /// Resolves the settings: flag or variable, else the file, else the default.
    ///
    /// # Errors
    /// An unreadable or invalid file, or contradicting settings.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let dev = self.dev || file.dev.unwrap_or(false);
        let machines = self.machines.or(file.machines);
        if machines.is_some() && !dev {
            bail!("--machines is for a dev cluster: add --dev");
        }
        let file_state_dir = file.state_dir.clone();
        let state_dir = match self.state_dir.clone().or(file.state_dir) {
            Some(d) => d,
            None if dev => dev_state_dir(),
            None => PathBuf::from("/var/lib/flotta"),
        };
        let etcd = if self.etcd.is_empty() {
            file.etcd.unwrap_or_default()
        } else {
            self.etcd.clone()
        };
        let registry = match (self.registry.clone().or(file.registry), etcd.is_empty()) {
            (Some(_), false) => bail!("give either --registry memory[:PATH] or --etcd, not both"),
            (Some(r), true) if r == "memory" => RegistrySetting::Memory(None),
            (Some(r), true) => match r.strip_prefix("memory:") {
                Some(p) if !p.is_empty() => RegistrySetting::Memory(Some(PathBuf::from(p))),
                _ => bail!(
                    "--registry {r:?}: expected memory or memory:PATH (etcd is given with --etcd URL)"
                ),
            },
            (None, false) => RegistrySetting::Etcd(EtcdSetting::new(
                etcd,
                self.etcd_prefix.clone().or(file.etcd_prefix),
                self.etcd_cacert.clone().or(file.etcd_cacert),
                self.etcd_cert.clone().or(file.etcd_cert),
                self.etcd_key.clone().or(file.etcd_key),
                self.etcd_user.clone().or(file.etcd_user),
            )?),
            (None, true) if dev => RegistrySetting::Memory(Some(state_dir.join("registry.log"))),
            (None, true) => bail!(
                "flotta agent needs the registry: pass --etcd http://HOST:2379 (or set FLOTTA_ETCD), \
                 --registry memory[:PATH] for a single machine, or --dev --machines 3 for a dev cluster"
            ),
        };
        let metadata = match &self.metadata {
            Some(text) => parse_metadata(text).map_err(|m| anyhow::anyhow!("--metadata: {m}"))?,
            None => file.metadata.unwrap_or_default(),
        };
        let api_listen = match self.api_listen.clone().or(file.api_listen) {
            Some(text) if text == "none" => None,
            Some(text) => Some(parse_listen(&text)?),
            None if dev => Some(parse_listen(DEFAULT_ADDR)?),
            None if self.state_dir.is_none() && file_state_dir.is_none() => {
                Some(Listen::Unix(PathBuf::from(DEFAULT_SOCKET)))
            }
            None => Some(Listen::Unix(state_dir.join("flotta.sock"))),
        };
        let api_token = self.api_token.clone().or(file.api_token);
        let api_read_token = self.api_read_token.clone().or(file.api_read_token);
        let cert = self.api_tls_cert.clone().or(file.api_tls_cert);
        let key = self.api_tls_key.clone().or(file.api_tls_key);
        let api_tls = match (cert, key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => bail!("--api-tls-cert and --api-tls-key go together"),
        };
        if let Some(listen) = &api_listen {
            // Over TCP a token is generated when none is given.
            check_exposure(listen, true, api_tls.is_some()).map_err(|e| {
                anyhow::anyhow!("--api-listen: {e} (--api-token, --api-tls-cert/--api-tls-key)")
            })?;
        }
        Ok(Settings {
            dev: dev.then(|| machines.unwrap_or(3)),
            registry,
            state_dir,
            public_ip: self.public_ip.clone().or(file.public_ip),
            private_ip: self.private_ip.clone().or(file.private_ip),
            metadata,
            machine_id_file: self
                .machine_id_file
                .clone()
                .or(file.machine_id_file)
                .unwrap_or_else(|| PathBuf::from("/etc/machine-id")),
            lease_ttl_secs: self.lease_ttl_secs.or(file.lease_ttl_secs).unwrap_or(10),
            reschedule_grace_secs: self
                .reschedule_grace_secs
                .or(file.reschedule_grace_secs)
                .unwrap_or(10),
            no_engine: self.no_engine || file.no_engine.unwrap_or(false),
            max_starting: self
                .max_starting
                .or(file.max_starting)
                .unwrap_or(flotta_agent::supervisor::DEFAULT_MAX_STARTING),
            api_listen,
            api_token,
            api_read_token,
            api_tls,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err =
            parse_file("state-dir = \"/tmp/x\"\nstate_dri = \"/tmp\"\n").expect_err("bad key");
        assert!(err.contains("line 2") && err.contains("state_dri"), "{err}");
        let ok = parse_file("dev = true\nmachines = 2\nmetadata = { zone = \"a\" }\n").expect("ok");
        assert_eq!(ok.machines, Some(2));
    }

    #[test]
    fn api_addresses() {
        let open = parse_listen("0.0.0.0:4949").expect("addr");
        assert!(check_exposure(&open, false, false).is_err());
        assert!(check_exposure(&open, true, true).is_ok());
        assert!(check_exposure(&parse_listen("127.0.0.1:1").expect("addr"), false, false).is_err());
        assert!(check_exposure(&parse_listen("unix:/tmp/s").expect("unix"), false, false).is_ok());
        assert!(parse_listen("nope").is_err());
    }
}
