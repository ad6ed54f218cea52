#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the peers symtri is measured against (bench/peers/run.py calls this):
#   json-rules-engine, json-logic-js and GoRules ZEN (@gorules/zen-engine, a Rust core with an N-API
#   binding) from npm, pinned by package-lock.json (npm ci). ZEN's native code is a prebuilt binary in an
#   optional per-platform package. The registry the lock was written against served only the linux x64
#   ones (glibc, musl): those are locked with their integrity; the other platforms' entries were added by
#   hand (version, os, cpu, libc from zen-engine's napi targets, no integrity) so that npm ci accepts the
#   lock; npm skips them here, and elsewhere fetches them unverified (or ZEN is skipped, run.py says so).
#   Nothing is compiled at install time, and nothing is fetched when symtri itself is built;
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
