#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per JSON in -> JSON out triage with the built-in rules, for each bench case, by callgrind:
# (count at 1001 triages - count at 1) / 1000. Exact and repeatable on a busy machine.
#   usage: bench/run_callgrind.sh [--phases] [BUILD_DIR]   (builds symtri_count_triage in BUILD_DIR, default build)
# --phases also splits each case's count by phase: reading the case (parse_case), evaluating it
# (Evaluator::evaluate), and of that the question planner (Evaluator::plan_questions), and writing the
# result (write_result), and of that the question objects (detail::write_question); each inclusive of
# what it calls, from callgrind_annotate's function totals. A phase the compiler inlined into its caller
# has no total of its own and is shown as "inlined".
set -euo pipefail
cd "$(dirname "$0")/.."
phases=0
if [ "${1:-}" = "--phases" ]; then phases=1; shift; fi
build=${1:-build}
cmake --build "$build" --target symtri_count_triage >/dev/null
exe="$build/bin/symtri_count_triage"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {  # count CASE N: total instructions; the profile is kept in $tmp/CASE.N
  valgrind --tool=callgrind --callgrind-out-file="$tmp/$1.$2" "$exe" "$1" "$2" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# totals PROFILE: its function totals, inclusive, once per profile (PROFILE.txt), for inclusive().
totals() { callgrind_annotate --inclusive=yes --threshold=100 "$1" > "$1.txt" 2>/dev/null; }
# inclusive PROFILE PATTERN: the function total of the one function whose name starts with PATTERN.
inclusive() {
  awk -v pat="$2" '!found && index($0, ":" pat) > 0 { found = $1; gsub(",", "", found) } END { if (found) print found }' "$1.txt"
}
phase() {  # phase CASE LABEL PATTERN
  local one many
  one=$(inclusive "$tmp/$1.1" "$3")
  many=$(inclusive "$tmp/$1.1001" "$3")
  if [ -z "$many" ]; then printf '  %-34s inlined\n' "$2"; return; fi
  printf '  %-34s %d\n' "$2" $(( (many - ${one:-0}) / 1000 ))
}
for c in typical red_flag empty; do
  one=$(count "$c" 1)
  many=$(count "$c" 1001)
  echo "$c: $(( (many - one) / 1000 )) instructions per triage"
  if [ "$phases" = 1 ]; then
    totals "$tmp/$c.1"
    totals "$tmp/$c.1001"
    phase "$c" "reading the case" "symtri::parse_case("
    phase "$c" "evaluating" "symtri::Evaluator::evaluate(symtri::Case const&, symtri::Outcome&)"
    phase "$c" "  of which planning the questions" "symtri::Evaluator::plan_questions("
    phase "$c" "writing the result" "symtri::write_result("
    phase "$c" "  of which the question objects" "symtri::detail::write_question("
  fi
done
