//! The three ways confd runs: once (`onetime`), every `interval` seconds,
//! or watching the keys (`watch`): each resource follows its keys, a burst
//! of changes settles into one run (the resource's `debounce`, 20 ms by
//! default), and a failure is reported while the resource keeps following,
//! so the next change — or fixing the template file — recovers it.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use flotta_balancer::debounce::Debounce;
use flotta_registry::kv::KvBackend;
use tokio::sync::{mpsc, watch};

use crate::config::Config;
use crate::error::ConfdError;
use crate::keyspace::{Keyspace, Snapshot};
use crate::process::{Mode, Outcome, process};
use crate::resource::{TemplateResource, find_resources};

/// One run of one resource and what became of it.
#[derive(Debug)]
pub struct Report {
    /// The resource file.
    pub resource: PathBuf,
    /// Its destination.
    pub dest: PathBuf,
    /// The store revision the run read.
    pub revision: u64,
    /// When the run finished.
    pub at: Instant,
    /// What it did, or why it failed.
    pub result: Result<Outcome, ConfdError>,
}

/// The template resources of `config`'s confdir, and the files that could
/// not be read (each error names its file). confd stops at a bad file;
/// here the others still run.
///
/// # Errors
/// `conf.d` cannot be listed.
pub fn load_resources(
    config: &Config,
) -> Result<(Vec<TemplateResource>, Vec<ConfdError>), ConfdError> {
    let conf_d = config.conf_d();
    if !conf_d.exists() {
        tracing::warn!(
            "cannot load template resources: confdir {} does not exist",
            config.confdir.display()
        );
        return Ok((Vec::new(), Vec::new()));
    }
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for file in find_resources(&conf_d)? {
        match TemplateResource::load(&file, &config.templates(), &config.prefix) {
            Ok(r) => resources.push(r),
            Err(e) => errors.push(e),
        }
    }
    if resources.is_empty() && errors.is_empty() {
        tracing::warn!("found no templates in {}", conf_d.display());
    }
    Ok((resources, errors))
}

/// Runs every resource once, in order; reports each.
pub async fn run_once<B: KvBackend + Clone + 'static>(
    keyspace: &Keyspace<B>,
    resources: &[TemplateResource],
    mode: Mode,
) -> Vec<Report> {
    let mut reports = Vec::with_capacity(resources.len());
    for r in resources {
        let (revision, result) = match keyspace.snapshot(&r.prefixed_keys()).await {
            Ok(snap) => (snap.revision, process(r, &snap, mode).await),
            Err(e) => (0, Err(e)),
        };
        reports.push(Report {
            resource: r.file.clone(),
            dest: r.dest.clone(),
            revision,
            at: Instant::now(),
            result,
        });
    }
    reports
}

/// Runs every resource each `config.interval` seconds, reading the
/// resource files anew each time (as confd does), until `reports` closes.
pub async fn run_interval<B: KvBackend + Clone + 'static>(
    config: &Config,
    keyspace: &Keyspace<B>,
    mode: Mode,
    reports: mpsc::UnboundedSender<Report>,
) {
    loop {
        match load_resources(config) {
            Ok((resources, errors)) => {
                for e in errors {
                    tracing::error!("{e}");
                }
                for report in run_once(keyspace, &resources, mode).await {
                    if reports.send(report).is_err() {
                        return;
                    }
                }
            }
            Err(e) => tracing::error!("{e}"),
        }
        tokio::time::sleep(Duration::from_secs(config.interval.max(1))).await;
    }
}

/// Follows every resource's keys and runs it after each settled change,
/// until `reports` closes.
pub async fn run_watch<B: KvBackend + Clone + Send + Sync + 'static>(
    keyspace: Keyspace<B>,
    resources: Vec<TemplateResource>,
    mode: Mode,
    reports: mpsc::UnboundedSender<Report>,
) {
    let mut tasks = tokio::task::JoinSet::new();
    for r in resources {
        tasks.spawn(keep(keyspace.clone(), r, mode, reports.clone()));
    }
    while tasks.join_next().await.is_some() {}
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// One resource in watch mode.
async fn keep<B: KvBackend + Clone + Send + Sync + 'static>(
    keyspace: Keyspace<B>,
    resource: TemplateResource,
    mode: Mode,
    reports: mpsc::UnboundedSender<Report>,
) {
    let (tx, mut rx) = watch::channel(Snapshot::default());
    let tx = std::sync::Arc::new(tx);
    let keys = resource.prefixed_keys();
    let follow_tx = std::sync::Arc::clone(&tx);
    let follower = tokio::spawn(async move {
        let publish = |snap: &Snapshot| {
            follow_tx.send_if_modified(|cur| {
                let changed = cur.kvs != snap.kvs || cur.revision == 0;
                cur.revision = snap.revision;
                if changed {
                    cur.kvs = snap.kvs.clone();
                }
                changed
            });
            !follow_tx.is_closed()
        };
        if let Err(e) = keyspace.follow(&keys, publish).await {
            tracing::error!("{e}");
        }
    });
    // Fixing a template file is a change too: look at it every second, and
    // poke the snapshot so the one waiting loop below runs again.
    let src = resource.src.clone();
    let poke_tx = std::sync::Arc::clone(&tx);
    let poker = tokio::spawn(async move {
        let mut seen = modified(&src);
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let now = modified(&src);
            if now != seen {
                seen = now;
                // Only once something was read: the first run comes anyway.
                poke_tx.send_if_modified(|cur| cur.revision != 0);
            }
            if poke_tx.is_closed() {
                return;
            }
        }
    });
    drop(tx);
    let mut debounce = Debounce::new(resource.debounce, resource.min_reload_interval);
    let mut failed = false;
    // `Debounce::next` is not cancelled midway (no select!): a change it
    // has seen is never dropped.
    while let Some(snap) = debounce.next(&mut rx).await {
        let result = process(&resource, &snap, mode).await;
        match &result {
            Err(e) => {
                failed = true;
                tracing::error!("{e}");
            }
            Ok(_) if failed => {
                failed = false;
                tracing::info!(dest = %resource.dest.display(), "recovered");
            }
            Ok(_) => {}
        }
        let report = Report {
            resource: resource.file.clone(),
            dest: resource.dest.clone(),
            revision: snap.revision,
            at: Instant::now(),
            result,
        };
        if reports.send(report).is_err() {
            break;
        }
    }
    follower.abort();
    poker.abort();
}
