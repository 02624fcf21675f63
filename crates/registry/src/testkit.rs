//! A real etcd for tests and demos (`flotta demo --etcd`): started on free loopback ports with its own data
//! directory, killed with SIGKILL and restarted on demand. Behind the
//! `testkit` feature; other crates' integration tests use it too.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One etcd member (or a member of a local cluster).
#[derive(Debug)]
pub struct EtcdServer {
    name: String,
    client_port: u16,
    peer_port: u16,
    initial_cluster: String,
    data_dir: PathBuf,
    tls: Option<(PathBuf, PathBuf)>,
    child: Option<Child>,
    _scratch: Option<tempfile::TempDir>,
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    // tmpfs when there is one: etcd fsyncs every write.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("flotta-etcd-")
            .tempdir_in(shm)
    } else {
        tempfile::Builder::new().prefix("flotta-etcd-").tempdir()
    }
}

impl EtcdServer {
    /// Starts a single-member etcd and waits until it answers.
    ///
    /// # Errors
    /// The `etcd` binary is missing (install Debian's `etcd-server`; `scripts/test`
    /// does) or it did not become healthy in 20 s.
    pub fn start() -> std::io::Result<EtcdServer> {
        let mut members = Self::cluster(1)?;
        members
            .pop()
            .ok_or_else(|| std::io::Error::other("no member"))
    }

    /// Starts an `n`-member cluster on 127.0.0.1 and waits until every member answers.
    ///
    /// # Errors
    /// As [`EtcdServer::start`].
    pub fn cluster(n: usize) -> std::io::Result<Vec<EtcdServer>> {
        // A port found free can be taken before etcd binds it: try fresh ports.
        let mut last = None;
        for _ in 0..3 {
            match Self::try_cluster(n) {
                Ok(servers) => return Ok(servers),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("etcd did not start")))
    }

    fn try_cluster(n: usize) -> std::io::Result<Vec<EtcdServer>> {
        let scratch = scratch_dir()?;
        let mut members = Vec::new();
        for i in 0..n {
            members.push((format!("m{i}"), free_port()?, free_port()?));
        }
        let initial_cluster = members
            .iter()
            .map(|(name, _, peer)| format!("{name}=http://127.0.0.1:{peer}"))
            .collect::<Vec<_>>()
            .join(",");
        let base = scratch.path().to_path_buf();
        let mut servers: Vec<EtcdServer> = members
            .into_iter()
            .map(|(name, client_port, peer_port)| EtcdServer {
                data_dir: base.join(&name),
                name,
                client_port,
                peer_port,
                initial_cluster: initial_cluster.clone(),
                tls: None,
                child: None,
                _scratch: None,
            })
            .collect();
        for s in &mut servers {
            s.spawn()?;
        }
        for s in &servers {
            s.wait_healthy(Duration::from_secs(20))?;
        }
        if let Some(first) = servers.first_mut() {
            first._scratch = Some(scratch);
        }
        Ok(servers)
    }

    /// Starts a single-member etcd serving clients over TLS with a throwaway
    /// CA made with the `openssl` command; returns it and the CA's PEM file.
    ///
    /// # Errors
    /// `etcd` or `openssl` missing, or etcd not answering in 20 s.
    pub fn start_tls() -> std::io::Result<(EtcdServer, PathBuf)> {
        let scratch = scratch_dir()?;
        let dir = scratch.path();
        let certs = TestCerts::create(dir)?;
        let ca = certs.ca.clone();
        let (client_port, peer_port) = (free_port()?, free_port()?);
        let mut server = EtcdServer {
            name: "tls".into(),
            client_port,
            peer_port,
            initial_cluster: format!("tls=http://127.0.0.1:{peer_port}"),
            data_dir: dir.join("data"),
            tls: Some((certs.cert, certs.key)),
            child: None,
            _scratch: None,
        };
        server.spawn()?;
        server.wait_listening(Duration::from_secs(20))?;
        server._scratch = Some(scratch);
        Ok((server, ca))
    }

    fn wait_listening(&self, timeout: Duration) -> std::io::Result<()> {
        let deadline = Instant::now() + timeout;
        while std::net::TcpStream::connect(("127.0.0.1", self.client_port)).is_err() {
            if Instant::now() > deadline {
                return Err(std::io::Error::other("etcd did not listen in time"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    fn spawn(&mut self) -> std::io::Result<()> {
        let client = self.client_url();
        let peer = format!("http://127.0.0.1:{}", self.peer_port);
        let mut command = Command::new("etcd");
        if let Some((cert, key)) = &self.tls {
            command
                .arg("--cert-file")
                .arg(cert)
                .arg("--key-file")
                .arg(key);
        }
        let child = command
            .args(["--name", &self.name])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--listen-client-urls", &client])
            .args(["--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer])
            .args(["--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", &self.initial_cluster])
            .args(["--initial-cluster-state", "new"])
            .args(["--initial-cluster-token", "flotta-test"])
            .args(["--heartbeat-interval", "50", "--election-timeout", "500"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot start etcd ({e}); install Debian's etcd-server (scripts/test does)"
                    ),
                )
            })?;
        self.child = Some(child);
        Ok(())
    }

    fn wait_healthy(&self, timeout: Duration) -> std::io::Result<()> {
        let deadline = Instant::now() + timeout;
        let addr = format!("127.0.0.1:{}", self.client_port);
        loop {
            // etcd answers its health endpoint once it has a leader.
            if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
                use std::io::{Read, Write};
                let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
                let req = format!("GET /health HTTP/1.0\r\nHost: {addr}\r\n\r\n");
                if s.write_all(req.as_bytes()).is_ok() {
                    let mut body = String::new();
                    let _ = s.read_to_string(&mut body);
                    if body.contains("\"health\":\"true\"") {
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                return Err(std::io::Error::other(format!(
                    "etcd {} did not become healthy in {timeout:?}",
                    self.name
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The client URL, e.g. `http://127.0.0.1:41234`.
    pub fn client_url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.client_port)
    }

    /// Kills the member with SIGKILL (no clean shutdown).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the member again on the same data directory and ports.
    ///
    /// # Errors
    /// As [`EtcdServer::start`].
    pub fn restart(&mut self) -> std::io::Result<()> {
        self.kill();
        self.spawn()?;
        self.wait_healthy(Duration::from_secs(20))
    }
}

impl Drop for EtcdServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A throwaway CA and a server certificate for `127.0.0.1`, made with the
/// `openssl` command (as etcd's TLS tests use).
#[derive(Debug, Clone)]
pub struct TestCerts {
    /// The CA certificate (PEM): what a client trusts.
    pub ca: PathBuf,
    /// The server certificate (PEM), for IP 127.0.0.1.
    pub cert: PathBuf,
    /// The server's private key (PEM).
    pub key: PathBuf,
}

impl TestCerts {
    /// Writes `ca.pem`, `server.pem` and `server.key` into `dir`.
    ///
    /// # Errors
    /// `openssl` missing or failing.
    pub fn create(dir: &std::path::Path) -> std::io::Result<TestCerts> {
        let openssl = |args: &[&str]| -> std::io::Result<()> {
            let status = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!("openssl: {e} (install Debian's openssl)"),
                    )
                })?;
            if status.success() {
                Ok(())
            } else {
                Err(std::io::Error::other(format!("openssl {args:?} failed")))
            }
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=flotta-test-ca",
        ])?;
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ])?;
        std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n")?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "ext.cnf",
        ])?;
        Ok(TestCerts {
            ca: dir.join("ca.pem"),
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
        })
    }
}
