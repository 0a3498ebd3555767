#!/usr/bin/env bash
# System packages and artifacts the test suite needs beyond the venv. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# Elasticsearch 8.14.3 (Maven Central) + procradar's analysis plugin for the search tests.
"${PYTHON:-.venv/bin/python}" -m rigs.esnode -build-only \
  || echo "test-deps: Elasticsearch node not built; its tests will skip with the reason" >&2
exit 0
