//! Rendering balancer configs with minijinja templates.
//!
//! Built-in templates (see `templates/`): `haproxy` (a complete
//! `haproxy.cfg`), `haproxy-backend` (the `backend` section alone), `nginx`
//! (a complete `nginx.conf`), `nginx-upstream` (the `upstream` block alone),
//! `apache` (a complete `httpd.conf`) and `apache-balancer` (the
//! `<Proxy balancer://…>` block with `BalancerMember`s and `ProxyPass`).
//!
//! A template sees `service`, `name` (a config-safe name, `params.name` or
//! the service), `backends` (each with `id`, `slug`, `address`, `port`,
//! `authority`, `weight`, `backup`) and `params` (the resource's settings:
//! `listen`, `prefix`, `health_path`, `balance`, …).
//!
//! Backends are checked before they are rendered ([`Backend::validate`]):
//! IDs in the unit-name charset, addresses IP literals or DNS host names,
//! ports 1 to 65535. A pool with any other backend is refused, so no value
//! from the registry can end a directive (`;`, `}`, a newline) and write
//! another. `params` come from the operator's own config and are rendered
//! as given, except that no `{{ … }}` may render a control character
//! (a newline would start a new directive): such a value is an error unless
//! the template marks it `| safe`.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior, context};
use serde::Serialize;

use crate::backend::{Backend, Pool};
use crate::error::BalancerError;

/// The built-in templates, by name.
pub const BUILTINS: &[(&str, &str)] = &[
    ("haproxy", include_str!("../templates/haproxy.cfg.j2")),
    (
        "haproxy-backend",
        include_str!("../templates/haproxy-backend.j2"),
    ),
    ("nginx", include_str!("../templates/nginx.conf.j2")),
    (
        "nginx-upstream",
        include_str!("../templates/nginx-upstream.j2"),
    ),
    ("apache", include_str!("../templates/apache.conf.j2")),
    (
        "apache-balancer",
        include_str!("../templates/apache-balancer.j2"),
    ),
];

/// Template parameters (from the resource's `[params]` table).
pub type Params = BTreeMap<String, serde_json::Value>;

/// Templates, built-in and loaded.
#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

#[derive(Serialize)]
struct BackendView<'a> {
    id: &'a str,
    slug: String,
    address: &'a str,
    port: u16,
    authority: String,
    weight: u32,
    backup: bool,
}

impl<'a> From<&'a Backend> for BackendView<'a> {
    fn from(b: &'a Backend) -> Self {
        BackendView {
            id: &b.id,
            slug: b.slug(),
            address: &b.address,
            port: b.port,
            authority: b.authority(),
            weight: b.weight,
            backup: b.backup,
        }
    }
}

fn template_error(name: &str, e: &minijinja::Error) -> BalancerError {
    let mut message = e.to_string();
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    BalancerError::Template {
        name: name.to_owned(),
        message,
    }
}

impl Renderer {
    /// The built-in templates.
    pub fn new() -> Self {
        let mut env = Environment::new();
        // Missing params are falsy (`{% if params.health_path %}`); reaching
        // through one (`params.nope.deeper`) is an error.
        env.set_undefined_behavior(UndefinedBehavior::Lenient);
        env.set_keep_trailing_newline(true);
        // Every `{{ … }}` goes through `config_formatter`; what a template
        // captures (`{% filter %}`, `{% set %}` blocks) is its own text and
        // already-checked values, so it stays marked safe.
        env.set_auto_escape_callback(|_| AutoEscape::Custom("config"));
        env.set_formatter(config_formatter);
        for (name, source) in BUILTINS {
            // Built-ins are tested; a failure here is a build defect.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, "built-in template does not parse: {e}");
            }
        }
        Renderer { env }
    }

    /// Adds a template from a string.
    ///
    /// # Errors
    /// [`BalancerError::Template`] with the line of a syntax error.
    pub fn add(&mut self, name: &str, source: &str) -> Result<(), BalancerError> {
        self.env
            .add_template_owned(name.to_owned(), source.to_owned())
            .map_err(|e| template_error(name, &e))
    }

    /// Adds a template from a file, named by its path.
    ///
    /// # Errors
    /// An unreadable file or a syntax error.
    pub fn add_file(&mut self, path: &Path) -> Result<String, BalancerError> {
        let source = std::fs::read_to_string(path)
            .map_err(BalancerError::io(format!("reading {}", path.display())))?;
        let name = path.display().to_string();
        self.add(&name, &source)?;
        Ok(name)
    }

    /// Renders `template` for `pool`.
    ///
    /// # Errors
    /// An unknown template, or a render failure with its line.
    pub fn render(
        &self,
        template: &str,
        pool: &Pool,
        params: &Params,
    ) -> Result<String, BalancerError> {
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| template_error(template, &e))?;
        let name = params
            .get("name")
            .and_then(|v| v.as_str())
            .map_or_else(|| slug(&pool.service), str::to_owned);
        // Sources skip such backends; a pool built elsewhere is refused
        // rather than rendered into a config it could rewrite.
        for b in &pool.backends {
            b.validate().map_err(|e| BalancerError::Template {
                name: template.to_owned(),
                message: e.to_string(),
            })?;
        }
        if pool.service.chars().any(char::is_control) {
            return Err(BalancerError::Template {
                name: template.to_owned(),
                message: format!("service {:?} contains a control character", pool.service),
            });
        }
        let backends: Vec<BackendView<'_>> = pool.backends.iter().map(Into::into).collect();
        tmpl.render(context! {
            service => &pool.service,
            name => name,
            backends => backends,
            params => params,
        })
        .map_err(|e| template_error(template, &e))
    }
}

/// Writes a value into a config, refusing one with a control character: a
/// newline (or CR, NUL, …) would end the directive and start another. A
/// template that means it marks the value `| safe`.
fn config_formatter(
    out: &mut minijinja::Output<'_>,
    _: &minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if value.is_undefined() {
        return Ok(());
    }
    let text = value.to_string();
    if !value.is_safe() && text.chars().any(char::is_control) {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "refusing to render {text:?}: a control character (newline, …) in a value would \
                 start a new directive; mark it `| safe` if that is meant"
            ),
        ));
    }
    out.write_str(&text).map_err(minijinja::Error::from)
}

/// A service or prefix reduced to a config-safe name.
fn slug(s: &str) -> String {
    let out: String = s
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() { "pool".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Pool {
        Pool {
            service: "sample".into(),
            backends: (1..=2)
                .map(|i| Backend {
                    id: format!("sample.application.{i}@8080.service"),
                    address: format!("127.0.0.{i}"),
                    port: 8080,
                    weight: i,
                    backup: i == 2,
                })
                .collect(),
            revision: 7,
        }
    }

    fn params() -> Params {
        [("listen", "127.0.0.1:8000"), ("prefix", "/run/x")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), serde_json::Value::from(v)))
            .collect()
    }

    #[test]
    fn builtins_render_every_backend() {
        let r = Renderer::new();
        for (name, _) in BUILTINS {
            let out = r.render(name, &pool(), &params()).expect(name);
            assert!(out.contains("127.0.0.1:8080"), "{name}:\n{out}");
            assert!(out.contains("127.0.0.2:8080"), "{name}:\n{out}");
        }
        let apache = r
            .render("apache-balancer", &pool(), &params())
            .expect("apache");
        assert!(apache.contains("<Proxy \"balancer://sample\">"), "{apache}");
        assert!(apache.contains("status=+H"), "backup member: {apache}");
        let haproxy = r.render("haproxy", &pool(), &params()).expect("haproxy");
        assert!(
            haproxy.contains(
                "server sample.application.2_8080.service 127.0.0.2:8080 check weight 2 backup"
            ),
            "{haproxy}"
        );
    }

    #[test]
    fn backends_that_could_break_a_config_are_refused() {
        let r = Renderer::new();
        let mut evil = pool();
        evil.backends[1].address = "127.0.0.2; } server { listen 9".into();
        let err = r
            .render("nginx", &evil, &params())
            .expect_err("bad address");
        assert!(err.to_string().contains("address"), "{err}");
        let mut evil = pool();
        evil.backends[0].id = "a\n}".into();
        let err = r.render("haproxy", &evil, &params()).expect_err("bad id");
        assert!(err.to_string().contains("id"), "{err}");
    }

    #[test]
    fn values_with_control_characters_are_refused() {
        let mut r = Renderer::new();
        r.add("mine", "listen {{ params.listen }};\n")
            .expect("parses");
        let mut p = params();
        p.insert("listen".into(), "80;\nserver { listen 9".into());
        let err = r.render("mine", &pool(), &p).expect_err("a newline");
        assert!(err.to_string().contains("control character"), "{err}");
        r.add("meant", "{{ params.listen | safe }}")
            .expect("parses");
        assert!(r.render("meant", &pool(), &p).is_ok());
        // Multi-line blocks a template builds itself still render.
        let nginx = r.render("nginx", &pool(), &params()).expect("nginx");
        assert!(nginx.contains("    upstream sample {\n"), "{nginx}");
    }

    #[test]
    fn template_errors_name_the_line() {
        let mut r = Renderer::new();
        let err = r.add("mine", "ok\n{% for %}\n").expect_err("syntax");
        assert!(err.to_string().contains("line 2"), "{err}");
        r.add("deep", "{{ params.nope.deeper }}").expect("parses");
        assert!(r.render("deep", &pool(), &params()).is_err());
    }
}
