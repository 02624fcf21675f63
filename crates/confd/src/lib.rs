//! A drop-in for confd: its template resources and Go templates, unchanged,
//! kept current from etcd or flotta's registry.
//!
//! confd keeps local configuration files in step with a key store: each
//! *template resource* (`<confdir>/conf.d/*.toml`) names keys, a Go
//! `text/template` (`<confdir>/templates/…`), a destination, and commands
//! to check and reload. Thousands of such files exist; this crate runs them
//! as they are:
//!
//! - [`Config`]: `confd.toml`, `CONFD_CLIENT_*` and confd's flags, spelled
//!   as Go's `flag` package takes them (`-onetime`, `--watch`,
//!   `-node URL`).
//! - [`TemplateResource`]: `[template]` with `src`, `dest`, `keys`,
//!   `prefix`, `uid`/`owner`, `gid`/`group`, `mode`, `check_cmd`
//!   (`{{.src}}`), `reload_cmd`, and the fork's `debounce` and
//!   `min_reload_interval`.
//! - [`func_map`]: confd's template functions over a [`Store`] (`get`,
//!   `gets`, `getv`, `getvs`, `exists`, `ls`, `lsdir`, `base`, `dir`,
//!   `split`, `join`, `json`, `jsonArray`, `map`, `datetime`, …), rendered by
//!   [`flotta_gotemplate`] with Go's semantics.
//! - [`Keyspace`]: keys from any [`flotta_registry::kv::KvBackend`] — etcd
//!   v3 directly (where `etcdctl put` and `flotta kv set` write), or a
//!   flotta API server — plus flotta's service endpoints as a read-only
//!   tree under [`ENDPOINTS_ROOT`].
//! - [`process`](process()): render, stage next to the destination,
//!   compare, `check_cmd`, atomic rename, `reload_cmd`. A file that fails
//!   its check never replaces a good one; a failed reload puts the previous
//!   file back.
//! - [`run_once`], [`run_interval`], [`run_watch`]: confd's `-onetime`,
//!   polling, and `-watch` modes. In watch mode a change reaches the reload
//!   command in tens of milliseconds, a burst of changes is one reload, and
//!   a failing resource is reported and keeps following its keys, so it
//!   recovers when the cause is fixed.
//!
//! # Example
//!
//! ```
//! use flotta_confd::{Keyspace, Mode, Outcome, TemplateResource, process};
//! use flotta_registry::{MemoryBackend, Registry};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::create_dir(dir.path().join("templates")).unwrap();
//! std::fs::write(
//!     dir.path().join("templates/balancer.conf.tmpl"),
//!     "<Proxy balancer://sample>\n{{- range gets \"/applications/sample/*\"}}\n  BalancerMember http://{{.Value}}\n{{- end}}\n</Proxy>\n",
//! ).unwrap();
//! let toml = format!(
//!     "[template]\nsrc = \"balancer.conf.tmpl\"\ndest = \"{}\"\nkeys = [\"/applications/sample\"]\n",
//!     dir.path().join("balancer.conf").display()
//! );
//! let resource = TemplateResource::parse(
//!     &dir.path().join("conf.d/balancer.toml"), &toml, &dir.path().join("templates"), "",
//! ).unwrap();
//!
//! // The seed's `etcdctl set /applications/sample/<unit> host:port`.
//! let registry = Registry::new(MemoryBackend::default());
//! registry.kv_set("/applications/sample/sample.application.1", "127.0.0.1:8080", None).await.unwrap();
//! registry.kv_set("/applications/sample/sample.application.2", "127.0.0.2:8080", None).await.unwrap();
//!
//! let keyspace = Keyspace::new(registry.backend().clone(), "/flotta/v1/");
//! let snapshot = keyspace.snapshot(&resource.prefixed_keys()).await.unwrap();
//! let outcome = process(&resource, &snapshot, Mode::default()).await.unwrap();
//! assert_eq!(outcome, Outcome::Updated { reloaded: false });
//! assert_eq!(
//!     std::fs::read_to_string(dir.path().join("balancer.conf")).unwrap(),
//!     "<Proxy balancer://sample>\n  BalancerMember http://127.0.0.1:8080\n  BalancerMember http://127.0.0.2:8080\n</Proxy>\n",
//! );
//! # });
//! ```

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod config;
mod dns;
mod error;
mod funcs;
mod gopath;
mod gotime;
mod keyspace;
mod process;
mod resource;
mod run;
mod store;

pub use config::{BACKENDS, Config, usage};
pub use dns::{Srv, lookup_ip, lookup_srv, lookup_srv_with};
pub use error::{ConfdError, ErrorKind};
pub use funcs::func_map;
pub use keyspace::{ENDPOINTS_ROOT, Keyspace, Snapshot, covers};
pub use process::{Mode, Outcome, process, render, store_for};
pub use resource::{DEFAULT_DEBOUNCE, TemplateResource, find_resources};
pub use run::{Report, load_resources, run_interval, run_once, run_watch};
pub use store::Store;
