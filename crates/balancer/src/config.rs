//! The balancer's TOML configuration, confd-style:
//!
//! ```toml
//! [debounce]
//! quiet_ms = 100          # wait for this long without a change
//! min_interval_ms = 500   # and at least this long between reloads
//!
//! [[template]]
//! src = "haproxy"                       # built-in, or a template file
//! dest = "/etc/haproxy/haproxy.cfg"
//! service = "sample"                    # typed endpoints, or:
//! # prefix = "/applications/sample/"    # raw host:port keys
//! mode = "0644"
//! check_cmd = "haproxy -c -f {{src}}"
//! reload_cmd = "systemctl reload haproxy"
//! [template.params]
//! listen = "127.0.0.1:8000"
//! health_path = "/health"
//! ```

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::apply::TemplateResource;
use crate::debounce::Debounce;
use crate::error::BalancerError;
use crate::source::Selector;

/// A configuration file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Burst handling.
    #[serde(default)]
    pub debounce: DebounceConfig,
    /// The files to keep up to date.
    #[serde(default, rename = "template")]
    pub templates: Vec<ResourceConfig>,
}

/// `[debounce]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebounceConfig {
    /// Quiet period before an update, in milliseconds.
    pub quiet_ms: u64,
    /// Minimum time between updates, in milliseconds.
    pub min_interval_ms: u64,
}

impl Default for DebounceConfig {
    fn default() -> Self {
        DebounceConfig {
            quiet_ms: 100,
            min_interval_ms: 500,
        }
    }
}

impl From<DebounceConfig> for Debounce {
    fn from(c: DebounceConfig) -> Self {
        Debounce::new(
            Duration::from_millis(c.quiet_ms),
            Duration::from_millis(c.min_interval_ms),
        )
    }
}

/// One `[[template]]`: a resource and what it follows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResourceConfig {
    /// A service's typed endpoints.
    #[serde(default)]
    pub service: Option<String>,
    /// Raw `host:port` keys under a prefix.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The file, its checks and parameters.
    #[serde(flatten)]
    pub resource: TemplateResource,
}

impl ResourceConfig {
    /// What the resource follows.
    ///
    /// # Errors
    /// Neither or both of `service` and `prefix`.
    pub fn selector(&self) -> Result<Selector, String> {
        match (&self.service, &self.prefix) {
            (Some(s), None) => Ok(Selector::Service(s.clone())),
            (None, Some(p)) => Ok(Selector::Prefix(p.clone())),
            _ => Err(format!(
                "template for {}: set exactly one of `service` and `prefix`",
                self.resource.dest.display()
            )),
        }
    }
}

impl Config {
    /// Reads and validates a file.
    ///
    /// # Errors
    /// [`BalancerError::Config`] naming the file and, for syntax errors, the
    /// line and column.
    pub fn load(path: &Path) -> Result<Config, BalancerError> {
        let text = std::fs::read_to_string(path)
            .map_err(BalancerError::io(format!("reading {}", path.display())))?;
        Config::parse(&text).map_err(|message| BalancerError::Config {
            file: path.to_owned(),
            message,
        })
    }

    /// Parses and validates TOML text.
    ///
    /// # Errors
    /// The problem, with line and column for syntax errors.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: {}", e.message())
            }
            None => e.message().to_owned(),
        })?;
        for t in &config.templates {
            t.selector()?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let text = r#"
[debounce]
quiet_ms = 50
min_interval_ms = 200

[[template]]
src = "haproxy"
dest = "/tmp/haproxy.cfg"
prefix = "/applications/sample/"
check_cmd = "haproxy -c -f {{src}}"
[template.params]
listen = "127.0.0.1:8000"
"#;
        let c = Config::parse(text).expect("parses");
        assert_eq!(c.debounce.quiet_ms, 50);
        assert_eq!(
            c.templates[0].selector(),
            Ok(Selector::Prefix("/applications/sample/".into()))
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = Config::parse("[debounce]\nquiet_ms = \"soon\"\n").expect_err("type");
        assert!(err.starts_with("line 2, column 12"), "{err}");
        let err =
            Config::parse("[[template]]\nsrc = \"nginx\"\ndest = \"/x\"\n").expect_err("no source");
        assert!(
            err.contains("exactly one of `service` and `prefix`"),
            "{err}"
        );
    }
}
