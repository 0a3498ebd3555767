#!/usr/bin/env bash
# System packages and artifacts the test suite needs beyond the venv. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# Elasticsearch 8.14.3 (Maven Central) + procradar's analysis plugin for the search tests.
"${PYTHON:-.venv/bin/python}" -m rigs.esnode -build-only \
  || echo "test-deps: Elasticsearch node not built; its tests will skip with the reason" >&2
# PostgreSQL server binaries (Debian's postgresql package) for the store's PostgreSQL tests:
# rigs/pgserver.py starts a throwaway cluster from /usr/lib/postgresql/<ver>/bin.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  echo "test-deps: installing Debian's postgresql package (server binaries for the store tests)" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  { $SUDO apt-get update -q \
    && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends postgresql; } \
    || echo "test-deps: postgresql not installed; the store's PostgreSQL tests will fail saying so" >&2
fi
# Chromium for the browser tests of the web UI (tests/test_browser.py, playwright drives it).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
    || echo "test-deps: chromium not installed; the browser tests will fail saying so" >&2
fi
exit 0
