//! Keeping balancers applied: follow a source, settle bursts, apply.

use std::path::PathBuf;
use std::sync::Arc;

use flotta_registry::Registry;
use flotta_registry::kv::KvBackend;
use tokio::sync::{mpsc, watch};

use crate::apply::{Applied, Applier};
use crate::backend::Pool;
use crate::debounce::Debounce;
use crate::error::BalancerError;
use crate::haproxy::RuntimeApi;
use crate::source::{Selector, follow};
use crate::template::Renderer;

/// One settled change and what became of it.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file kept up to date.
    pub dest: PathBuf,
    /// The store revision the change reflects.
    pub revision: u64,
    /// Backends in the pool.
    pub backends: usize,
    /// How the change was applied: `Ok(true)` when the balancer reloaded,
    /// `Ok(false)` when no reload was needed, or the error.
    pub result: Result<bool, String>,
}

/// How changes reach the balancer.
#[derive(Debug)]
pub enum Mode {
    /// Re-render the file and reload on every change.
    Reload,
    /// HAProxy: fill `server-template` slots over the stats socket; reload
    /// only when the slots run out (then with twice as many).
    Runtime(RuntimeApi),
}

/// Follows `selector` and keeps `applier`'s file right until the source
/// ends. Every settled change is sent to `reports` when given.
///
/// # Errors
/// Only a registry failure that ends the source.
pub async fn keep_applied<B>(
    registry: Registry<B>,
    selector: Selector,
    mut applier: Applier,
    renderer: Arc<Renderer>,
    mut debounce: Debounce,
    mut mode: Mode,
    reports: Option<mpsc::UnboundedSender<Report>>,
) -> Result<(), BalancerError>
where
    B: KvBackend + Clone + Send + Sync + 'static,
{
    let (tx, mut rx) = watch::channel(Pool::default());
    let source = tokio::spawn(follow(registry, selector, tx));
    let mut started = false;
    while let Some(pool) = debounce.next(&mut rx).await {
        let result = match &mut mode {
            Mode::Reload => applier
                .apply(&renderer, &pool)
                .await
                .map(|a| a == Applied::Replaced && applier.resource().reload_cmd.is_some()),
            Mode::Runtime(api) => {
                runtime_apply(&mut applier, &renderer, api, &mut started, &pool).await
            }
        };
        let result = result.map_err(|e| {
            tracing::error!("{e}");
            e.to_string()
        });
        if let Some(reports) = &reports {
            let _ = reports.send(Report {
                dest: applier.resource().dest.clone(),
                revision: pool.revision,
                backends: pool.backends.len(),
                result,
            });
        }
    }
    source
        .await
        .map_err(|e| BalancerError::Runtime(format!("source task: {e}")))?
}

async fn runtime_apply(
    applier: &mut Applier,
    renderer: &Renderer,
    api: &mut RuntimeApi,
    started: &mut bool,
    pool: &Pool,
) -> Result<bool, BalancerError> {
    let slots = |a: &Applier| {
        a.resource()
            .params
            .get("slots")
            .and_then(serde_json::Value::as_u64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    if !*started {
        // The running file is this render (it was, or it is now): its first
        // slots hold the pool's backends in order.
        let reloaded = applier.apply(renderer, pool).await? == Applied::Replaced;
        if reloaded {
            wait_for_slots(api, slots(applier)).await?;
        }
        api.reset(slots(applier), pool);
        *started = true;
        return Ok(reloaded);
    }
    match api.sync(pool).await {
        Ok(_) => Ok(false),
        Err(BalancerError::Runtime(why)) if pool.backends.len() > slots(applier) => {
            let more = (pool.backends.len() * 2).max(8);
            tracing::info!("{why}: growing to {more} slots and reloading");
            applier.set_param("slots", more.into());
            applier.apply(renderer, pool).await?;
            wait_for_slots(api, more).await?;
            api.reset(more, pool);
            Ok(true)
        }
        Err(e) => Err(e),
    }
}

/// Waits until the (asynchronously) reloaded HAProxy answers on the stats
/// socket with `slots` slots.
async fn wait_for_slots(api: &RuntimeApi, slots: usize) -> Result<(), BalancerError> {
    let last = format!("slot{slots}");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let state = api.command("show servers state").await.unwrap_or_default();
        if state.contains(&last) {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            return Err(BalancerError::Runtime(format!(
                "the reloaded haproxy does not show {last}"
            )));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Follows `selector` and hands every change to the built-in proxy at once
/// (an update is cheap: no files, no reload).
///
/// # Errors
/// Only a registry failure that ends the source.
pub async fn keep_proxied<B>(
    registry: Registry<B>,
    selector: Selector,
    proxy: crate::proxy::ProxyHandle,
) -> Result<(), BalancerError>
where
    B: KvBackend + Clone + Send + Sync + 'static,
{
    let (tx, mut rx) = watch::channel(Pool::default());
    let source = tokio::spawn(follow(registry, selector, tx));
    while rx.changed().await.is_ok() {
        let pool = rx.borrow_and_update().clone();
        proxy.update(&pool).await;
    }
    source
        .await
        .map_err(|e| BalancerError::Runtime(format!("source task: {e}")))?
}
