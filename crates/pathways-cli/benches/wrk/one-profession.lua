-- wrk script: POSTs the one-profession query of benches/http.rs to /graphql.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ profession(slug: \\"physiotherapist\\") { name steps { position title level { number label } entryRoute { name stages { name optional } } role { slug title description } } } }"}'
