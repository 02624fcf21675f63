//! The failure drill: a bounded client loop through the balancer while a
//! machine is lost, an etcd member stops and an instance is destroyed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use flotta_registry::model::Endpoint;

use super::machines::{GRACE_SECS, LEASE_TTL_SECS, Machines};
use super::{Tour, api_get, backend_of, http_get, say};

/// Bounds of one client loop.
const MAX_REQUESTS: usize = 60_000;
const MAX_TIME: Duration = Duration::from_secs(300);
const GAP: Duration = Duration::from_millis(5);

/// One request through the balancer.
#[derive(Debug, Clone)]
struct Sample {
    started: Instant,
    /// The backend that answered; `None` for a failed request.
    backend: Option<String>,
}

/// `GET /sample` through the balancer in a loop, one at a time.
struct Load {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Sample>>>,
    thread: Option<JoinHandle<()>>,
}

impl Load {
    fn start(balancer: SocketAddr) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (done, out) = (Arc::clone(&stop), Arc::clone(&samples));
        let thread = std::thread::spawn(move || {
            let begin = Instant::now();
            for _ in 0..MAX_REQUESTS {
                if done.load(Ordering::SeqCst) || begin.elapsed() > MAX_TIME {
                    break;
                }
                let started = Instant::now();
                let backend = match http_get(balancer, "/sample") {
                    Ok((200, body)) => backend_of(&body).map(str::to_owned),
                    _ => None,
                };
                out.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Sample { started, backend });
                std::thread::sleep(GAP);
            }
        });
        Load {
            stop,
            samples,
            thread: Some(thread),
        }
    }

    fn samples(&self) -> Vec<Sample> {
        self.samples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether a request started a second or more after `t`.
    fn a_second_after(&self, t: Instant) -> Option<()> {
        self.samples()
            .iter()
            .any(|s| s.started >= t + Duration::from_secs(1))
            .then_some(())
    }

    fn finish(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.samples()
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn failed_since(samples: &[Sample], since: Instant) -> usize {
    samples
        .iter()
        .filter(|s| s.started >= since && s.backend.is_none())
        .count()
}

fn authority(e: &Endpoint) -> String {
    format!("{}:{}", e.address, e.port)
}

fn short(id: &str) -> String {
    id.chars().take(8).collect()
}

impl Tour {
    pub(super) fn drills(&mut self) -> anyhow::Result<()> {
        say(&format!(
            "Failure drill, with a client looping through the balancer (at most {MAX_REQUESTS} \
             requests or\n{} s per drill). Lease TTL {LEASE_TTL_SECS} s and reschedule grace \
             {GRACE_SECS} s, short for the demo.",
            MAX_TIME.as_secs()
        ));
        self.lose_a_machine()?;
        if !self.etcd_urls().is_empty() {
            self.stop_an_etcd_member()?;
        }
        self.destroy_under_load()
    }

    fn etcd_urls(&self) -> Vec<String> {
        self.machines
            .as_ref()
            .map(Machines::etcd_urls)
            .unwrap_or_default()
    }

    /// A load that has had its first answers.
    fn warm_load(&self) -> anyhow::Result<Load> {
        let load = Load::start(self.balancer);
        self.wait_until("the client loop's first answers", || {
            Ok((load.samples().len() >= 50).then_some(()))
        })?;
        Ok(load)
    }

    /// Prints and runs `flotta ARGS`, whatever its exit status.
    fn flotta_shown(&self, args: &[&str]) -> anyhow::Result<()> {
        println!("\n$ flotta {}", args.join(" "));
        super::flush();
        self.command()
            .args(args)
            .status()
            .with_context(|| format!("running flotta {}", args.join(" ")))?;
        Ok(())
    }

    /// unit -> machine, for the units reported active.
    fn placement(&self) -> anyhow::Result<BTreeMap<String, String>> {
        let (status, body) = api_get(self.api, "/fleet/v1/state")?;
        if status != 200 {
            bail!("GET /fleet/v1/state: {status} {body}");
        }
        let v: serde_json::Value = serde_json::from_str(&body).context("decoding states")?;
        Ok(v["states"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["systemdActiveState"] == "active")
            .filter_map(|s| Some((s["name"].as_str()?.into(), s["machineID"].as_str()?.into())))
            .collect())
    }

    /// Drill 1: a machine with a movable instance (port 8081) is lost.
    fn lose_a_machine(&mut self) -> anyhow::Result<()> {
        let endpoints = self.endpoints()?.items;
        // Machine 1 runs the balancer and the API; lose another.
        let moving = endpoints
            .iter()
            .find(|e| e.port == 8081 && e.address != "127.0.0.1")
            .context("no instance on port 8081 outside machine 1")?
            .clone();
        let lost_ip = moving.address.clone();
        let index: usize = lost_ip
            .rsplit('.')
            .next()
            .and_then(|n| n.parse().ok())
            .context("machine address")?;
        let stuck: Vec<String> = endpoints
            .iter()
            .filter(|e| e.address == lost_ip && e.unit != moving.unit)
            .map(|e| e.unit.clone())
            .collect();
        say(&format!(
            "Drill 1: lose machine {index} ({lost_ip}), which runs {} and {}.\n\
             {} can move (one machine has no 8081 instance); the rest conflict on every other machine.",
            moving.unit,
            stuck.join(", "),
            moving.unit
        ));
        let load = self.warm_load()?;
        let lost_at = Instant::now();
        match self.machines.as_mut() {
            Some(Machines::Dev { .. }) => {
                self.flotta(&["machine", "crash", &short(&moving.machine)])?;
            }
            Some(m) => {
                let pid = m.lose(&self.rt, index - 1)?;
                println!("\n$ kill -9 {pid}   # machine {index}'s agent; its units die with it");
            }
            None => bail!("no cluster"),
        }
        let unit = moving.unit.clone();
        let moved_to = self.wait_until(&format!("{unit} to register elsewhere"), || {
            Ok(self
                .endpoints()?
                .items
                .into_iter()
                .find(|e| e.unit == unit && e.address != lost_ip)
                .map(|e| authority(&e)))
        })?;
        let answered_at = self.wait_until(&format!("{moved_to} to answer"), || {
            Ok(load
                .samples()
                .iter()
                .find(|s| s.started >= lost_at && s.backend.as_deref() == Some(&moved_to))
                .map(|s| s.started))
        })?;
        self.wait_until("the lost machine's endpoints to expire", || {
            Ok(self
                .endpoints()?
                .items
                .iter()
                .all(|e| e.address != lost_ip)
                .then_some(()))
        })?;
        let expired_at = Instant::now();
        // Once its endpoints are gone, nothing may be sent its way.
        self.wait_until("a second of traffic after the expiry", || {
            Ok(load.a_second_after(expired_at))
        })?;
        let samples = load.finish();
        let to_lost: Vec<&Sample> = samples
            .iter()
            .filter(|s| {
                s.started >= expired_at
                    && s.backend
                        .as_deref()
                        .is_some_and(|b| b.starts_with(&format!("{lost_ip}:")))
            })
            .collect();
        if !to_lost.is_empty() {
            bail!(
                "{} answers came from the lost machine after its endpoints expired",
                to_lost.len()
            );
        }
        let failed = failed_since(&samples, lost_at);
        let after = failed_since(&samples, answered_at);
        self.flotta(&["list-units"])?;
        for unit in &stuck {
            self.flotta_shown(&["why", unit])?;
        }
        println!(
            "\ndrill 1, machine {index} lost: {failed} failed of {} requests ({after} after recovery); \
             {} answering from {moved_to} {:.1} s after the loss; {} unplaced (conflicts)",
            samples.iter().filter(|s| s.started >= lost_at).count(),
            moving.unit,
            answered_at.duration_since(lost_at).as_secs_f64(),
            stuck.len()
        );

        say(&format!(
            "Machine {index} comes back: the units that had nowhere to go return to it."
        ));
        match self.machines.as_mut() {
            Some(Machines::Dev { .. }) => {
                self.flotta(&["machine", "restart", &short(&moving.machine)])?;
            }
            Some(_) => {
                println!("\n$ flotta agent …   # machine {index}'s agent again, same state dir");
                let launch = self.launch();
                if let Some(m) = self.machines.as_mut() {
                    m.boot(&launch, index - 1)?;
                }
            }
            None => bail!("no cluster"),
        }
        self.wait_endpoints(endpoints.len())?;
        self.flotta(&["list-units"])
    }

    /// Drill 2: the etcd member that machine 3's agent lists first is killed.
    fn stop_an_etcd_member(&mut self) -> anyhow::Result<()> {
        let member = self.etcd_urls().len().saturating_sub(1);
        let machine = member + 1;
        let observe = Duration::from_secs(2 * LEASE_TTL_SECS + GRACE_SECS + 2);
        say(&format!(
            "Drill 2: kill etcd member {machine} (listed first by machine {machine}'s agent) for {} s,\n\
             longer than lease TTL + grace: the agents' clients use the other two members.",
            observe.as_secs()
        ));
        self.flotta(&["kv", "set", "/drill/probe", "still-here"])?;
        let before = self.placement()?;
        let load = self.warm_load()?;
        let stopped_at = Instant::now();
        if let Some(m) = self.machines.as_mut() {
            m.stop_member(member);
        }
        println!("\n$ kill -9 <etcd member {machine}>");
        let mut moved = 0;
        // Nothing should happen: watch the placement for the whole period.
        while stopped_at.elapsed() < observe {
            let now = self.placement().unwrap_or_else(|_| before.clone());
            moved = moved.max(
                before
                    .iter()
                    .filter(|(unit, machine)| now.get(*unit) != Some(machine))
                    .count(),
            );
            self.pause()?;
        }
        if let Some(m) = self.machines.as_mut() {
            m.start_member(member)?;
        }
        println!("\n$ etcd …   # member {machine} again, same data dir");
        let samples = load.finish();
        let failed = failed_since(&samples, stopped_at);
        self.flotta(&["kv", "get", "/drill/probe"])?;
        let after = self.placement()?;
        let lost = before
            .iter()
            .filter(|(unit, machine)| after.get(*unit) != Some(machine))
            .count();
        println!(
            "\ndrill 2, etcd member {machine} down {:.1} s: {failed} failed of {} requests, \
             {moved} units moved, {lost} units lost, the probe key kept",
            observe.as_secs_f64(),
            samples.iter().filter(|s| s.started >= stopped_at).count(),
        );
        if failed > 0 || moved > 0 || lost > 0 {
            bail!("stopping one etcd member of three lost something");
        }
        Ok(())
    }

    /// Drill 3: an instance is destroyed under load; its endpoint goes first.
    fn destroy_under_load(&mut self) -> anyhow::Result<()> {
        let unit = "sample.application.4@8081.service";
        let target = self
            .endpoints()?
            .items
            .into_iter()
            .find(|e| e.unit == unit)
            .context("instance 4 registered no endpoint")?;
        let addr: SocketAddr = authority(&target).parse().context("endpoint address")?;
        say(&format!(
            "Drill 3: destroy {unit} under load. Its endpoint is withdrawn first, open\n\
             connections drain (DrainSec=1s), then the process stops: no request fails."
        ));
        let load = self.warm_load()?;
        let destroyed_at = Instant::now();
        self.flotta(&["destroy", unit])?;
        let withdrawn_at = self.wait_until("the endpoint to be withdrawn", || {
            Ok(self
                .endpoints()?
                .items
                .iter()
                .all(|e| e.unit != unit)
                .then(Instant::now))
        })?;
        let answered_after = http_get(addr, "/health").is_ok_and(|(status, _)| status == 200);
        let stopped_at = self.wait_until("the process to stop", || {
            Ok(
                std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500))
                    .is_err()
                    .then(Instant::now),
            )
        })?;
        self.wait_until("a second of traffic after the stop", || {
            Ok(load.a_second_after(stopped_at))
        })?;
        let samples = load.finish();
        let failed = failed_since(&samples, destroyed_at);
        println!(
            "\ndrill 3, destroy {unit}: endpoint withdrawn {:.1} s after the command, process \
             stopped {:.1} s after{}; {failed} failed of {} requests",
            withdrawn_at.duration_since(destroyed_at).as_secs_f64(),
            stopped_at.duration_since(destroyed_at).as_secs_f64(),
            if answered_after {
                " (it still answered in between)"
            } else {
                ""
            },
            samples.iter().filter(|s| s.started >= destroyed_at).count(),
        );
        if failed > 0 || stopped_at < withdrawn_at {
            bail!("destroying an instance failed requests or stopped it before withdrawing it");
        }
        Ok(())
    }
}
