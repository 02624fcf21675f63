//! `flotta demo`: the seed walkthrough on a dev cluster (or, with `--etcd`,
//! on agents sharing a local etcd cluster), as a new user would type it. Every
//! step is a `flotta` command run as a child process and printed with its
//! output, so the tour doubles as a script to copy. `--drill` adds the
//! failure drill.

mod drill;
mod machines;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use flotta_api::Endpoints;
use tokio::signal::unix::{SignalKind, signal};

use crate::cmd::control::runtime;
use machines::{Launch, Machines};

/// The seed's template, local variant: the greeter in place of the image.
const TEMPLATE: &str =
    include_str!("../../../../../examples/seed/units/local/sample.application@.service");
const TEMPLATE_NAME: &str = "sample.application@.service";
/// The balancer unit: the built-in proxy on machine 1.
const BALANCER: &str =
    include_str!("../../../../../examples/seed/units/local/sample.balancer.service");
const BALANCER_NAME: &str = "sample.balancer.service";
/// The Apache balancer unit and the `flotta balance --config` file it runs.
const APACHE: &str =
    include_str!("../../../../../examples/seed/units/local/sample.balancer.apache.service");
const APACHE_NAME: &str = "sample.balancer.apache.service";
const APACHE_TOML: &str = include_str!("../../../../../examples/seed/balancer/apache.toml");
const APACHE_BIN: &str = "/usr/sbin/apache2";
/// How long any one step may take before the tour gives up.
const STEP_LIMIT: Duration = Duration::from_secs(60);

/// Arguments of `flotta demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Machines in the dev cluster.
    #[arg(long, default_value_t = 3, value_name = "N")]
    machines: u16,
    /// The cluster's API (default 127.0.0.1:4949, or a free port if taken).
    #[arg(long, value_name = "ADDR:PORT")]
    api_listen: Option<SocketAddr>,
    /// Port of the balancer on 127.0.0.1 (default 8000, or a free port if taken).
    #[arg(long, value_name = "PORT")]
    balancer_port: Option<u16>,
    /// Keep the cluster's state here (default: a temporary directory,
    /// removed on exit).
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Stop after the tour instead of waiting for Ctrl-C.
    #[arg(long)]
    exit: bool,
    /// Run the machines as separate `flotta agent` processes sharing a
    /// local etcd cluster of as many members (needs the `etcd` binary).
    #[arg(long)]
    etcd: bool,
    /// The balancer: Apache `mod_proxy_balancer` kept current by `flotta
    /// balance --config` (when apache2 is installed), or the built-in proxy.
    #[arg(long, value_enum, default_value = "auto")]
    balancer: BalancerChoice,
    /// After the tour, the failure drill under load: lose a machine, stop an
    /// etcd member (with --etcd), destroy an instance; prints the figures.
    #[arg(long)]
    drill: bool,
}

/// Which balancer the tour starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BalancerChoice {
    /// Apache when `/usr/sbin/apache2` exists, else the built-in proxy.
    Auto,
    /// flotta's built-in proxy.
    Builtin,
    /// Apache `mod_proxy_balancer`.
    Apache,
}

/// Runs the tour, then keeps the cluster up until Ctrl-C (or `--exit`).
pub fn run(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    if args.machines < 2 {
        bail!(
            "--machines {}: the tour needs at least 2 machines (instances on one port conflict)",
            args.machines
        );
    }
    let exe = std::env::current_exe().context("finding the flotta executable")?;
    let (state, temporary) = match &args.state_dir {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("flotta-demo-{}", std::process::id())),
            true,
        ),
    };
    let api = match args.api_listen {
        Some(a) => a,
        None => free_or_any("127.0.0.1:4949")?,
    };
    let balancer = match args.balancer_port {
        Some(p) => SocketAddr::from(([127, 0, 0, 1], p)),
        None => free_or_any("127.0.0.1:8000")?,
    };
    let apache = match args.balancer {
        BalancerChoice::Builtin => false,
        BalancerChoice::Apache => true,
        BalancerChoice::Auto => std::path::Path::new(APACHE_BIN).exists(),
    };
    let mut tour = Tour::new(exe, state.clone(), api, balancer)?;
    tour.apache = apache;
    let result = tour.run(args);
    tour.stop();
    if temporary {
        let _ = std::fs::remove_dir_all(&state);
    }
    result.map(|()| ExitCode::SUCCESS)
}

/// `preferred` when nothing listens there, else a free loopback port.
fn free_or_any(preferred: &str) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(preferred)
        .or_else(|_| TcpListener::bind("127.0.0.1:0"))
        .context("finding a free loopback port")?;
    Ok(listener.local_addr()?)
}

struct Tour {
    exe: PathBuf,
    state: PathBuf,
    units: PathBuf,
    api: SocketAddr,
    balancer: SocketAddr,
    machines: Option<Machines>,
    /// Apache in front (else the built-in proxy).
    apache: bool,
    /// Set by Ctrl-C or SIGTERM (the handlers live as long as the tour).
    interrupted: Arc<AtomicBool>,
    /// Runs the signal handlers, and the odd async call.
    rt: tokio::runtime::Runtime,
}

impl Tour {
    fn new(
        exe: PathBuf,
        state: PathBuf,
        api: SocketAddr,
        balancer: SocketAddr,
    ) -> anyhow::Result<Tour> {
        machines::adopt_orphans()?;
        let units = state.join("units");
        std::fs::create_dir_all(&units).with_context(|| format!("creating {}", units.display()))?;
        let signals = runtime()?;
        let interrupted = Arc::new(AtomicBool::new(false));
        {
            // Installed now, so a Ctrl-C at any point ends the tour cleanly.
            let _in = signals.enter();
            let mut int = signal(SignalKind::interrupt()).context("handling SIGINT")?;
            let mut term = signal(SignalKind::terminate()).context("handling SIGTERM")?;
            let flag = Arc::clone(&interrupted);
            signals.spawn(async move {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
                flag.store(true, Ordering::SeqCst);
            });
        }
        Ok(Tour {
            exe,
            state,
            units,
            api,
            balancer,
            machines: None,
            apache: false,
            interrupted,
            rt: signals,
        })
    }

    fn run(&mut self, args: &DemoArgs) -> anyhow::Result<()> {
        self.write_units(args.etcd)?;
        let n = args.machines;
        if args.etcd {
            say(&format!(
                "Starting a {n}-member etcd cluster and {n} `flotta agent` processes on \
                 127.0.0.1-{n}, each\ntalking to its own member first; machine 1 serves the API on {}.",
                self.api
            ));
        } else {
            say(&format!(
                "Starting a dev cluster: {n} machines on 127.0.0.1-{n} in one process, its API on {}.",
                self.api
            ));
        }
        self.start_cluster(n, args.etcd)?;
        self.flotta(&["list-machines"])?;

        say(
            "Submit the seed's template and start four instances: three on port 8080, one on 8081.\nConflicts=*@%i.service keeps two instances of one port off the same machine.",
        );
        self.flotta(&["submit", TEMPLATE_NAME])?;
        self.flotta(&[
            "start",
            "sample.application.1@8080.service",
            "sample.application.2@8080.service",
            "sample.application.3@8080.service",
            "sample.application.4@8081.service",
        ])?;
        self.flotta(&["list-units"])?;

        say("Each instance registered host:port under the service `sample` once /health answered:");
        self.wait_endpoints(4)?;
        self.print_endpoints()?;

        if self.apache {
            say(&format!(
                "Start the balancer, pinned to machine 1 by MachineMetadata=machine=1: Apache\n\
                 mod_proxy_balancer on {}, its config rendered from the service's endpoints,\n\
                 checked and gracefully reloaded by `flotta balance --config` (confd's job in the seed).",
                self.balancer
            ));
        } else {
            say(&format!(
                "Start the balancer, pinned to machine 1 by MachineMetadata=machine=1: the built-in\n\
                 proxy on {}, following the service's endpoints (confd + Apache in the seed).",
                self.balancer
            ));
        }
        self.flotta(&["start", self.balancer_unit()])?;
        self.wait_answer(|_| true)?;
        self.balanced(8)?;

        say("Scale up: instance 5 on port 8081 goes to a machine without instance 4.");
        self.flotta(&["start", "sample.application.5@8081.service"])?;
        self.wait_endpoints(5)?;
        let fifth = self
            .endpoints()?
            .items
            .into_iter()
            .find(|e| e.unit == "sample.application.5@8081.service")
            .map(|e| format!("{}:{}", e.address, e.port))
            .context("instance 5 registered no endpoint")?;
        self.wait_answer(|backend| backend == fifth)?;
        self.balanced(10)?;
        if args.drill {
            self.drills()?;
        }

        let crash = self
            .endpoints()?
            .items
            .into_iter()
            .find(|e| e.unit == "sample.application.2@8080.service")
            .map(|e| e.machine.chars().take(8).collect::<String>())
            .unwrap_or_else(|| "MACHINE".into());
        let mut hints = Vec::new();
        if self.api.to_string() != "127.0.0.1:4949" {
            hints.push((format!("export FLOTTA_ENDPOINT=http://{}", self.api), ""));
        }
        hints.extend([
            ("flotta list-units".to_owned(), ""),
            (format!("curl http://{}/sample", self.balancer), ""),
            (
                "flotta stop sample.application.2@8080.service".to_owned(),
                "# leaves the rotation, then stops",
            ),
            (
                "flotta why sample.application.5@8081.service".to_owned(),
                "",
            ),
        ]);
        if !args.etcd {
            hints.extend([
                (
                    format!("flotta machine crash {crash}"),
                    "# its units move to the other machines",
                ),
                (
                    "flotta journal sample.application.1@8080.service".to_owned(),
                    "",
                ),
            ]);
        }
        let hints: Vec<String> = hints
            .iter()
            .map(|(command, why)| format!("  {command:<46} {why}").trim_end().to_owned())
            .collect();
        say(&format!(
            "The cluster keeps running. In another terminal, try:\n{}",
            hints.join("\n")
        ));
        if args.exit {
            return Ok(());
        }
        say("Press Ctrl-C to stop the cluster and every process it started.");
        while !self.interrupted.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    fn balancer_unit(&self) -> &'static str {
        if self.apache {
            APACHE_NAME
        } else {
            BALANCER_NAME
        }
    }

    /// Apache's runtime directory (config, pid file, logs).
    fn apache_dir(&self) -> PathBuf {
        self.state.join("apache")
    }

    fn write_units(&self, etcd: bool) -> anyhow::Result<()> {
        let exe = self.exe.display();
        let template = TEMPLATE.replace(
            "ExecStart=flotta-greeter",
            &format!("ExecStart={exe} greeter"),
        );
        // Machine 1 is 127.0.0.1; the port, API and directories are the tour's.
        // Units get no token of their own: the balancer, which only reads, is
        // given the agent's read token.
        let read_token = Machines::api_state_dir(&self.state, etcd).join("api-read.token");
        let endpoint = format!(
            "--endpoint http://{} --token-file {}",
            self.api,
            read_token.display()
        );
        let port = format!(":{}", self.balancer.port());
        let balancer = if self.apache {
            let apache = self.apache_dir().display().to_string();
            let toml = self.units.join("apache.toml");
            let config = APACHE_TOML
                .replace("/tmp/flotta-seed-apache", &apache)
                .replace(":8000", &port);
            std::fs::write(&toml, config).with_context(|| format!("writing {}", toml.display()))?;
            APACHE
                .replace("/tmp/flotta-seed-apache", &apache)
                .replace("ExecStart=flotta ", &format!("ExecStart={exe} "))
                .replace(
                    "/etc/flotta/seed-apache.toml",
                    &format!("{} {endpoint}", toml.display()),
                )
        } else {
            BALANCER
                .replace("ExecStart=flotta ", &format!("ExecStart={exe} "))
                .replace(":8000", &port)
                .replace(
                    "--health-path /health",
                    &format!("--health-path /health --check-interval-ms 500 {endpoint}"),
                )
        };
        for (name, text) in [(TEMPLATE_NAME, template), (self.balancer_unit(), balancer)] {
            let path = self.units.join(name);
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }

    fn start_cluster(&mut self, n: u16, etcd: bool) -> anyhow::Result<()> {
        let launch = self.launch();
        let machines = if etcd {
            Machines::etcd(&launch, n)?
        } else {
            Machines::dev(&launch, n)?
        };
        self.machines = Some(machines);
        let start = Instant::now();
        loop {
            if api_get(self.api, "/v1/revision").is_ok_and(|(status, _)| status == 200) {
                println!("  (logs in {})", self.state.display());
                return Ok(());
            }
            if let Some(status) = self.machines.as_mut().and_then(Machines::exited) {
                bail!(
                    "a `flotta agent` exited ({status}); see the logs in {}",
                    self.state.display()
                );
            }
            if start.elapsed() > STEP_LIMIT {
                bail!(
                    "the cluster's API did not answer on {} within {STEP_LIMIT:?}",
                    self.api
                );
            }
            self.pause()?;
        }
    }

    /// A child `flotta` reaching only this tour's cluster.
    fn command(&self) -> Command {
        (self.launch().command)()
    }

    /// What starting the cluster's processes needs, owned.
    fn launch(&self) -> Launch {
        let (exe, units) = (self.exe.clone(), self.units.clone());
        let endpoint = format!("http://{}", self.api);
        Launch {
            command: Box::new(move || {
                let mut c = Command::new(&exe);
                for (key, _) in std::env::vars_os() {
                    if key.to_string_lossy().starts_with("FLOTTA_") && key != "FLOTTA_LOG" {
                        c.env_remove(key);
                    }
                }
                c.env("FLOTTA_ENDPOINT", &endpoint)
                    .current_dir(&units)
                    .stdin(Stdio::null());
                c
            }),
            state: self.state.clone(),
            api: self.api,
        }
    }

    /// Prints and runs `flotta ARGS`, passing its output through.
    fn flotta(&self, args: &[&str]) -> anyhow::Result<()> {
        println!("\n$ flotta {}", args.join(" "));
        flush();
        let status = self
            .command()
            .args(args)
            .status()
            .with_context(|| format!("running flotta {}", args.join(" ")))?;
        if !status.success() {
            bail!("`flotta {}` failed ({status})", args.join(" "));
        }
        Ok(())
    }

    fn endpoints(&self) -> anyhow::Result<Endpoints> {
        let (status, body) = api_get(self.api, "/v1/services/sample/endpoints")?;
        if status != 200 {
            bail!("GET /v1/services/sample/endpoints: {status} {body}");
        }
        serde_json::from_str(&body).context("decoding the endpoints")
    }

    fn wait_endpoints(&self, n: usize) -> anyhow::Result<()> {
        self.wait_until(&format!("{n} endpoints"), || {
            Ok((self.endpoints()?.items.len() >= n).then_some(()))
        })
    }

    /// Checks `f` every tenth of a second until it gives a value, for at
    /// most [`STEP_LIMIT`].
    fn wait_until<T>(
        &self,
        what: &str,
        mut f: impl FnMut() -> anyhow::Result<Option<T>>,
    ) -> anyhow::Result<T> {
        let start = Instant::now();
        loop {
            if let Some(v) = f()? {
                return Ok(v);
            }
            if start.elapsed() > STEP_LIMIT {
                bail!("gave up waiting for {what} after {STEP_LIMIT:?}");
            }
            self.pause()?;
        }
    }

    /// A tenth of a second between checks; an error once interrupted.
    fn pause(&self) -> anyhow::Result<()> {
        if self.interrupted.load(Ordering::SeqCst) {
            bail!("interrupted");
        }
        std::thread::sleep(Duration::from_millis(100));
        Ok(())
    }

    fn print_endpoints(&self) -> anyhow::Result<()> {
        let token = flotta_api::discover::token_dir()
            .map(|d| d.join(self.api.to_string()).display().to_string())
            .unwrap_or_else(|| "TOKEN_FILE".into());
        println!(
            "\n$ curl -s -H \"Authorization: Bearer $(cat {token})\" http://{}/v1/services/sample/endpoints",
            self.api
        );
        for e in self.endpoints()?.items {
            println!("  {:<36} {}:{}", e.unit, e.address, e.port);
        }
        Ok(())
    }

    /// Waits until the balancer answers from a backend that `wanted` accepts.
    fn wait_answer(&self, wanted: impl Fn(&str) -> bool) -> anyhow::Result<()> {
        let start = Instant::now();
        loop {
            if let Ok((200, body)) = http_get(self.balancer, "/sample")
                && backend_of(&body).is_some_and(&wanted)
            {
                return Ok(());
            }
            if start.elapsed() > STEP_LIMIT {
                bail!(
                    "the balancer on {} did not answer as expected within {STEP_LIMIT:?}",
                    self.balancer
                );
            }
            self.pause()?;
        }
    }

    /// `n` requests through the balancer, printed, with a per-backend tally.
    fn balanced(&self, n: usize) -> anyhow::Result<()> {
        println!(
            "\n$ for i in $(seq {n}); do curl -s http://{}/sample; echo; done",
            self.balancer
        );
        let mut tally: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..n {
            let (status, body) = http_get(self.balancer, "/sample")?;
            if status != 200 {
                bail!("the balancer answered {status}: {body}");
            }
            println!("  {}", body.trim());
            *tally
                .entry(backend_of(&body).unwrap_or("?").to_owned())
                .or_default() += 1;
        }
        let shares: Vec<String> = tally.iter().map(|(b, k)| format!("{b} ×{k}")).collect();
        println!(
            "  ({} instances answered in turn: {})",
            tally.len(),
            shares.join(", ")
        );
        Ok(())
    }

    /// SIGTERM to the agents; the units of a dev cluster stop with it, an
    /// etcd cluster's machines are powered off.
    fn stop(&mut self) {
        let Some(mut machines) = self.machines.take() else {
            return;
        };
        say("Stopping the cluster and its units.");
        machines.stop(&self.rt);
        // Apache detaches from its unit: stop it by its config, and wait
        // until its port is closed.
        let conf = self.apache_dir().join("httpd.conf");
        if self.apache && conf.exists() {
            let _ = Command::new(APACHE_BIN)
                .arg("-f")
                .arg(&conf)
                .args(["-k", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let start = Instant::now();
            while TcpStream::connect_timeout(&self.balancer, Duration::from_millis(200)).is_ok()
                && start.elapsed() < STEP_LIMIT
            {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        // Every process the tour started has exited and been reaped.
        machines::reap_all(STEP_LIMIT);
    }
}

fn say(text: &str) {
    println!("\n# {}", text.replace('\n', "\n# "));
    flush();
}

fn flush() {
    let _ = std::io::stdout().flush();
}

/// The `backend` field of the greeter's JSON answer.
fn backend_of(body: &str) -> Option<&str> {
    body.split("\"backend\":\"").nth(1)?.split('"').next()
}

/// One `GET` over HTTP/1.0: the status and body.
fn http_get(addr: SocketAddr, path: &str) -> anyhow::Result<(u16, String)> {
    get(addr, path, None)
}

/// One `GET` to the cluster's API, with the token its agent left for this
/// user (as every client finds it).
fn api_get(api: SocketAddr, path: &str) -> anyhow::Result<(u16, String)> {
    let token = flotta_api::discover::local_token(&format!("http://{api}"));
    get(api, path, token.as_deref())
}

fn get(addr: SocketAddr, path: &str, token: Option<&str>) -> anyhow::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .with_context(|| format!("connecting to {addr}"))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{auth}\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)
        .with_context(|| format!("reading from {addr}"))?;
    let (head, body) = out
        .split_once("\r\n\r\n")
        .with_context(|| format!("{addr} answered no HTTP"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{addr} answered no status"))?;
    Ok((status, body.to_owned()))
}
