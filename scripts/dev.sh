#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's two commands, on a fresh Debian 12 machine:
#   scripts/dev.sh demo   install what is missing, build, triage a sample case with the built-in rules
#   scripts/dev.sh test   install what is missing, build, run every test through CTest
# Only Debian packages are used; nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-}
case "$what" in
  demo|test) ;;
  *) echo "usage: scripts/dev.sh demo|test" >&2; exit 2 ;;
esac

# Debian 12 packages the build and the tests need (see README, "Dependencies").
packages=(cmake make g++ python3 nlohmann-json3-dev libcli11-dev catch2 libboost-dev libbenchmark-dev curl
          pkg-config python3-jsonschema python3-dask python3-distributed python3-pip)
# The memory and thread checks (scripts/check-sanitizers.sh: the suite under ASan+UBSan, the thread
# tests under TSan, the C API tests under valgrind, a bounded fuzz run) are part of `test` in CI
# (CI=true) and when SYMTRI_CHECKS=1; SYMTRI_CHECKS=0 turns them off. They need Ninja, clang 14 with
# its runtimes for libFuzzer, and valgrind. Timings: docs/reliability.md.
checks=0
default_checks=0
[ "${CI:-}" = true ] && default_checks=1
if [ "$what" = test ] && [ "${SYMTRI_CHECKS:-$default_checks}" = 1 ]; then
  checks=1
  packages+=(ninja-build clang-14 libclang-rt-14-dev valgrind)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
echo "== configuring and building in build/ ($jobs jobs)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# The demo needs only the program; the tests need everything.
if [ "$what" = demo ]; then
  cmake --build build -j"$jobs" --target symtri_cli
else
  cmake --build build -j"$jobs"
fi

if [ "$what" = demo ]; then
  echo "== symtri triage --pretty examples/cases/demo.json   (built-in rule set)"
  build/bin/symtri triage --pretty examples/cases/demo.json
else
  echo "== running every test"
  (cd build && ctest --output-on-failure -j"$jobs")
  if [ "$checks" = 1 ]; then
    # The whole suite under ASan + UBSan, the thread tests under TSan, the C API tests under valgrind
    # (from build/, just made) and a bounded fuzz run; each part prints how long it took.
    echo "== memory and thread checks (scripts/check-sanitizers.sh)"
    SYMTRI_VALGRIND_BUILD=build scripts/check-sanitizers.sh
  fi
fi
