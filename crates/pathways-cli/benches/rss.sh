#!/usr/bin/env bash
# The resident memory of `pathways serve` (release build, SQLite, the seeds, the
# response cache off) while the HTTP benchmark's queries run against it:
# `just bench-rss` (MINUTES, default 5). Prints the RSS every 30 s and the peak.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-target}"
minutes="${MINUTES:-5}"
cargo build --release --bin pathways
bench=$(cargo bench -p pathways-cli --bench http --no-run 2>&1 | grep -o '/[^ ]*release/deps/http-[0-9a-f]*' | tail -n 1)
scratch=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$scratch"' EXIT
"$target/release/pathways" serve --database "sqlite://$scratch/rss.db" --bind 127.0.0.1:0 \
  --no-cache --log-format json 2>"$scratch/serve.log" >/dev/null &
server=$!
address=""
for _ in $(seq 1 60); do
  address=$(grep -o '"address":"[^"]*"' "$scratch/serve.log" | head -n 1 | cut -d'"' -f4 || true)
  [ -n "$address" ] && break
  sleep 1
done
[ -n "$address" ] || { cat "$scratch/serve.log" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
echo "after start: $(rss) kB"
seconds=$(( minutes * 60 / 4 ))
BENCH_URL="http://$address" BENCH_SECONDS="$seconds" "$bench" &
load=$!
while kill -0 "$load" 2>/dev/null; do
  sleep 30
  kill -0 "$load" 2>/dev/null && echo "under load: $(rss) kB"
done
wait "$load"
echo "after the run: $(rss) kB; peak (VmHWM): $(awk '/^VmHWM/ {print $2}' "/proc/$server/status") kB"
