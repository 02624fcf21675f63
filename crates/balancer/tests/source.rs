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

/// Values that would end a directive in a balancer config and start another
/// (another service's `server {`, a `listen`) never become backends, whether
/// they come as raw keys or as typed endpoints, and so never reach a config.
#[tokio::test]
async fn injected_values_never_reach_a_config() {
    use flotta_balancer::template::{Params, Renderer};
    use flotta_registry::model::Endpoint;

    let registry = Registry::new(MemoryBackend::default());
    for (key, value) in [
        ("/applications/x/good@1.service", "127.0.0.1:8080"),
        ("/applications/x/evil", "1.2.3.4:80; } server { listen 9"),
        ("/applications/x/evil2", "evil.example;listen 9:80"),
        ("/applications/x/evil3", "1.2.3.4;}server{listen:80"),
        ("/applications/x/a;b c", "127.0.0.3:80"),
        ("/applications/x/nl\n}", "127.0.0.4:80"),
    ] {
        registry.kv_set(key, value, None).await.expect("set");
    }
    let (pool, _) =
        flotta_balancer::source::list(&registry, &Selector::Prefix("/applications/x/".into()))
            .await
            .expect("list raw");
    let ids: Vec<&str> = pool.values().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["good@1.service"], "raw backends");

    let lease = registry
        .backend()
        .grant(Duration::from_secs(600))
        .await
        .expect("lease");
    let endpoint = |id: &str, address: &str| Endpoint {
        service: "web".into(),
        id: id.into(),
        address: address.into(),
        port: 8080,
        unit: id.into(),
        machine: "m".into(),
        tags: Vec::new(),
        weight: None,
        backup: false,
    };
    for e in [
        endpoint("web@1.service", "127.0.0.1"),
        endpoint("web@2.service", "1.2.3.4:80; } server { listen 9"),
        endpoint("web@3.service; } server {", "127.0.0.3"),
    ] {
        registry.put_endpoint(&e, lease).await.expect("register");
    }
    let (typed, _) = flotta_balancer::source::list(&registry, &Selector::Service("web".into()))
        .await
        .expect("list typed");
    let ids: Vec<&str> = typed.values().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["web@1.service"], "typed backends");

    let renderer = Renderer::new();
    for (service, backends) in [("x", pool), ("web", typed)] {
        let pool = Pool {
            service: service.into(),
            backends: backends.into_values().collect(),
            revision: 1,
        };
        for template in ["nginx", "haproxy", "apache"] {
            let out = renderer
                .render(template, &pool, &Params::new())
                .expect("render");
            for bad in ["1.2.3.4", "}server", "listen 9", "listen:80", "a;b", "evil"] {
                assert!(
                    !out.contains(bad),
                    "{template} for {service} renders {bad:?}:\n{out}"
                );
            }
        }
    }
}
