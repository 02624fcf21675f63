//! `flotta-greeter`: the seed's sample application, locally (see
//! [`flotta_balancer::greeter`]).
//!
//! ```text
//! flotta-greeter --listen 127.0.0.2:8080
//! ```

use std::net::SocketAddr;

fn usage() -> ! {
    eprintln!("usage: flotta-greeter --listen ADDR:PORT");
    std::process::exit(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let listen: SocketAddr = match (args.next().as_deref(), args.next()) {
        (Some("--listen"), Some(a)) => a.parse().unwrap_or_else(|_| usage()),
        _ => usage(),
    };
    println!("flotta-greeter listening on {listen}");
    if let Err(e) = flotta_balancer::greeter::run_until(listen, stop_signal()).await {
        eprintln!("flotta-greeter: {e}");
        std::process::exit(1)
    }
}

/// SIGTERM or Ctrl-C: the greeter then finishes what it is answering.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
