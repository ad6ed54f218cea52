#!/usr/bin/env bash
# Installs the peers symtri is measured against (bench/peers/run.py calls this):
#   json-rules-engine, json-logic-js and GoRules ZEN (@gorules/zen-engine, a Rust core with an N-API
#   binding) from npm, pinned by package-lock.json (npm ci). ZEN's native code is a prebuilt binary in an
#   optional per-platform package; the lock file records the linux x64 ones (glibc, musl), the only ones
#   the registry mirror this was locked against serves. Nothing is compiled or downloaded at install time
#   beyond these packages, and nothing at all when symtri itself is built;
#   CLIPS 6.30 (program and C library) from Debian: clips, libclips-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! dpkg -s libclips-dev >/dev/null 2>&1 || ! dpkg -s clips >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  apt-cache policy clips libclips-dev | sed -n '1,3p;5,7p'
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clips libclips-dev >/dev/null
fi
dpkg -s libclips-dev | grep -E '^(Package|Version):' | paste -sd' '

if [ ! -d "$here/node_modules/json-rules-engine" ] || [ ! -d "$here/node_modules/json-logic-js" ] ||
   [ ! -d "$here/node_modules/@gorules/zen-engine" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$here" && node -e 'for (const p of ["json-rules-engine", "json-logic-js", "@gorules/zen-engine"])
  console.log(p, require(`./node_modules/${p}/package.json`).version)')
# ZEN's binary for this platform loads (a missing one is reported, and run.py then skips ZEN).
(cd "$here" && node -e 'try { require("@gorules/zen-engine"); console.log("zen-engine native binding: ok,",
  process.platform, process.arch, "node", process.version) } catch (e) { console.log("zen-engine native binding:",
  "not available here (" + String(e.message).split(/\n/)[0] + ")") }')
