//! The conformance suite on a real etcd, started per test on free loopback
//! ports; "disconnect" kills etcd with SIGKILL and restarts it on its data dir.

mod conformance;

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::testkit::EtcdServer;
use flotta_registry::{EtcdBackend, EtcdOptions};

struct Etcd {
    server: Mutex<EtcdServer>,
}

impl Etcd {
    fn new() -> Self {
        let server = EtcdServer::start()
            .expect("etcd must be installed (scripts/test installs etcd-server)");
        Etcd {
            server: Mutex::new(server),
        }
    }

    fn url(&self) -> String {
        self.server.lock().expect("lock").client_url()
    }
}

#[async_trait]
impl conformance::Harness for Etcd {
    type Backend = EtcdBackend;

    async fn backend(&self) -> EtcdBackend {
        EtcdBackend::connect(&EtcdOptions::new([self.url()]))
            .await
            .expect("connect to etcd")
    }

    async fn lapse(&self, _backend: &EtcdBackend, _ttl: Duration) {
        // Real time: the suite waits (bounded) for the lease to end.
    }

    async fn disconnect(&self, _backend: &EtcdBackend) {
        let mut server = self.server.lock().expect("lock");
        server.kill();
        server.restart().expect("etcd restarts on its data dir");
    }

    async fn compact(&self, backend: &EtcdBackend, revision: u64) {
        backend.compact(revision).await.expect("compact");
    }
}

conformance!(Etcd::new());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_member_cluster_survives_losing_one() {
    use flotta_registry::Registry;
    let mut members = EtcdServer::cluster(3).expect("3-member etcd");
    let urls: Vec<String> = members.iter().map(EtcdServer::client_url).collect();
    let r = Registry::new(
        EtcdBackend::connect(&EtcdOptions::new(urls))
            .await
            .expect("connect"),
    );
    r.kv_set("/applications/sample/a", "127.0.0.1:8080", None)
        .await
        .expect("set");
    members[0].kill();
    conformance::eventually("writes to continue after losing a member", || async {
        r.kv_set("/applications/sample/b", "127.0.0.2:8080", None)
            .await
            .is_ok()
    })
    .await;
    let all = r.kv_list("/applications/sample/").await.expect("list");
    assert_eq!(all.len(), 2, "nothing lost: {all:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_a_private_ca() {
    use flotta_registry::{Registry, TlsFiles};
    let (server, ca) = EtcdServer::start_tls().expect("etcd over TLS (needs etcd and openssl)");
    let mut options = EtcdOptions::new([server.client_url()]);
    options.tls = Some(TlsFiles { ca, client: None });
    let backend = EtcdBackend::connect(&options).await.expect("TLS connect");
    let r = Registry::new(backend);
    conformance::eventually("a write over TLS", || async {
        r.kv_set("/applications/sample/tls", "127.0.0.1:8443", None)
            .await
            .is_ok()
    })
    .await;
    assert_eq!(
        r.kv_get("/applications/sample/tls")
            .await
            .expect("get")
            .as_deref(),
        Some("127.0.0.1:8443")
    );
    // Without the CA, the connection is refused: nothing unverified is trusted.
    let plain = EtcdBackend::connect(&EtcdOptions::new([server.client_url()])).await;
    if let Ok(b) = plain {
        assert!(
            Registry::new(b)
                .kv_get("/applications/sample/tls")
                .await
                .is_err()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_and_password() {
    use flotta_registry::Registry;
    let server = EtcdServer::start().expect("etcd");
    let url = server.client_url();
    let etcdctl = |args: &[&str]| {
        let out = std::process::Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &url])
            .args(args)
            .output()
            .expect("etcdctl must be installed (scripts/test installs etcd-client)");
        assert!(
            out.status.success(),
            "etcdctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    etcdctl(&["user", "add", "root:flotta-secret"]);
    etcdctl(&["auth", "enable"]);
    let mut options = EtcdOptions::new([url.clone()]);
    options.user = Some(("root".into(), "flotta-secret".into()));
    let r = Registry::new(
        EtcdBackend::connect(&options)
            .await
            .expect("connect with a password"),
    );
    r.kv_set("/applications/sample/auth", "ok", None)
        .await
        .expect("authorised write");
    let anonymous = Registry::new(
        EtcdBackend::connect(&EtcdOptions::new([url]))
            .await
            .expect("connect"),
    );
    assert!(
        anonymous.kv_get("/applications/sample/auth").await.is_err(),
        "auth is enforced"
    );
}
