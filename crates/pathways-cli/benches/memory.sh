#!/usr/bin/env bash
# Peak memory of `pathways validate` (release build) against input size, for
# three shapes of input just under the 10 MiB file limit: a file of many small
# keys, a file of one long string, and a folder of 10,000 small files.
# `just bench-memory`; prints input bytes, peak RSS and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --bin pathways >/dev/null 2>&1
bin="$target/release/pathways"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

python3 - "$scratch" <<'PY'
import os, sys
root = sys.argv[1]
limit = 10 * 1024 * 1024 - 1024
# Many small keys: a profession file whose mapping has ~700,000 keys.
os.makedirs(f"{root}/keys/professions")
with open(f"{root}/keys/professions/many.yaml", "w") as f:
    f.write("slug: many\nname: Many\n")
    i, size = 0, 22
    while True:
        line = f"k{i}: {i}\n"
        if size + len(line) > limit:
            break
        f.write(line); size += len(line); i += 1
# One long string: a role's paragraph of 10 MiB.
os.makedirs(f"{root}/string")
with open(f"{root}/string/roles.yaml", "w") as f:
    head = "roles:\n  - slug: long\n    title: Long\n    level: Level 2\n    content:\n      - paragraph: "
    f.write(head + "word " * ((limit - len(head)) // 5) + "\n")
# 10,000 small files: professions with a pathway each.
os.makedirs(f"{root}/files/professions")
for i in range(10_000):
    with open(f"{root}/files/professions/p{i}.yaml", "w") as f:
        f.write(f"slug: p{i}\nname: Profession {i}\npathway:\n  steps:\n"
                f"    - title: Worker {i}\n      level: Level 2\n      role: r{i}\n"
                f"roles:\n  - slug: r{i}\n    title: Worker {i}\n    level: Level 2\n"
                f"    content:\n      - paragraph: Worker {i} works with people.\n")
PY

printf '%-28s %12s %12s %8s\n' "input" "bytes" "peak RSS" "ratio"
for case in keys string files; do
  bytes=$(du -sb "$scratch/$case" | cut -f1)
  peak_kb=$( { /usr/bin/time -f '%M' "$bin" validate "$scratch/$case" --format json >/dev/null 2>"$scratch/err" || true; } ; tail -n 1 "$scratch/err")
  awk -v c="$case" -v b="$bytes" -v k="$peak_kb" 'BEGIN {
    names["keys"] = "10 MB file, many small keys"; names["string"] = "10 MB file, one long string"; names["files"] = "10,000 small files";
    printf "%-28s %12d %10.1f MB %7.1fx\n", names[c], b, k / 1024, (k * 1024) / b }'
done
