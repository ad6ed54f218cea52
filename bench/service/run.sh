#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load on loopback with wrk: `symtri serve` against json-rules-engine behind Node's own http server,
# both answering the same case (the first of bench/peers/shipped.py's fully answered cases, in each
# one's format), plus symtri on the typical case of bench/src/bench_cases.hpp. A measurement, not a test.
#
#   bench/service/run.sh [SECONDS] [CONNECTIONS]     default 30 s, 64 connections, 2 wrk threads
#   SYMTRI_BIN=build/bin/symtri SERVE_THREADS=2      the program and its thread count
#
# Prints, per run: requests, socket errors, non-200 answers, requests/s, p50 and p99 latency, and
# `uptime` before each run (the machine's load is part of the figure).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
conns=${2:-64}
bin=${SYMTRI_BIN:-build/bin/symtri}
threads=${SERVE_THREADS:-2}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
[ -d bench/peers/node_modules/json-rules-engine ] || bench/peers/install.sh
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

python3 bench/peers/shipped.py --rules rules --out "$work" --cases 8 >/dev/null
head -1 "$work/symtri-cases-shipped.jsonl" >"$work/symtri-case.json"
head -1 "$work/facts-shipped.jsonl" >"$work/jre-facts.json"
python3 - "$work/typical.json" <<'PY'
import re, sys
src = open("bench/src/bench_cases.hpp").read()
m = re.search(r'kTypical =\s*((?:R"\((?:.*?)\)"\s*)+);', src, re.S)
open(sys.argv[1], "w").write("".join(re.findall(r'R"\((.*?)\)"', m.group(1), re.S)))
PY

start() {  # start NAME COMMAND...: runs it, waits for its {"event":"listening","port":N} line
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(grep -o '"port":[0-9]*' "$work/$name.out" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && return
    sleep 0.1
  done
  echo "$name did not start" >&2; cat "$work/$name.err" >&2; exit 1
}

run() {  # run LABEL PORT PATH BODY
  echo "== $1: POST $3, $conns connections, ${secs}s"
  echo "   load before: $(uptime)"
  BODY=$4 wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/service/post.lua "http://127.0.0.1:$2$3" | grep RESULT
}

start symtri "$bin" serve --listen 127.0.0.1:0 --threads "$threads" --no-access-log
symtri_port=$port
start node node bench/peers/node_http_server.js "$work" 0
node_port=$port
# Same answer check before timing: both fire rules for the case.
curl -s -H 'Content-Type: application/json' --data-binary @"$work/symtri-case.json" "http://127.0.0.1:$symtri_port/v1/triage" | head -c 200; echo
curl -s -H 'Content-Type: application/json' --data-binary @"$work/jre-facts.json" "http://127.0.0.1:$node_port/" | head -c 200; echo

run "symtri serve (threads $threads), shipped.py case 0" "$symtri_port" /v1/triage "$work/symtri-case.json"
run "json-rules-engine + node http, shipped.py case 0" "$node_port" / "$work/jre-facts.json"
run "symtri serve (threads $threads), typical case" "$symtri_port" /v1/triage "$work/typical.json"
echo "   load after: $(uptime)"
