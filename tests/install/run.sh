#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs tiny consumers of symtri, the three ways people take a library in:
#   run.sh install          BUILD_DIR PREFIX     cmake --install the build tree into PREFIX (from scratch)
#   run.sh find_package     PREFIX WORK          find_package(symtri CONFIG) against PREFIX
#   run.sh pkg_config       PREFIX WORK          cc/c++ with `pkg-config --cflags --libs symtri` against PREFIX
#   run.sh add_subdirectory SOURCE_DIR WORK      add_subdirectory(symtri source tree)
#   run.sh find_package_lib PREFIX WORK          symtri::lib (the compiled C++ library) through find_package
#   run.sh add_subdirectory_lib SOURCE_DIR WORK  symtri::lib built from the vendored source tree
#   run.sh python           PREFIX               the Python package cmake --install put in PREFIX finds PREFIX's libsymtri
#   run.sh pip              PREFIX WORK SOURCE   pip-install SOURCE/python offline; it finds PREFIX's libsymtri
# CC and CXX name the compilers (the parent build's); each step prints what it runs and fails loudly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
step=$1; shift
CC=${CC:-cc}
CXX=${CXX:-c++}
jobs=2

cmake_project() {  # SRC BUILD [cmake -D args...]
  local src=$1 build=$2; shift 2
  rm -rf "$build"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" "$@"
  cmake --build "$build" -j"$jobs"
  (cd "$build" && ctest --output-on-failure)
}

case "$step" in
  install)
    build=$1 prefix=$2
    rm -rf "$prefix"
    cmake --install "$build" --prefix "$prefix"
    for f in include/symtri/symtri.hpp include/symtri/format_text.hpp include/symtri/format_cds_hooks.hpp \
             include/symtri-with-rules/symtri/generated/builtin_rules.inc share/symtri/rules/index.json \
             share/symtri/schemas/ruleset.schema.json lib/cmake/symtri/symtriConfig.cmake \
             lib/cmake/symtri/symtriConfigVersion.cmake lib/cmake/symtri/symtriTargets.cmake \
             lib/pkgconfig/symtri.pc bin/symtri include/symtri/config.hpp include/symtri/compiler-inl.hpp; do
      [ -e "$prefix/$f" ] || { echo "install: $prefix/$f is missing" >&2; exit 1; }
    done
    # the installed rule files name their schema by a relative path that works in the installed tree too
    [ -f "$prefix/share/symtri/rules/../schemas/ruleset.schema.json" ]
    "$prefix/bin/symtri" check "$prefix/share/symtri/rules"
    ;;
  find_package)
    prefix=$1 work=$2
    cmake_project "$here/consumer" "$work/find_package" -DCMAKE_PREFIX_PATH="$prefix"
    ;;
  add_subdirectory)
    src=$1 work=$2
    cmake_project "$here/subdir" "$work/add_subdirectory" -DSYMTRI_SOURCE_DIR="$src"
    ;;
  find_package_lib)
    prefix=$1 work=$2
    cmake_project "$here/consumer_lib" "$work/find_package_lib" -DCMAKE_PREFIX_PATH="$prefix"
    ;;
  add_subdirectory_lib)
    src=$1 work=$2
    cmake_project "$here/subdir_lib" "$work/add_subdirectory_lib" -DSYMTRI_SOURCE_DIR="$src"
    ;;
  pkg_config)
    prefix=$1 work=$2
    rm -rf "$work/pkg_config" && mkdir -p "$work/pkg_config" && cd "$work/pkg_config"
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    pc() { pkg-config "$@" symtri; }
    echo "symtri $(pc --modversion): cflags $(pc --cflags); libs $(pc --libs)"
    rules=$(pc --variable=rulesdir)
    [ -f "$rules/index.json" ] || { echo "pkg-config rulesdir '$rules' has no index.json" >&2; exit 1; }
    set -x
    # shellcheck disable=SC2046
    $CXX -std=c++17 -O1 -o app "$here/consumer/app.cpp" $(pc --cflags)
    ./app "$rules"
    # shellcheck disable=SC2046
    $CXX -std=c++17 -O1 -o app_builtin "$here/consumer/app_builtin.cpp" $(pc --cflags)
    ./app_builtin
    if [ -n "$(pc --libs)" ]; then
      # shellcheck disable=SC2046
      $CC -std=c99 -Wall -Wextra -Werror -o app_c "$here/consumer/app.c" $(pc --cflags --libs) \
          -Wl,-rpath,"$(pc --variable=libdir)"
      ./app_c
    fi
    ;;
  python)
    prefix=$1
    site=$(find "$prefix" -path '*-packages/symtri/__init__.py' -printf '%h\n' | head -1)
    [ -n "$site" ] || { echo "python: no symtri package under $prefix" >&2; exit 1; }
    [ -L "$site/libsymtri.so" ] || { echo "python: $site/libsymtri.so is not a link to the installed library" >&2; exit 1; }
    env -u SYMTRI_LIBRARY PYTHONPATH="$(dirname "$site")" PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-python3}" \
        "$here/check_python.py" "$prefix" "$(dirname "$site")"
    ;;
  pip)
    prefix=$1 work=$2 src=$3
    rm -rf "$work/pip" && mkdir -p "$work/pip"
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources it builds.
    cp -r "$src/python" "$work/pip/src"
    rm -rf "$work/pip/src/build" "$work/pip/src/"*.egg-info
    # The machine's pip, offline: no index, no build isolation (the system's setuptools builds it).
    "${PYTHON:-python3}" -m pip install --no-index --no-build-isolation --no-deps --no-cache-dir \
        --disable-pip-version-check --target "$work/pip/site" "$work/pip/src"
    # The library as an installed system finds it: through the dynamic loader's search path.
    env -u SYMTRI_LIBRARY LD_LIBRARY_PATH="$prefix/lib" PYTHONPATH="$work/pip/site" PYTHONDONTWRITEBYTECODE=1 \
        "${PYTHON:-python3}" "$here/check_python.py" "$prefix" "$work/pip/site"
    ;;
  *)
    echo "usage: run.sh install|find_package|find_package_lib|pkg_config|add_subdirectory|add_subdirectory_lib|python|pip ..." >&2
    exit 2
    ;;
esac
echo "install test '$step': ok"
