//! Turning a burst of changes into one update.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

/// Waits for quiet before an update, and spaces updates apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debounce {
    /// An update waits until no change arrived for this long.
    pub quiet: Duration,
    /// Two updates are at least this far apart.
    pub min_interval: Duration,
    last: Option<Instant>,
}

impl Default for Debounce {
    fn default() -> Self {
        Debounce::new(Duration::from_millis(100), Duration::from_millis(500))
    }
}

impl Debounce {
    /// Quiet period and minimum interval.
    pub fn new(quiet: Duration, min_interval: Duration) -> Self {
        Debounce {
            quiet,
            min_interval,
            last: None,
        }
    }

    /// The next settled value (a pool, or any state a watch channel
    /// carries): waits for a change, then for `quiet` without one, then for
    /// `min_interval` since the last update. `None` when the source is gone.
    pub async fn next<T: Clone>(&mut self, rx: &mut watch::Receiver<T>) -> Option<T> {
        rx.changed().await.ok()?;
        loop {
            match tokio::time::timeout(self.quiet, rx.changed()).await {
                Ok(Ok(())) => continue,
                Ok(Err(_)) => return None,
                Err(_) => break,
            }
        }
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.min_interval).await;
        }
        self.last = Some(Instant::now());
        Some(rx.borrow_and_update().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{Backend, Pool};

    // Real time (tokio's paused clock needs its `test-util` feature, which
    // would change tokio's features for the whole test build). The burst only
    // yields between changes, so it ends far inside the quiet period.
    #[tokio::test]
    async fn a_burst_is_one_update() {
        let (tx, mut rx) = watch::channel(Pool::default());
        let mut d = Debounce::new(Duration::from_secs(1), Duration::from_millis(500));
        let burst = tokio::spawn(async move {
            for i in 0..50u16 {
                tx.send_modify(|p| {
                    p.backends.push(Backend {
                        id: format!("b{i}"),
                        address: "127.0.0.1".into(),
                        port: 1000 + i,
                        weight: 1,
                        backup: false,
                    });
                });
                tokio::task::yield_now().await;
            }
            tx
        });
        let pool = d.next(&mut rx).await.expect("update");
        assert_eq!(pool.backends.len(), 50, "one update holds the whole burst");
        let tx = burst.await.expect("burst");
        drop(tx);
        assert!(d.next(&mut rx).await.is_none());
    }
}
