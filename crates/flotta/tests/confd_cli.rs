//! `flotta confd` as confd's users run it:
//!
//! - confd's integration cases (kelseyhightower/confd `integration/`,
//!   abtreece/confd `test/integration/shared/`), keys put into a real etcd
//!   with `etcdctl put` as their `test.sh` does, `flotta confd` run with the
//!   same flags, outputs compared byte for byte with their `expect/` files;
//! - confd's flags as Go spells them, and its errors;
//! - the seed's story: Apache `mod_proxy_balancer` kept current by
//!   `flotta confd -watch` from `/applications/sample/*` (the seed's confd
//!   resource in `examples/seed/confd`), checked with `apache2 -t`,
//!   reloaded gracefully, in front of real greeter processes, on etcd and on
//!   a dev cluster running the seed's units (raw keys, and `[X-Flotta]
//!   Service=` endpoints read from `/flotta/endpoints`): 4 instances, a fifth, one lost,
//!   zero failed requests under a bounded client loop.

mod common;

use common::Daemon;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flotta_registry::testkit::EtcdServer;

const LIMIT: Duration = Duration::from_secs(30);

fn flotta() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_flotta"));
    c.env_remove("FLOTTA_ETCD").env_remove("FLOTTA_ENDPOINT");
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn free_port(ip: &str) -> u16 {
    std::net::TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../confd/tests/vectors/integration")
}

/// Copies a confdir, pointing every `dest = "/tmp/…"` into `out`.
fn copy_confdir(from: &Path, to: &Path, out: &Path) {
    for sub in ["conf.d", "templates"] {
        std::fs::create_dir_all(to.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(from.join(sub)).expect("read") {
            let entry = entry.expect("entry");
            let mut text = std::fs::read_to_string(entry.path()).expect("read file");
            if sub == "conf.d" {
                text = text.replace("dest = \"/tmp/", &format!("dest = \"{}/", out.display()));
            }
            std::fs::write(to.join(sub).join(entry.file_name()), text).expect("write");
        }
    }
}

/// `etcdctl put` of every `key value` line, as the suites' test.sh do.
fn etcdctl_put(url: &str, lines: &str) {
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let (k, v) = line.split_once(' ').expect("key value");
        let out = Command::new("etcdctl")
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", url, "put", k, v])
            .output()
            .expect("etcdctl (Debian's etcd-client; scripts/test installs it)");
        assert!(out.status.success(), "etcdctl put {k}: {}", text(&out));
    }
}

fn confd(args: &[&str]) -> Output {
    flotta()
        .arg("confd")
        .args(args)
        .env("HOSTNAME", "localhost")
        .output()
        .expect("flotta confd")
}

/// Runs one suite as its test.sh does and diffs as its check.sh does.
fn run_suite(url: &str, suite: &str, checks: &[(&str, &str)], extra: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let confdir = dir.path().join("confdir");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out");
    copy_confdir(&vectors().join(suite).join("confdir"), &confdir, &out);
    let confdir = confdir.display().to_string();
    let mut args = vec![
        "--onetime",
        "--log-level",
        "debug",
        "--confdir",
        &confdir,
        "--backend",
        "etcdv3",
        "--node",
        url,
        "--watch",
    ];
    args.extend_from_slice(extra);
    let run = confd(&args);
    assert!(
        run.status.success(),
        "{suite}: flotta confd {args:?}:\n{}",
        text(&run)
    );
    for (file, expect) in checks {
        let got = std::fs::read(out.join(file))
            .unwrap_or_else(|e| panic!("{suite}: {file}: {e}\n{}", text(&run)));
        let want =
            std::fs::read(vectors().join(suite).join("expect").join(expect)).expect("expect file");
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{suite}: {file} differs from expect/{expect}"
        );
    }
}

#[test]
fn confds_integration_cases_render_byte_for_byte_from_etcd() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    etcdctl_put(
        &url,
        &std::fs::read_to_string(vectors().join("kelseyhightower/etcdctl-put")).expect("keys"),
    );
    let kelsey = [
        ("confd-basic-test.conf", "basic.conf"),
        ("confd-exists-test.conf", "exists-test.conf"),
        ("confd-iteration-test.conf", "iteration.conf"),
        ("confd-manykeys-test.conf", "basic.conf"),
    ];
    run_suite(&url, "kelseyhightower", &kelsey, &[]);
    // The same keys under /prefix (test.sh puts them too, all but /key),
    // read with -prefix.
    run_suite(
        &url,
        "kelseyhightower",
        &[kelsey[0], kelsey[2], kelsey[3]],
        &["-prefix", "/prefix"],
    );

    let etcd2 = EtcdServer::start().expect("etcd");
    let url2 = etcd2.client_url();
    etcdctl_put(
        &url2,
        &std::fs::read_to_string(vectors().join("abtreece/etcdctl-put")).expect("keys"),
    );
    run_suite(
        &url2,
        "abtreece",
        &[
            ("confd-exists-test.conf", "exists-test.conf"),
            ("confd-iteration-test.conf", "iteration.conf"),
            ("confd-nested-test.conf", "nested.conf"),
        ],
        &[],
    );
}

#[test]
fn flags_are_read_as_go_reads_them() {
    let bad = confd(&["-bogus"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        text(&bad).contains("flag provided but not defined: -bogus"),
        "{}",
        text(&bad)
    );
    let help = confd(&["-h"]);
    assert!(help.status.success(), "{}", text(&help));
    for flag in [
        "-onetime",
        "-watch",
        "-node value",
        "-confdir string",
        "-interval int",
        "-sync-only",
        "-noop",
        "-keep-stage-file",
    ] {
        assert!(
            text(&help).contains(flag),
            "-h lists {flag}:\n{}",
            text(&help)
        );
    }
    let port = free_port("127.0.0.1");
    let down = confd(&[
        "-onetime",
        "-backend",
        "etcdv3",
        "-node",
        &format!("http://127.0.0.1:{port}"),
        "-config-file",
        "/nonexistent",
    ]);
    assert_eq!(down.status.code(), Some(1));
    assert!(
        text(&down).contains("cannot reach the etcdv3 backend"),
        "{}",
        text(&down)
    );
}

/// Single-dash Go flags, `-noop`, and a broken resource named with its
/// line and column, against etcd.
#[test]
fn single_dash_flags_noop_and_bad_files() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    etcdctl_put(
        &url,
        "/myapp/database/url db.example.com\n/myapp/database/user rob\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let confdir = dir.path();
    std::fs::create_dir_all(confdir.join("conf.d")).unwrap();
    std::fs::create_dir_all(confdir.join("templates")).unwrap();
    let dest = confdir.join("myconfig.conf");
    // confd docs/quick-start-guide.md.
    std::fs::write(
        confdir.join("conf.d/myconfig.toml"),
        format!("[template]\nsrc = \"myconfig.conf.tmpl\"\ndest = \"{}\"\nkeys = [\n    \"/myapp/database/url\",\n    \"/myapp/database/user\",\n]\n", dest.display()),
    )
    .unwrap();
    std::fs::write(
        confdir.join("templates/myconfig.conf.tmpl"),
        "[myconfig]\ndatabase_url = {{getv \"/myapp/database/url\"}}\ndatabase_user = {{getv \"/myapp/database/user\"}}\n",
    )
    .unwrap();
    let c = confdir.display().to_string();
    let noop = confd(&[
        "-onetime", "-noop", "-confdir", &c, "-backend", "etcdv3", "-node", &url,
    ]);
    assert!(noop.status.success(), "{}", text(&noop));
    assert!(text(&noop).contains("would change"), "{}", text(&noop));
    assert!(!dest.exists(), "noop changes nothing");
    let run = confd(&["-onetime", "-confdir", &c, "-backend=etcdv3", "-node", &url]);
    assert!(run.status.success(), "{}", text(&run));
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        "[myconfig]\ndatabase_url = db.example.com\ndatabase_user = rob\n"
    );
    // A broken template: exit 1, Go's error naming file, line and column,
    // the file untouched.
    std::fs::write(
        confdir.join("templates/myconfig.conf.tmpl"),
        "[myconfig]\nurl = {{getv \"/myapp/database/url\" }\n",
    )
    .unwrap();
    let broken = confd(&[
        "-onetime", "-confdir", &c, "-backend", "etcdv3", "-node", &url,
    ]);
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    let tmpl = confdir
        .join("templates/myconfig.conf.tmpl")
        .display()
        .to_string();
    assert!(
        text(&broken).contains(&format!("template: {tmpl}:2:")),
        "{}",
        text(&broken)
    );
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        "[myconfig]\ndatabase_url = db.example.com\ndatabase_user = rob\n"
    );
    // A broken resource file: its name, line and column.
    std::fs::write(
        confdir.join("conf.d/bad.toml"),
        "[template]\nsrc = \"x\"\ndest = \n",
    )
    .unwrap();
    let bad = confd(&[
        "-onetime", "-confdir", &c, "-backend", "etcdv3", "-node", &url,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("bad.toml: TOML parse error at line 3, column"),
        "{}",
        text(&bad)
    );
}

// ---- the seed's story with Apache ----

/// Apache started by the first graceful reload; stopped on drop.
struct Apache(PathBuf);

impl Drop for Apache {
    fn drop(&mut self) {
        let _ = Command::new("apache2")
            .arg("-f")
            .arg(&self.0)
            .args(["-k", "stop"])
            .status();
        let pid = self.0.with_file_name("httpd.pid");
        eventually("apache to stop", Duration::from_secs(10), || !pid.exists());
    }
}

/// One `GET /sample` on a new connection: the backend that answered.
fn get(addr: SocketAddr) -> Result<String, String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "GET /sample HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("write: {e}"))?;
    let mut buf = String::new();
    s.read_to_string(&mut buf)
        .map_err(|e| format!("read: {e}"))?;
    if !buf.starts_with("HTTP/1.1 200") {
        return Err(buf.lines().next().unwrap_or("<nothing>").to_owned());
    }
    buf.split("\"backend\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("no backend in {buf:?}"))
}

#[derive(Clone)]
struct Sample {
    started: Instant,
    result: Result<String, String>,
}

/// Sequential requests until stopped: at most 20,000 or 180 s.
struct Load {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Sample>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(addr: SocketAddr) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (s, out) = (Arc::clone(&stop), Arc::clone(&samples));
        let thread = std::thread::spawn(move || {
            let begin = Instant::now();
            for _ in 0..20_000 {
                if s.load(Ordering::Relaxed) || begin.elapsed() > Duration::from_secs(180) {
                    break;
                }
                let started = Instant::now();
                let result = get(addr);
                out.lock()
                    .expect("samples")
                    .push(Sample { started, result });
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        Load {
            stop,
            samples,
            thread: Some(thread),
        }
    }

    fn samples(&self) -> Vec<Sample> {
        self.samples.lock().expect("samples").clone()
    }

    fn wait_served_by(&self, backend: &str, since: Instant) {
        eventually(&format!("{backend} to get traffic"), LIMIT, || {
            self.samples()
                .iter()
                .any(|s| s.started >= since && s.result.as_deref() == Ok(backend))
        });
    }

    fn wait_not_served_by(&self, backend: &str, n: usize) {
        eventually(
            &format!("{n} requests in a row without {backend}"),
            LIMIT,
            || {
                let s = self.samples();
                s.len() >= n
                    && s[s.len() - n..]
                        .iter()
                        .all(|x| x.result.as_deref() != Ok(backend))
            },
        );
    }

    fn stop(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.samples()
    }
}

/// The seed's confd files (examples/seed/confd) with its directory and
/// listen address moved into the test's own.
fn seed_confdir(dir: &Path, listen: SocketAddr, keys: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed/confd");
    let confdir = dir.join("confdir");
    for sub in ["conf.d", "templates"] {
        std::fs::create_dir_all(confdir.join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(src.join(sub)).expect("seed confd files") {
            let entry = entry.expect("entry");
            let text = std::fs::read_to_string(entry.path())
                .expect("read")
                .replace("/tmp/flotta-seed-confd", &dir.display().to_string())
                .replace("127.0.0.1:8000", &listen.to_string())
                .replace("/applications/sample", keys);
            std::fs::write(confdir.join(sub).join(entry.file_name()), text).expect("write");
        }
    }
    confdir
}

/// Requests per backend.
fn per_backend(samples: &[Sample]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for s in samples {
        if let Ok(b) = &s.result {
            *out.entry(b.clone()).or_default() += 1;
        }
    }
    out
}

/// How the story's instances come and go: by raw keys with greeters run
/// here (etcd), or by the seed's units on a dev cluster.
trait Fleet {
    /// Starts instance `n` (1-based); returns the backend address.
    fn start(&mut self, n: usize) -> String;
    /// Loses instance `n` the seed's way: the process stops, then its key
    /// goes.
    fn lose(&mut self, n: usize);
}

/// The story: `keys` is where the instances are listed (the seed's
/// `/applications/sample`, or flotta's `/flotta/endpoints/sample`).
fn story(fleet: &mut dyn Fleet, confd_backend: &[&str], dir: &Path, keys: &str) {
    let listen: SocketAddr = format!("127.0.0.1:{}", free_port("127.0.0.1"))
        .parse()
        .expect("addr");
    let confdir = seed_confdir(dir, listen, keys);
    let mut backends: Vec<String> = (1..=4).map(|n| fleet.start(n)).collect();
    let mut args = vec!["confd", "-watch", "-confdir"];
    let c = confdir.display().to_string();
    args.push(&c);
    args.extend_from_slice(confd_backend);
    let conf = dir.join("httpd.conf");
    let _confd = Daemon(
        flotta()
            .args(&args)
            .stderr(Stdio::inherit())
            .spawn()
            .expect("flotta confd"),
    );
    let _apache = Apache(conf.clone());
    eventually(
        "Apache, started by the first graceful reload, to serve",
        LIMIT,
        || get(listen).is_ok(),
    );
    let load = Load::start(listen);
    let t0 = Instant::now();
    for b in &backends {
        load.wait_served_by(b, t0);
    }
    // Scale 4 -> 5.
    let t1 = Instant::now();
    backends.push(fleet.start(5));
    load.wait_served_by(&backends[4], t1);
    // Lose one: instance 2 stops, then its key goes; Apache's config is
    // rendered without it and reloaded gracefully.
    fleet.lose(2);
    load.wait_not_served_by(&backends[1], 50);
    eventually("the config without instance 2", LIMIT, || {
        std::fs::read_to_string(&conf).is_ok_and(|t| t.matches("BalancerMember").count() == 4)
    });
    let samples = load.stop();
    let failed: Vec<_> = samples
        .iter()
        .filter(|s| s.result.is_err())
        .map(|s| s.result.clone())
        .collect();
    let counts = per_backend(&samples);
    println!(
        "seed story with flotta confd {confd_backend:?}: {} requests, per backend {counts:?}, {} failed",
        samples.len(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "failed requests: {:?}",
        &failed[..failed.len().min(5)]
    );
    for b in &backends {
        assert!(
            counts.get(b).copied().unwrap_or(0) > 0,
            "{b} got no traffic"
        );
    }
    let check = Command::new("apache2")
        .arg("-t")
        .arg("-f")
        .arg(&conf)
        .output()
        .expect("apache2 -t");
    assert!(
        check.status.success(),
        "the kept config passes apache2 -t: {}",
        text(&check)
    );
}

/// Greeters run here, registered with `flotta kv set --etcd`, the seed's
/// `etcdctl set` lines.
struct EtcdFleet {
    url: String,
    greeters: BTreeMap<usize, Daemon>,
}

impl EtcdFleet {
    fn kv(&self, args: &[&str]) {
        let out = flotta()
            .arg("kv")
            .args(args)
            .args(["--etcd", &self.url])
            .output()
            .expect("flotta kv");
        assert!(out.status.success(), "flotta kv {args:?}: {}", text(&out));
    }
}

impl Fleet for EtcdFleet {
    fn start(&mut self, n: usize) -> String {
        let ip = format!("127.0.0.{n}");
        let addr = format!("{ip}:{}", free_port(&ip));
        let child = flotta()
            .args(["greeter", "--listen", &addr])
            .stdout(Stdio::null())
            .spawn()
            .expect("greeter");
        eventually("the greeter", LIMIT, || TcpStream::connect(&addr).is_ok());
        self.greeters.insert(n, Daemon(child));
        self.kv(&[
            "set",
            &format!("/applications/sample/sample.application.{n}"),
            &addr,
        ]);
        addr
    }

    fn lose(&mut self, n: usize) {
        drop(self.greeters.remove(&n));
        self.kv(&[
            "rm",
            &format!("/applications/sample/sample.application.{n}"),
        ]);
    }
}

#[test]
fn the_seeds_apache_follows_etcd_through_flotta_confd() {
    let etcd = EtcdServer::start().expect("etcd");
    let url = etcd.client_url();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fleet = EtcdFleet {
        url: url.clone(),
        greeters: BTreeMap::new(),
    };
    story(
        &mut fleet,
        &["-backend", "etcdv3", "-node", &url],
        dir.path(),
        "/applications/sample",
    );
}

/// The seed's units (`examples/seed/units/local-kv`: the greeter, with
/// `ExecStartPost=flotta kv set …` / `ExecStopPost=flotta kv rm …`) on a dev
/// cluster of three machines, driven by fleetctl's commands.
struct DevFleet {
    endpoint: String,
    template: PathBuf,
    ports: [u16; 2],
    /// Instances register `[X-Flotta] Service=` endpoints instead of raw keys.
    endpoints: bool,
}

impl DevFleet {
    fn unit(&self, n: usize) -> String {
        // The seed's numbering: 1-3 on one port, 4-5 on another (Conflicts=
        // keeps instances on one port apart).
        let port = if n <= 3 { self.ports[0] } else { self.ports[1] };
        format!("sample.application.{n}@{port}.service")
    }

    fn cli(&self, args: &[&str]) -> String {
        let out = flotta()
            .args(args)
            .args(["--endpoint", &self.endpoint])
            .output()
            .expect("flotta");
        assert!(out.status.success(), "flotta {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The instance's registration, as `host:port`.
    fn key(&self, n: usize) -> Option<String> {
        let key = if self.endpoints {
            format!("/flotta/v1/endpoints/sample/{}", self.unit(n))
        } else {
            format!("/applications/sample/sample.application.{n}")
        };
        let out = flotta()
            .args(["kv", "get", &key, "--endpoint", &self.endpoint])
            .output()
            .expect("flotta kv get");
        if !out.status.success() {
            return None;
        }
        let value = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !self.endpoints {
            return Some(value);
        }
        let e: serde_json::Value = serde_json::from_str(&value).ok()?;
        Some(format!(
            "{}:{}",
            e["address"].as_str()?,
            e["port"].as_u64()?
        ))
    }
}

impl Fleet for DevFleet {
    fn start(&mut self, n: usize) -> String {
        let unit = self.unit(n);
        let local = self.template.with_file_name(&unit).display().to_string();
        self.cli(&["start", &local, "--block-attempts", "240"]);
        let mut value = None;
        eventually(
            "the instance to register (ExecStartPost= or its endpoint)",
            LIMIT,
            || {
                value = self.key(n);
                value.is_some()
            },
        );
        let value = value.unwrap_or_default();
        eventually("the instance to listen", LIMIT, || {
            TcpStream::connect(&value).is_ok()
        });
        value
    }

    fn lose(&mut self, n: usize) {
        let unit = self.unit(n);
        self.cli(&["stop", &unit, "--block-attempts", "240"]);
        eventually("the registration to go", LIMIT, || self.key(n).is_none());
    }
}

/// A dev cluster of three machines running the seed's units from
/// `examples/seed/units/<variant>`, with this build's binary.
fn dev_cluster(
    variant: &str,
    endpoints: bool,
) -> (tempfile::TempDir, Daemon, tempfile::TempDir, DevFleet) {
    let state = tempfile::tempdir().expect("state dir");
    let api = format!("127.0.0.1:{}", free_port("127.0.0.1"));
    let endpoint = format!("http://{api}");
    let agent = Daemon(
        flotta()
            .args([
                "agent",
                "--dev",
                "--machines",
                "3",
                "--registry",
                "memory",
                "--api-listen",
                &api,
                "--state-dir",
            ])
            .arg(state.path())
            .stderr(Stdio::null())
            .spawn()
            .expect("flotta agent --dev"),
    );
    eventually("the dev cluster's API", LIMIT, || {
        TcpStream::connect(&api).is_ok()
    });
    let exe = env!("CARGO_BIN_EXE_flotta");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../examples/seed/units/{variant}/sample.application@.service"
    )))
    .expect("seed unit")
    .replace(
        "ExecStart=flotta-greeter ",
        &format!("ExecStart={exe} greeter "),
    )
    .replace("=flotta ", &format!("={exe} "))
    .replace(
        "[Service]\n",
        // Units get no token of their own: these are given the agent's.
        &format!(
            "[Service]\nEnvironment=FLOTTA_ENDPOINT={endpoint}\n\
             Environment=FLOTTA_TOKEN_FILE={}\n",
            state.path().join("api.token").display()
        ),
    );
    let units = tempfile::tempdir().expect("units dir");
    let template = units.path().join("sample.application@.service");
    std::fs::write(&template, text).expect("write");
    // Ports free on every machine's address.
    let ports = [0, 1].map(|_| {
        loop {
            let p = free_port("127.0.0.1");
            if (1..=3)
                .all(|i| std::net::TcpListener::bind((format!("127.0.0.{i}").as_str(), p)).is_ok())
            {
                break p;
            }
        }
    });
    let fleet = DevFleet {
        endpoint,
        template: template.clone(),
        ports,
        endpoints,
    };
    fleet.cli(&["submit", template.to_str().expect("path")]);
    // The state dir first: dropped last, after the cluster has stopped the
    // units recorded in it.
    (state, agent, units, fleet)
}

#[test]
fn the_seeds_apache_follows_a_dev_cluster_through_flotta_confd() {
    let (_state, _agent, _units, mut fleet) = dev_cluster("local-kv", false);
    let dir = tempfile::tempdir().expect("tempdir");
    let endpoint = fleet.endpoint.clone();
    story(
        &mut fleet,
        &["-backend", "flotta", "-node", &endpoint],
        dir.path(),
        "/applications/sample",
    );
}

/// The same with `[X-Flotta] Service=sample` units (examples/seed/units/local)
/// and the resource reading flotta's read-only `/flotta/endpoints/sample`.
#[test]
fn the_seeds_apache_follows_flotta_endpoints_through_flotta_confd() {
    let (_state, _agent, _units, mut fleet) = dev_cluster("local", true);
    let dir = tempfile::tempdir().expect("tempdir");
    let endpoint = fleet.endpoint.clone();
    story(
        &mut fleet,
        &["-backend", "flotta", "-node", &endpoint],
        dir.path(),
        "/flotta/endpoints/sample",
    );
}
