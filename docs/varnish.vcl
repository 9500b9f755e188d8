vcl 4.1;

# Varnish 7 in front of pathways (Debian: `apt-get install varnish varnish-modules`).
#
# - Caches GET /graphql answers, APQ GETs included (`?extensions=...`), for as
#   long as their Cache-Control says (`serve --cache-control`, default
#   `public, max-age=60`); answers without Cache-Control (refusals, errors,
#   an APQ hash the server does not know yet) are never kept.
# - Tags each answer with its Surrogate-Key keys (vmod xkey), so a publish
#   purges only what changed: run every server with
#   `pathways serve --purge http://VARNISH:6081/`, and each publish sends one
#   `PURGE` with `xkey-purge: <keys>` (once across servers, retried).
# - Accepts PURGE only from the addresses in `acl purgers`: the servers.
# - Varies on Accept, normalised to the two media types pathways answers with.
# - Previews (a token, a `Pathways-Release` header) and POSTs go straight through.
#
# The test `tests/e2e/varnish.rs` runs this file with its backends' ports replaced.

import directors;
import xkey;

# The pathways servers: replicas over one database answer alike.
backend pathways_a {
    .host = "127.0.0.1";
    .port = "8080";
}

backend pathways_b {
    .host = "127.0.0.1";
    .port = "8081";
}

# Who may PURGE: where the pathways servers run.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new replicas = directors.round_robin();
    replicas.add_backend(pathways_a);
    replicas.add_backend(pathways_b);
}

sub vcl_recv {
    set req.backend_hint = replicas.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "PURGE is not allowed from this address"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header naming keys"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url !~ "^/graphql(\?|$)") {
        return (pass);
    }
    # A preview is for the one who asked, and an authorised request may be one.
    if (req.http.Authorization || req.http.Pathways-Release) {
        return (pass);
    }
    # Answers never depend on cookies.
    unset req.http.Cookie;

    # Two media types, chosen as the server chooses: one cached copy each,
    # whatever else the client's Accept lists.
    if (!req.http.Accept) {
        set req.http.Accept = "application/json";
    } elsif (req.http.Accept ~ "(?i)application/graphql-response\+json") {
        set req.http.Accept = "application/graphql-response+json";
    } elsif (req.http.Accept ~ "(?i)(application/json|\*/\*|application/\*)") {
        set req.http.Accept = "application/json";
    }
    return (hash);
}

sub vcl_backend_response {
    # Keep only what the server says may be kept.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # xkey reads its keys from `xkey`: pathways names them in Surrogate-Key.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Revalidate with the server's ETag for a while after max-age runs out.
    set beresp.keep = 1h;
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.n-gone;
}
