#!/usr/bin/env bash
# The page's browser tests: Playwright (playwright-core) driving Debian's
# chromium headless against the service started here on a free loopback
# port with a throwaway token. Run from anywhere: `bash service/browser/run.sh`.
# Installs what is missing: chromium (apt-get) and the pinned npm packages
# (npm ci). CAREMATCH_BIN: a built carematch-service to use instead of
# building the release one. Screenshots and metrics.json land in
# service/browser/screenshots/ (gitignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium"
    (apt-get install -y -q chromium >/dev/null 2>&1) || {
        apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null
    }
fi
(cd "$here" && npm ci --no-fund --no-audit --loglevel=error)

bin="${CAREMATCH_BIN:-}"
if [ -z "$bin" ]; then
    cargo build --release -p carematch-service --quiet
    bin="${CARGO_TARGET_DIR:-$root/target}/release/carematch-service"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
token="browser-test-$(date +%s)-$$-token"
log=$(mktemp)
CAREMATCH_LOG_LEVEL=warn "$bin" --listen "127.0.0.1:$port" --db :memory: \
    --tokens "browser:$token" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "the service did not start"; exit 1; fi
    sleep 0.1
done
cd "$here"
CAREMATCH_URL="http://127.0.0.1:$port" CAREMATCH_TOKEN="$token" CHROMIUM=/usr/bin/chromium \
    node --test --test-concurrency=1 --test-reporter=spec tests/
