//! The API's OpenAPI 3 document, made from the handlers' own annotations and
//! the types they read and write, so it cannot drift from them.

use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, PathItem, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::{cluster, fleet, v1};

/// The document's contents: one entry per handler, in route order.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "flotta API",
        description = "flotta's HTTP API: fleet's API v1 under `/fleet/v1` (also served, \
unchanged, under `/v1-alpha`, fleet's older name for it), and flotta's own `/v1`. Every route \
takes `Authorization: Bearer <token>` when the server has a token; a read token may only `GET` \
and `HEAD`. Not listed: `/v1/dev/machines…`, which only `flotta agent --dev` serves."
    ),
    paths(
        fleet::discovery,
        fleet::units,
        fleet::get_unit,
        fleet::put_unit,
        fleet::delete_unit,
        fleet::states,
        fleet::state,
        fleet::list_machines,
        fleet::patch_machines,
        v1::list,
        v1::get_key,
        v1::put_key,
        v1::delete_key,
        v1::grant,
        v1::keep_alive,
        v1::revoke,
        v1::txn,
        v1::revision,
        v1::watch,
        cluster::endpoints,
        cluster::plan,
        cluster::why,
        cluster::drain,
        cluster::undrain,
        cluster::journal,
        document,
    ),
    // Sent over the watch stream, so no operation names it.
    components(schemas(flotta_registry::kv::Event)),
    modifiers(&Access),
    security(("bearer" = [])),
    tags(
        (name = "fleet", description = "fleet's API v1, for fleet's clients; `/v1-alpha/…` is an alias of every `/fleet/v1/…` route. Errors are `{\"error\": {\"code\", \"message\"}}`."),
        (name = "kv", description = "Raw keys of the backend, with revisions, conditions, transactions and a watch: the wire protocol of flotta-api's `Remote`."),
        (name = "leases", description = "Leases: keys on a lease vanish when it expires."),
        (name = "cluster", description = "Typed routes over the cluster: endpoints, the plan, why, drains, journals."),
        (name = "meta", description = "This document."),
    )
)]
struct ApiDoc;

/// The API's OpenAPI 3 document: every route of [`crate::router_with`]
/// (fleet's under `/fleet/v1`, whose `/v1-alpha` alias it names in words),
/// with its parameters, bodies, answers and the bearer token they take.
///
/// `docs/openapi.json` is this, pretty-printed; the server answers it at
/// `GET /v1/openapi.json`.
///
/// ```
/// let doc = flotta_api::openapi();
/// assert!(doc.paths.paths.contains_key("/fleet/v1/units/{name}"));
/// ```
pub fn openapi() -> Document {
    ApiDoc::openapi()
}

#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    tag = "meta",
    operation_id = "openapi_document",
    responses((status = 200, description = "This document", body = Object))
)]
pub(crate) async fn document() -> Response {
    axum::Json(openapi()).into_response()
}

/// The token check, which sits in front of every route: the bearer scheme,
/// a 401 on every operation and a 403 on every one a read token may not do.
struct Access;

impl Modify for Access {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.security_schemes.insert(
            "bearer".into(),
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A write token may do everything; a read token only GET and HEAD.",
                    ))
                    .build(),
            ),
        );
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        components.responses.insert(
            "Unauthorized".into(),
            error("A token is required: none or a wrong one was sent (`WWW-Authenticate: Bearer`)")
                .into(),
        );
        components.responses.insert(
            "ReadOnlyToken".into(),
            error("A read token was sent to a route that changes something").into(),
        );
        for item in doc.paths.paths.values_mut() {
            for (writes, operation) in operations(item) {
                let responses = &mut operation.responses.responses;
                responses
                    .entry("401".into())
                    .or_insert_with(|| Ref::from_response_name("Unauthorized").into());
                if writes {
                    // A handler's own 403 (a key of the cluster's) stays.
                    responses
                        .entry("403".into())
                        .or_insert_with(|| Ref::from_response_name("ReadOnlyToken").into());
                }
            }
        }
    }
}

/// A path's operations, each with whether a read token is refused it.
fn operations(
    item: &mut PathItem,
) -> impl Iterator<Item = (bool, &mut utoipa::openapi::path::Operation)> {
    let reads = [(false, &mut item.get), (false, &mut item.head)];
    let writes = [
        (true, &mut item.put),
        (true, &mut item.post),
        (true, &mut item.delete),
        (true, &mut item.patch),
        (true, &mut item.options),
        (true, &mut item.trace),
    ];
    reads
        .into_iter()
        .chain(writes)
        .filter_map(|(writes, op)| op.as_mut().map(|op| (writes, op)))
}
