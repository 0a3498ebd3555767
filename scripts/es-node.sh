#!/usr/bin/env bash
# Start a local Elasticsearch cluster for development and tests (Ctrl-C stops it).
#   scripts/es-node.sh                         one node on http://127.0.0.1:9200, data in es_home/
#   scripts/es-node.sh -numOfNode 3 -baseHttpPort 9201 -basePath /tmp/es
#   scripts/es-node.sh -build-only             only fetch Elasticsearch and build the plugin
# Then: PROCRADAR_ES_URL=http://127.0.0.1:9200 procradar --config <file with
# search.backend: elasticsearch> reindex
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
exec "$PY" -m rigs.esnode "$@"
