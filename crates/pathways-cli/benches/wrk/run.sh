#!/usr/bin/env bash
# wrk against the release binary: /healthz (the ceiling), then the benchmark's two
# queries. Extra arguments go to `pathways serve` (for example --no-cache).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${CARGO_TARGET_DIR:-$here/../../../../target}/release/pathways"
scratch=$(mktemp -d)
port=18090
"$bin" serve --database "sqlite://$scratch/bench.db" --bind "127.0.0.1:$port" "$@" 2>"$scratch/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
run() { echo "== $1"; shift; wrk -t1 -c32 -d5s --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx"; }
run "fixed bytes (/healthz)" "http://127.0.0.1:$port/healthz"
run "full nested query" -s "$here/full-nested.lua" "http://127.0.0.1:$port/graphql"
run "one profession" -s "$here/one-profession.lua" "http://127.0.0.1:$port/graphql"
