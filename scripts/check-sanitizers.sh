#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Memory and thread checks, run by `scripts/dev.sh test` in CI (CI=true) or with SYMTRI_CHECKS=1 (docs/reliability.md):
#
#   scripts/check-sanitizers.sh [asan] [tsan] [valgrind] [fuzz]     default: all four, in that order
#
#   asan      build-asan/ (g++, ASan + UBSan, -O1): the whole CTest suite. The Python binding's tests load
#             the instrumented libsymtri.so into a plain python3, so they run with libasan preloaded (leak
#             checking off for them: CPython keeps memory until exit by design; the C API's own tests do
#             check for leaks, under ASan here and under valgrind below).
#   tsan      build-tsan/ (g++, TSan): the thread tests: the engine's shared-rules test, the C API's
#             [threads] tests, and the CLI tests (batch --threads).
#   valgrind  the C API tests under memcheck, from an ordinary build (${SYMTRI_VALGRIND_BUILD:-build}, the
#             one `scripts/dev.sh test` made): zero errors and zero leaks, or it fails.
#   fuzz      fuzz/run.sh ${SYMTRI_FUZZ_SECONDS:-40} (clang 14, libFuzzer, ASan + UBSan): each target for
#             that long, plus every input in fuzz/regressions/.
#
# Each part prints how long it took. Any sanitizer report fails the part, and the script exits non-zero
# if any part failed.
set -uo pipefail
cd "$(dirname "$0")/.."

parts=("$@")
((${#parts[@]})) || parts=(asan tsan valgrind fuzz)
jobs=$(nproc 2>/dev/null || echo 2)
failed=()
timings=()

# halt_on_error: the first report fails the test that made it. detect_leaks: leaks are errors too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

configure() {  # configure DIR SANITIZERS
  local dir=$1 san=$2
  # g++ on purpose: it links libasan/libtsan into shared libraries too (libsymtri.so is linked with
  # --no-undefined), and python3 can preload the same runtime for the binding's tests.
  if [ ! -f "$dir/CMakeCache.txt" ] || ! grep -q "SYMTRI_SANITIZE:STRING=$san\$" "$dir/CMakeCache.txt" ||
     ! grep -Eq '^CMAKE_CXX_COMPILER:[A-Z]+=(.*/)?g\+\+$' "$dir/CMakeCache.txt" ||
     ! grep -q '^SYMTRI_UNITY_BUILD:BOOL=OFF$' "$dir/CMakeCache.txt"; then
    rm -rf "$dir"
    CC=gcc CXX=g++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DSYMTRI_SANITIZE="$san" -DSYMTRI_BUILD_BENCH=OFF -DSYMTRI_UNITY_BUILD=OFF \
      -DSYMTRI_BUILD_EXAMPLES=OFF >/dev/null || return 1
  fi
}

part() {  # part NAME COMMAND...: runs and times one part
  local name=$1 start rc
  shift
  echo "== $name"
  start=$(date +%s)
  "$@"
  rc=$?
  timings+=("$(printf '%-9s %5ss  %s' "$name" "$(($(date +%s) - start))" "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
  [ $rc -eq 0 ] || failed+=("$name")
}

run_asan() {
  configure build-asan address,undefined || return 1
  cmake --build build-asan -j"$jobs" >build-asan/build.log 2>&1 || { grep -B2 -A12 -m3 'error' build-asan/build.log; return 1; }
  local rc=0 libasan
  # install_*: packaging tests, which build plain consumers against the instrumented library; they run
  # in the ordinary build.
  (cd build-asan && SYMTRI_SANITIZED=1 ctest --output-on-failure -j"$jobs" -E '^(python\.|install_)') || rc=1
  if grep -q 'python\.' build-asan/CTestTestfile.cmake build-asan/tests/CTestTestfile.cmake 2>/dev/null ||
     [ -d build-asan/tests/python ]; then
    # libstdc++ too: ASan's __cxa_throw interceptor must find the real one when python (a C program)
    # starts, or the first C++ exception the library throws (and catches) aborts.
    libasan="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libstdc++.so)"
    (cd build-asan && LD_PRELOAD="$libasan" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
       ctest --output-on-failure -j"$jobs" -R '^python\.') || rc=1
  fi
  return $rc
}

run_tsan() {
  configure build-tsan thread || return 1
  local targets=(symtri_tests symtri_cli)
  [ -f tests/capi/CMakeLists.txt ] && targets+=(symtri_capi_tests)
  cmake --build build-tsan -j"$jobs" --target "${targets[@]}" >build-tsan/build.log 2>&1 ||
    { grep -B2 -A12 -m3 'error' build-tsan/build.log; return 1; }
  local rc=0 libtsan
  (cd build-tsan && ctest --output-on-failure -j"$jobs" -R 'thread|^cli$|^bad_batch_and_limits$' -E '^python\.') || rc=1
  # The Python binding's thread tests with the TSan runtime preloaded, so its interceptors (pthread,
  # malloc) come first for python3 and the library alike: loaded only as libsymtri.so's dependency
  # (ctypes, RTLD_LOCAL), it runs but may not see the library's locking. symtri_capi is built for it.
  if [ -f tests/python/CMakeLists.txt ]; then
    cmake --build build-tsan -j"$jobs" --target symtri_capi >>build-tsan/build.log 2>&1 || return 1
    libtsan="$(g++ -print-file-name=libtsan.so) $(g++ -print-file-name=libstdc++.so)"
    (cd build-tsan && LD_PRELOAD="$libtsan" TSAN_OPTIONS=halt_on_error=1 \
       ctest --output-on-failure -j"$jobs" -R '^python\.(threads|hardening)$') || rc=1
  fi
  return $rc
}

run_valgrind() {
  local dir=${SYMTRI_VALGRIND_BUILD:-build}
  if ! command -v valgrind >/dev/null; then echo "valgrind is not installed"; return 1; fi
  if [ ! -f tests/capi/CMakeLists.txt ]; then echo "no C API tests in this tree: nothing to check"; return 0; fi
  if [ ! -x "$dir/bin/symtri_capi_tests" ]; then
    [ -f "$dir/CMakeCache.txt" ] || cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || return 1
    cmake --build "$dir" -j"$jobs" --target symtri_capi_tests symtri_cli >/dev/null || return 1
  fi
  local bin
  bin=$(find "$dir" -name symtri_capi_tests -type f -perm -u+x | head -1)
  [ -n "$bin" ] && bin=$(realpath "$bin")
  [ -n "$bin" ] || { echo "symtri_capi_tests not found in $dir"; return 1; }
  # Every leak kind counts; --error-exitcode makes any of them (or any memory error) fail the part.
  (cd "$(dirname "$bin")" && valgrind --quiet --error-exitcode=99 --leak-check=full \
     --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
     --track-origins=yes --fair-sched=yes "$bin" --reporter compact)
}

run_fuzz() {
  fuzz/run.sh "${SYMTRI_FUZZ_SECONDS:-40}"
}

for p in "${parts[@]}"; do
  case "$p" in
    asan) part "asan+ubsan" run_asan ;;
    tsan) part tsan run_tsan ;;
    valgrind) part valgrind run_valgrind ;;
    fuzz) part fuzz run_fuzz ;;
    *) echo "unknown part '$p' (asan, tsan, valgrind, fuzz)" >&2; exit 2 ;;
  esac
done

echo "== sanitizer and memory checks"
printf '%s\n' "${timings[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
