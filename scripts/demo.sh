#!/usr/bin/env bash
# Install gostatic into .venv and lint the bundled example service under examples/. Its main package
# ships default.pgo, a CPU profile of its benchmark (scripts/make_profiles.sh), so the findings come
# ranked by the share of CPU time their code holds, as Go's PGO convention makes it the service's profile.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/gostatic ]; then
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
cd examples
status=0
../.venv/bin/gostatic check --statistics ./... || status=$?
echo
echo "The profile's view: its top functions in the service and the findings inside them"
../.venv/bin/gostatic profile inventory/cmd/inventoryd/default.pgo ./... --top 8 || status=$?
echo
echo "gostatic exited with $status (0: clean, 1: findings at or above the fail level, 2: error)"
[ "$status" -le 1 ]
