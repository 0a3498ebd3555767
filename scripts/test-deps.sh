#!/usr/bin/env bash
# System packages and artifacts the test suite needs beyond the venv. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# Elasticsearch 8.14.3 (Maven Central) + procradar's analysis plugin for the search tests.
"${PYTHON:-.venv/bin/python}" -m procradar.esnode -build-only \
  || echo "test-deps: Elasticsearch node not built; its tests will skip with the reason" >&2
# The artifact the search issue named; its status is printed in the pytest summary.
"${PYTHON:-.venv/bin/python}" -m procradar.esnode -probe-cluster-runner >/dev/null || true
exit 0
