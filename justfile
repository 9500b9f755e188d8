# Recipes for those who have `just`; each is a plain cargo command underneath.

postgres_url := env_var_or_default("PATHWAYS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")

# Run the tests, PostgreSQL included.
test:
    PATHWAYS_TEST_POSTGRES_URL={{postgres_url}} PATHWAYS_REQUIRE_POSTGRES=1 cargo test --workspace

# Format check and clippy, as CI runs them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Everything CI runs.
ci:
    bash .ci/run

# Load the seeds into the embedded SQLite database.
ingest:
    cargo run --release -- ingest seeds

# Check the seeds.
validate:
    cargo run -- validate seeds

# Regenerate seeds/ from the committed page export.
import-seeds:
    cargo run -- import-page seeds/source/explore-ahp-career-pathways.txt --out seeds

# Print the served release in the page-export format.
export-page:
    cargo run -- export-page

# Validate + ingest time for the seeds and a corpus 100x larger.
bench:
    PATHWAYS_TEST_POSTGRES_URL={{postgres_url}} cargo bench -p pathways-cli --bench ingest

# /healthz and /readyz latency while 32 connections run the heaviest allowed query over ~6,000 steps.
bench-probes:
    cargo bench -p pathways-cli --bench probes

# Requests/s and p50/p99 over HTTP, cache on and off, SQLite and PostgreSQL, against the fixed-bytes ceiling.
bench-http:
    PATHWAYS_TEST_POSTGRES_URL={{postgres_url}} cargo bench -p pathways-cli --bench http

# The HTTP benchmark's rows against a build of REV and this tree, in turns (ROUNDS=6, BENCH_SECONDS=3): medians and ratios.
bench-before-after rev="afddef8":
    bash crates/pathways-cli/benches/before_after.sh {{rev}}

# Snapshot read and build time for a 6,000-step release, and search in the database against search in memory.
bench-snapshot:
    PATHWAYS_TEST_POSTGRES_URL={{postgres_url}} cargo bench -p pathways-cli --bench snapshot

# Time from `pathways publish` returning to two replicas serving the release, polling against listening (PostgreSQL).
bench-propagation:
    PATHWAYS_TEST_POSTGRES_URL={{postgres_url}} cargo bench -p pathways-cli --bench propagation

# Peak memory of `pathways validate` against input size (10 MB files, 10,000 files).
bench-memory:
    bash crates/pathways-cli/benches/memory.sh

# Server memory with 500 slow clients holding unfinished headers, with the header cap and before it (BENCH_CAP, BENCH_CONNECTIONS).
bench-slow-clients *flags:
    cargo bench -p pathways-cli --bench slow_clients {{flags}}

# Resident memory of `pathways serve` (cache off) through a run of the HTTP benchmark's queries (MINUTES=5).
bench-rss:
    bash crates/pathways-cli/benches/rss.sh

# Serve the API on the embedded SQLite database (seeded on first start).
serve:
    cargo run --release -- serve

# The explorer in headless Chromium and the graphql-http audits (needs chromium and npm).
test-web:
    cargo build --bin pathways
    cd tests/web && npm ci --no-audit --no-fund && npm test

# The same queries with wrk against the release binary (needs wrk); `just bench-wrk --no-cache`.
bench-wrk *flags:
    cargo build --release --bin pathways
    bash crates/pathways-cli/benches/wrk/run.sh {{flags}}
