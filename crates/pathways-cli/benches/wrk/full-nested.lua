-- wrk script: POSTs the full nested query of benches/http.rs to /graphql.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ professions(first: 100) { totalCount edges { node { slug name hasPathway levels { level { number label } routes { slug name stages { position name optional } } steps { position title intro entryRoute { slug } role { slug title shared description jobTitles workingWith usedBy { slug } } } } } } } }"}'
