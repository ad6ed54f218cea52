#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs tiny consumers of symtri, the three ways people take a library in:
#   run.sh install          BUILD_DIR PREFIX     cmake --install the build tree into PREFIX (from scratch)
#   run.sh find_package     PREFIX WORK          find_package(symtri CONFIG) against PREFIX
#   run.sh pkg_config       PREFIX WORK          cc/c++ with `pkg-config --cflags --libs symtri` against PREFIX
#   run.sh add_subdirectory SOURCE_DIR WORK      add_subdirectory(symtri source tree)
#   run.sh find_package_lib PREFIX WORK          symtri::lib (the compiled C++ library) through find_package
#   run.sh add_subdirectory_lib SOURCE_DIR WORK  symtri::lib built from the vendored source tree
#   run.sh python           PREFIX [BUILD WORK]  the Python package cmake --install put in PREFIX finds PREFIX's libsymtri;
#                                                with BUILD: also --prefix /usr (in a DESTDIR) lands where Debian's python3 looks
#   run.sh pip              PREFIX WORK SOURCE   pip-install SOURCE/python offline into a prefix holding PREFIX's libsymtri: it
#                                                finds it with no variable set; and a wheel carrying the library
# CC and CXX name the compilers (the parent build's); each step prints what it runs and fails loudly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
step=$1; shift
CC=${CC:-cc}
CXX=${CXX:-c++}
jobs=2

# The consumers set no CMAKE_BUILD_TYPE, as a project that sets none: the add_subdirectory one checks
# symtri leaves it so, and unoptimised they only check that symtri is found, compiles, links and runs
# (app.cpp at -O0: 30 s of CPU against 52 s at -O2, issue 16).
cmake_project() {  # SRC BUILD [cmake -D args...]
  local src=$1 build=$2; shift 2
  rm -rf "$build"
  cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" "$@"
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
    build=$work/add_subdirectory
    cmake_project "$here/subdir" "$build" -DSYMTRI_SOURCE_DIR="$src"
    # Nothing of symtri's in the parent's output folders, and nothing built but the consumer: no
    # program, no library (symtri's own files stay under build/symtri).
    for d in bin lib; do
      [ ! -e "$build/$d" ] || { echo "add_subdirectory: symtri wrote into the parent's $d/: $(ls "$build/$d")" >&2; exit 1; }
    done
    built=$(find "$build" -path '*/CMakeFiles' -prune -o -type f \( -perm -u+x -o -name '*.so*' -o -name '*.a' \) -print)
    [ "$built" = "$build/app_builtin" ] || { echo "add_subdirectory: built more than the consumer: $built" >&2; exit 1; }
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
    $CXX -std=c++17 -O0 -o app "$here/consumer/app.cpp" $(pc --cflags)
    # One program for both include folders: the installed rules and the built-in ones (app.cpp).
    ./app "$rules" | tee app.out
    grep -q "^built-in rule set: the installed one" app.out
    if [ -n "$(pc --libs)" ]; then
      # shellcheck disable=SC2046
      $CC -std=c99 -Wall -Wextra -Werror -o app_c "$here/consumer/app.c" $(pc --cflags --libs) \
          -Wl,-rpath,"$(pc --variable=libdir)"
      ./app_c
    fi
    ;;
  python)
    prefix=$1 build=${2:-} work=${3:-}
    site=$(find "$prefix" -path '*-packages/symtri/__init__.py' -printf '%h\n' | head -1)
    [ -n "$site" ] || { echo "python: no symtri package under $prefix" >&2; exit 1; }
    [ -L "$site/libsymtri.so" ] || { echo "python: $site/libsymtri.so is not a link to the installed library" >&2; exit 1; }
    env -u SYMTRI_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$(dirname "$site")" PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-python3}" \
        "$here/check_python.py" "$prefix" "$(dirname "$site")"
    if [ -n "$build" ] && [ -f /etc/debian_version ] && [ -x /usr/bin/python3 ]; then
      # As a Debian package would install it (--prefix /usr, staged in DESTDIR): the package must land in
      # the directory Debian's python3 searches, /usr/lib/python3/dist-packages, and work from there.
      dest="$work/destdir"
      rm -rf "$dest"
      DESTDIR="$dest" cmake --install "$build" --prefix /usr >/dev/null
      pydir=/usr/lib/python3/dist-packages
      [ -f "$dest$pydir/symtri/__init__.py" ] || { echo "python: --prefix /usr put no package in $pydir" >&2; exit 1; }
      /usr/bin/python3 -c "import sys; assert '$pydir' in sys.path, sys.path"
      env -u SYMTRI_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$dest$pydir" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 \
          "$here/check_python.py" "$dest/usr" "$dest$pydir"
    fi
    ;;
  pip)
    prefix=$1 work=$2 src=$3
    rm -rf "$work/pip" && mkdir -p "$work/pip"
    # Build from a copy, so nothing is written into the source tree.
    cp -r "$src/python" "$work/pip/src"
    rm -rf "$work/pip/src/build" "$work/pip/src/"*.egg-info
    # --ignore-installed: a symtri already installed on the machine (pip install ./python, as the README
    # says) is left alone; without it pip uninstalls that one before installing into the scratch prefix.
    pip=("${PYTHON:-python3}" -m pip install --no-index --no-deps --no-cache-dir --disable-pip-version-check
         --ignore-installed)
    # No network (--no-index) and pip's own isolated build: the in-tree backend needs nothing downloaded.
    # Into the prefix cmake --install filled: the package finds PREFIX/lib/libsymtri.so with no variable set.
    "${pip[@]}" --prefix "$work/pip/prefix" "$work/pip/src"
    site=$(find "$work/pip/prefix" -path '*-packages/symtri/__init__.py' -printf '%h\n' | head -1)
    [ -n "$site" ] || { echo "pip: no symtri package under $work/pip/prefix" >&2; exit 1; }
    # The prefix the package counts as its own: the parent of the nearest lib* folder above it. Debian's
    # python3 installs `pip install --prefix P` under P/local (its posix_local scheme), other Pythons
    # under P; cmake --install of that same prefix would put libsymtri in its lib/.
    own=$(dirname "$site")
    while [ "$own" != / ] && [[ "$(basename "$own")" != lib* ]]; do own=$(dirname "$own"); done
    own=$(dirname "$own")
    mkdir -p "$own/lib"
    cp -a "$prefix/lib/"libsymtri.so* "$own/lib/"
    env -u SYMTRI_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$(dirname "$site")" PYTHONDONTWRITEBYTECODE=1 \
        "${PYTHON:-python3}" "$here/check_python.py" "$own" "$(dirname "$site")"
    # A wheel that carries the library: --config-settings libsymtri=PATH.
    "${pip[@]}" --target "$work/pip/bundled" --config-settings "libsymtri=$prefix/lib/libsymtri.so" "$work/pip/src"
    [ -f "$work/pip/bundled/symtri/libsymtri.so" ] || { echo "pip: the wheel carries no libsymtri.so" >&2; exit 1; }
    env -u SYMTRI_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$work/pip/bundled" PYTHONDONTWRITEBYTECODE=1 \
        "${PYTHON:-python3}" "$here/check_python.py" "$work/pip/bundled" "$work/pip/bundled"
    ;;
  *)
    echo "usage: run.sh install|find_package|find_package_lib|pkg_config|add_subdirectory|add_subdirectory_lib|python|pip ..." >&2
    exit 2
    ;;
esac
echo "install test '$step': ok"
