#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per JSON in -> JSON out triage with the built-in rules, for each bench case, by callgrind:
# (count at 1001 triages - count at 1) / 1000. Exact and repeatable on a busy machine.
#   usage: bench/run_callgrind.sh [BUILD_DIR]      (builds symtri_count_triage in BUILD_DIR, default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target symtri_count_triage >/dev/null
exe="$build/bin/symtri_count_triage"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$1" "$2" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for c in typical red_flag empty; do
  one=$(count "$c" 1)
  many=$(count "$c" 1001)
  echo "$c: $(( (many - one) / 1000 )) instructions per triage"
done
