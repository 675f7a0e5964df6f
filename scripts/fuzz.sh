#!/usr/bin/env bash
# The long fuzzing run: every target of tests/fuzz.rs (each call's validator and request
# building, the webhook and action-name checkers, options, format parsers, Retry-After,
# error codes, Mavibot failures, redaction) with FUZZ_CASES generated inputs per target —
# 16,000 by default, over 1,100,000 in total — in release mode with a fixed seed, so the same
# command replays the same inputs. Prints the cases every target really executed (counted in
# the property bodies), their total, and the time. Then, through the built package, hostile
# JavaScript values the native run can't make (tests/fuzz/values.mjs, FUZZ_JS_CASES cases).
#
#   scripts/fuzz.sh                      # the full run
#   FUZZ_CASES=2000 scripts/fuzz.sh      # a shorter one
#   FUZZ_SEED=42 scripts/fuzz.sh         # other inputs (reproducible with the same seed)
#   scripts/fuzz.sh mavibot              # only targets whose test name contains "mavibot"
#
# Release mode, but with overflow checks, debug assertions and unwinding, so that arithmetic
# overflow panics as it would under `cargo test`, and a panic is caught, shrunk and reported
# instead of aborting the process. Built in its own target directory (target/fuzz) so these
# settings don't invalidate the normal release build.
set -euo pipefail
cd "$(dirname "$0")/.."

export FUZZ_CASES="${FUZZ_CASES:-16000}"
export FUZZ_SEED="${FUZZ_SEED:-7881710983460381803}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/fuzz}"
export CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true
export CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=true
export CARGO_PROFILE_RELEASE_PANIC=unwind
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3
threads="${FUZZ_THREADS:-$(nproc 2>/dev/null || echo 2)}"
goal=1000000

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "== build: cargo test --release --test fuzz (target dir $CARGO_TARGET_DIR)"
t0=$(now)
cargo test --release --test fuzz --no-run --quiet
t1=$(now)

echo "== run: FUZZ_CASES=$FUZZ_CASES per target, FUZZ_SEED=$FUZZ_SEED, $threads test threads"
log=$(mktemp)
trap 'rm -f "$log" "$log.raw"' EXIT
set +e
cargo test --release --test fuzz --quiet -- --nocapture --test-threads="$threads" "$@" >"$log.raw" 2>&1
status=$?
# libtest's progress output may share a line with ours: keep each marker from where it starts.
sed -e 's/.*\(FUZZ-COUNT \)/\1/' -e 's/.*\(fuzz target `\)/\1/' "$log.raw" >"$log"
set -e
t2=$(now)

# Per-target lines, then the failures with their shrunk inputs.
echo
printf '%-46s %10s %10s %8s\n' target cases reached ms
grep '^FUZZ-COUNT ' "$log" | sort -k2,2 | awk '{
    name = $2; for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%-46s %10d %10d %8d\n", name, v["cases"], v["reached"], v["ms"]
}'
if grep -q '^fuzz target ' "$log"; then
    echo
    echo "== failures (minimal inputs after shrinking)"
    awk '/^fuzz target /{ on = 1 } on && /^(stack backtrace:|note: |thread |failures:|---- )/{ on = 0 } on' "$log"
fi
if [ "$status" -ne 0 ] && ! grep -q '^fuzz target ' "$log"; then
    echo
    echo "== cargo test failed before or outside the targets:"
    tail -n 40 "$log"
fi

read -r targets cases shrinks < <(grep '^FUZZ-COUNT ' "$log" | awk '{
    n++; for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "cases") c += kv[2]; if (kv[1] == "shrink_runs") s += kv[2] }
} END { printf "%d %d %d\n", n, c, s }')
failed=$(grep -c '^fuzz target ' "$log" || true)

echo
echo "== summary"
echo "targets:      $targets ($failed failed)"
echo "cases:        $cases generated inputs executed (plus $shrinks shrinking runs)"
echo "run time:     $(secs "$t1" "$t2") s on $threads threads (build $(secs "$t0" "$t1") s)"
echo "reproduce:    FUZZ_CASES=$FUZZ_CASES FUZZ_SEED=$FUZZ_SEED scripts/fuzz.sh $*"
if [ "$#" -eq 0 ] && [ "$cases" -lt "$goal" ] && [ "$failed" -eq 0 ]; then
    echo "fewer than $goal cases: raise FUZZ_CASES" >&2
    exit 1
fi
[ "$status" -eq 0 ] || exit "$status"

# JavaScript values the native run can't make (getters and proxies that throw, revoked proxies,
# lone surrogates, cycles …), through the built package.
if [ "$#" -eq 0 ]; then
    echo
    echo "== hostile JS values through the package (FUZZ_JS_CASES=${FUZZ_JS_CASES:-50000})"
    [ -f pkg/node.js ] || node scripts/build.mjs
    node tests/fuzz/values.mjs --cases "${FUZZ_JS_CASES:-50000}" --seed "${FUZZ_JS_SEED:-7}"
fi
