#!/usr/bin/env bash
# Lints docker/Dockerfile.* with dockerfile-utils (from npm, pinned in .ci/lint/package-lock.json); needs no
# Docker engine. Fails on any finding, warnings included. Needs Node.js and npm on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "lint-dockerfiles: npm not found; install Node.js (e.g. apt-get install npm)" >&2; exit 1; }
npm ci --prefix .ci/lint --no-audit --no-fund --silent
lint=.ci/lint/node_modules/.bin/dockerfile-utils

status=0
for dockerfile in docker/Dockerfile.*; do
    findings=$("$lint" lint "$dockerfile" 2>&1) || true
    if [ -n "$findings" ]; then
        echo "$dockerfile:"
        echo "$findings"
        status=1
    else
        echo "$dockerfile: clean"
    fi
done
exit "$status"
