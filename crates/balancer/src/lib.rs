//! Service discovery for load balancers: the job confd did for the seed's
//! Apache, done event-driven and safely.
//!
//! - [`source`]: a service's typed endpoints or a raw `host:port` key prefix,
//!   listed and then watched (no polling; a compacted watch lists again).
//! - [`debounce`]: a burst of changes becomes one update, updates spaced apart.
//! - [`template`]: minijinja templates, with built-ins for HAProxy, nginx and
//!   Apache `mod_proxy_balancer`.
//! - [`apply`]: render, skip if unchanged, stage, check with the balancer's own
//!   checker, rename, reload; a failure keeps or restores the last good file.
//! - [`haproxy`]: HAProxy's runtime API, so membership changes need no reload.
//! - [`proxy`]: a built-in TCP proxy (round-robin or least connections,
//!   health checks, passive ejection, draining), the embedded default.
//! - [`daemon`]: the loops that tie these together.
//! - [`greeter`]: the seed's sample application, a backend for demos and tests.
//!
//! ```
//! use flotta_balancer::backend::{Backend, Pool};
//! use flotta_balancer::template::{Params, Renderer};
//!
//! let pool = Pool {
//!     service: "sample".into(),
//!     backends: vec![Backend {
//!         id: "sample.application.1@8080.service".into(),
//!         address: "127.0.0.1".into(),
//!         port: 8080,
//!         weight: 1,
//!         backup: false,
//!     }],
//!     revision: 1,
//! };
//! let config = Renderer::new().render("apache-balancer", &pool, &Params::new()).unwrap();
//! assert!(config.contains("BalancerMember \"http://127.0.0.1:8080\""));
//! ```

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod apply;
pub mod backend;
pub mod config;
pub mod daemon;
pub mod debounce;
pub mod error;
pub mod greeter;
pub mod haproxy;
pub mod proxy;
pub mod source;
pub mod template;

pub use backend::{Backend, Pool};
pub use error::BalancerError;
