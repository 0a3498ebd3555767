#!/usr/bin/env bash
# System packages and artifacts the test suite needs beyond the venv. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# (Chromium and the Elasticsearch node are added here by the issues that need them.)
exit 0
