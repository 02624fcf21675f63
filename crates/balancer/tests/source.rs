//! Sources on both backends: the seed's raw `host:port` keys (malformed values
//! skipped) and typed endpoints, listed then watched.

use std::time::Duration;

use flotta_balancer::Pool;
use flotta_balancer::source::{Selector, follow};
use flotta_registry::kv::KvBackend;
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions, MemoryBackend, Registry};
use tokio::sync::watch;

async fn until(rx: &mut watch::Receiver<Pool>, what: &str, f: impl Fn(&Pool) -> bool) -> Pool {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            {
                let p = rx.borrow_and_update();
                if f(&p) {
                    return p.clone();
                }
            }
            rx.changed().await.expect("source running");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

async fn raw_prefix<B>(registry: Registry<B>)
where
    B: KvBackend + Clone + Send + Sync + 'static,
{
    // What the seed's units do: etcdctl set /applications/sample/<unit> host:port
    registry
        .kv_set(
            "/applications/sample/sample.application.1@8080.service",
            "127.0.0.1:8080",
            None,
        )
        .await
        .expect("set");
    registry
        .kv_set("/applications/sample/broken", "not an address", None)
        .await
        .expect("set");
    let (tx, mut rx) = watch::channel(Pool::default());
    let task = tokio::spawn(follow(
        registry.clone(),
        Selector::Prefix("/applications/sample/".into()),
        tx,
    ));
    let p = until(&mut rx, "the listed backend", |p| p.backends.len() == 1).await;
    assert_eq!(p.backends[0].id, "sample.application.1@8080.service");
    assert_eq!(p.backends[0].authority(), "127.0.0.1:8080");
    registry
        .kv_set(
            "/applications/sample/sample.application.2@8080.service",
            "127.0.0.2:8080",
            None,
        )
        .await
        .expect("set");
    until(&mut rx, "the second backend", |p| p.backends.len() == 2).await;
    registry
        .kv_delete("/applications/sample/sample.application.1@8080.service")
        .await
        .expect("rm");
    let p = until(&mut rx, "the removal", |p| p.backends.len() == 1).await;
    assert_eq!(p.backends[0].address, "127.0.0.2");
    // A value turning malformed drops the backend, it does not keep a stale one.
    registry
        .kv_set(
            "/applications/sample/sample.application.2@8080.service",
            "127.0.0.2",
            None,
        )
        .await
        .expect("set");
    until(&mut rx, "the malformed value to drop it", |p| {
        p.backends.is_empty()
    })
    .await;
    task.abort();
}

#[tokio::test]
async fn raw_keys_on_memory() {
    raw_prefix(Registry::new(MemoryBackend::default())).await;
}

#[tokio::test]
async fn raw_keys_on_etcd() {
    let etcd = EtcdServer::start().expect("etcd");
    let backend = EtcdBackend::connect(&EtcdOptions::new([etcd.client_url()]))
        .await
        .expect("connect");
    raw_prefix(Registry::new(backend)).await;
}
