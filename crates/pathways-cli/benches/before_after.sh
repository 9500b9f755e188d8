#!/usr/bin/env bash
# The HTTP benchmark's rows against `pathways serve` built from REV and from this
# tree, taken in turns: `just bench-before-after REV` (ROUNDS, default 6;
# BENCH_SECONDS per row, default 3).
#
# On a shared machine the same binary moves by 15-20 % from one minute to the
# next, so one run of each, one after the other, cannot tell a loss from noise.
# Here both builds serve at once, on SQLite seeded from this tree's seeds, and
# each round drives one and then the other, the order swapped every round, so a
# stretch of slow or fast machine weighs on both alike. It prints each row's
# median requests/s and CPU time per request (the server process's user and
# system time over the requests answered), and after ÷ before of each.
#
# REV is exported (git archive) into BEFORE_TARGET/src and built with that
# target folder (default /var/tmp/pathways-before-target), kept for the next run
# of the same REV: one target folder for two checkouts of different commits
# would mix their crates.
set -euo pipefail
rev="${1:?usage: before_after.sh REV}"
cd "$(dirname "$0")/../../.."
root=$(pwd)
rounds="${ROUNDS:-6}"
export BENCH_SECONDS="${BENCH_SECONDS:-3}"
before_target="${BEFORE_TARGET:-/var/tmp/pathways-before-target}"
after_target="${CARGO_TARGET_DIR:-$root/target}"
port="${BASE_PORT:-18400}"
scratch=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

commit=$(git rev-parse --verify "$rev^{commit}")
if [ "$(cat "$before_target/src/.commit" 2>/dev/null)" != "$commit" ]; then
  rm -rf "$before_target/src"
  mkdir -p "$before_target/src"
  git archive "$commit" | tar -x -C "$before_target/src"
  echo "$commit" >"$before_target/src/.commit"
fi
(cd "$before_target/src" && CARGO_TARGET_DIR="$before_target" cargo build --release --bin pathways)
cargo build --release --bin pathways
bench=$(cargo bench -p pathways-cli --bench http --no-run 2>&1 |
  grep -o '/[^ ]*release/deps/http-[0-9a-f]*' | tail -n 1)

# start NAME BINARY [FLAGS...]: a server on the next port, seeded on first start.
start() {
  local name=$1 binary=$2
  shift 2
  "$binary" serve --database "sqlite://$scratch/$name.db" --seeds "$root/seeds" \
    --bind "127.0.0.1:$port" --max-complexity 1000000 "$@" >"$scratch/$name.log" 2>&1 &
  servers+=("$!")
  eval "${name}_pid=$! ${name}_url=http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$scratch/$name.log" >&2; exit 1; }
  port=$((port + 1))
}
start before_off "$before_target/release/pathways" --no-cache
start after_off "$after_target/release/pathways" --no-cache
start before_on "$before_target/release/pathways"
start after_on "$after_target/release/pathways"

# drive SIDE CACHE: one pass of the benchmark's rows, as tab-separated lines of
# side, cache, row, requests/s, CPU µs per request, errors.
drive() {
  local side=$1 cache=$2 server="${1}_${2}"
  local url_var="${server}_url" pid_var="${server}_pid"
  BENCH_URL="${!url_var}" BENCH_PID="${!pid_var}" "$bench" |
    awk -v side="$side" -v cache="$cache" 'NR > 1 {
      name = substr($0, 1, 26); sub(/ +$/, "", name)
      split(substr($0, 27), f, " "); sub(/µs$/, "", f[8])
      print side "\t" cache "\t" name "\t" f[3] "\t" f[8] "\t" f[7]
    }' >>"$scratch/rows.tsv"
}
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  for cache in off on; do
    if [ $((round % 2)) -eq 1 ]; then
      drive before "$cache"; drive after "$cache"
    else
      drive after "$cache"; drive before "$cache"
    fi
  done
done

# The median, least and most of column COLUMN for each cache, row and side.
medians() {
  sort -t $'\t' -k2,2 -k3,3 -k1,1 -k"$1,$1"n "$scratch/rows.tsv" |
    awk -F '\t' -v c="$1" '
      function flush() {
        if (n) print key "\t" (v[int((n + 1) / 2)] + v[int(n / 2) + 1]) / 2 "\t" v[1] "\t" v[n]
      }
      { k = $2 "\t" $3 "\t" $1; if (k != key) { flush(); key = k; n = 0 } v[++n] = $c }
      END { flush() }'
}
errors=$(awk -F '\t' '{ s += $6 } END { print s + 0 }' "$scratch/rows.tsv")
medians 4 >"$scratch/rps"
medians 5 >"$scratch/cpu"
echo "$rounds rounds of $BENCH_SECONDS s per row; before = $rev ($(git rev-parse --short "$rev")), after = this tree; $errors errors"
echo "medians, with the least and most of the rounds in brackets"
printf "%-6s %-24s %10s %10s %7s %17s %17s %7s\n" cache row "req/s bef" "req/s aft" ratio \
  "CPU/req bef" "CPU/req aft" ratio
awk -F '\t' '
  FNR == NR { rps[$1 "\t" $2, $3] = $4; next }
  { cpu[$1 "\t" $2, $3] = $4; spread[$1 "\t" $2, $3] = sprintf("(%d-%d)", $5, $6); rows[$1 "\t" $2] = 1 }
  END {
    for (row in rows) {
      split(row, r, "\t")
      b = row SUBSEP "before"; a = row SUBSEP "after"
      printf "%-6s %-24s %10d %10d %6.2fx %5dµs %-10s %5dµs %-10s %6.2fx\n", r[1], r[2],
        rps[b], rps[a], rps[a] / rps[b], cpu[b], spread[b], cpu[a], spread[a], cpu[a] / cpu[b]
    }
  }' "$scratch/rps" "$scratch/cpu" | sort
