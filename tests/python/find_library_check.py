# SPDX-License-Identifier: Apache-2.0
"""How the binding finds libsymtri: SYMTRI_LIBRARY wins; a bad one is listed in the ImportError,
which names every place tried. Each check runs in a fresh interpreter."""

import os
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.environ["SYMTRI_SOURCE_DIR"]
BUILT = os.environ["SYMTRI_LIBRARY_BUILT"]
CODE = "import symtri; print(symtri.library_path)"


def run(env_lib, path=os.path.join(SOURCE, "python")):
    env = dict(os.environ, PYTHONPATH=path)
    env.pop("SYMTRI_LIBRARY", None)
    if env_lib is not None:
        env["SYMTRI_LIBRARY"] = env_lib
    return subprocess.run([sys.executable, "-c", CODE], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)


p = run(BUILT)
assert p.returncode == 0 and p.stdout.strip() == BUILT, p
p = run("/nonexistent/libsymtri.so")
# Falls through to the other places; if none has a library, the error lists them all.
if p.returncode != 0:
    assert "ImportError" in p.stderr and "/nonexistent/libsymtri.so ($SYMTRI_LIBRARY): not found" in p.stderr, p.stderr
    assert "beside the package" in p.stderr and "find_library" in p.stderr, p.stderr
p = run(None)
assert p.returncode == 0 or "Tried:" in p.stderr, p.stderr

# An installed package (PREFIX/lib/python3/dist-packages/symtri, not in a source checkout) finds the library
# in its own prefix's lib directory, and its ImportError lists only real places (no build tree guessed
# next to the installed package).
with tempfile.TemporaryDirectory() as prefix:
    site = os.path.join(prefix, "lib", "python3", "dist-packages")
    shutil.copytree(os.path.join(SOURCE, "python", "symtri"), os.path.join(site, "symtri"),
                    ignore=shutil.ignore_patterns("__pycache__", "libsymtri.so*"))
    p = run(None, site)
    if p.returncode != 0:  # no libsymtri installed on this machine: the error says where it looked
        assert os.path.join(prefix, "lib", "libsymtri.so*") + " (the prefix this package is installed in): not found" \
            in p.stderr, p.stderr
        assert "build tree" not in p.stderr and "/build/lib" not in p.stderr, p.stderr
    shutil.copy(BUILT, os.path.join(prefix, "lib", "libsymtri.so"))
    p = run(None, site)
    assert p.returncode == 0 and p.stdout.strip() == os.path.join(prefix, "lib", "libsymtri.so"), p

# In a source checkout, a sanitizer build tree (scripts/check-sanitizers.sh's build-asan/, build-tsan/)
# is passed over and said to be: its library loads only with the sanitizer's runtime preloaded (ASan
# ends the process otherwise). An ordinary build tree beside it is taken. The library put in the
# sanitizer tree here is an ordinary one, so loading it would succeed: only the skip keeps it out.
with tempfile.TemporaryDirectory() as checkout:
    os.makedirs(os.path.join(checkout, "include", "symtri"))
    shutil.copy(os.path.join(SOURCE, "include", "symtri", "symtri.h"), os.path.join(checkout, "include", "symtri"))
    shutil.copytree(os.path.join(SOURCE, "python", "symtri"), os.path.join(checkout, "python", "symtri"),
                    ignore=shutil.ignore_patterns("__pycache__", "libsymtri.so*"))
    for tree, sanitize in (("build-asan", "address,undefined"), ("build-plain", "")):
        os.makedirs(os.path.join(checkout, tree, "lib"))
        shutil.copy(BUILT, os.path.join(checkout, tree, "lib", "libsymtri.so"))
        with open(os.path.join(checkout, tree, "CMakeCache.txt"), "w", encoding="utf-8") as cache:
            cache.write("CMAKE_BUILD_TYPE:STRING=Debug\nSYMTRI_SANITIZE:STRING=%s\n" % sanitize)
    os.utime(os.path.join(checkout, "build-asan", "lib", "libsymtri.so"))  # the newest: tried first if not skipped
    python_dir = os.path.join(checkout, "python")
    p = run(None, python_dir)
    assert p.returncode == 0 and p.stdout.strip() == os.path.join(checkout, "build-plain", "lib", "libsymtri.so"), p
    shutil.rmtree(os.path.join(checkout, "build-plain"))
    p = run("/nonexistent/libsymtri.so", python_dir)
    skipped = os.path.join(checkout, "build-asan", "lib") + " (the source checkout's build tree): skipped, a sanitizer build"
    if p.returncode != 0:  # nothing else on this machine: the error names the skipped tree
        assert skipped in p.stderr, p.stderr
    else:  # an installed libsymtri elsewhere was taken, never the sanitizer tree's
        assert "build-asan" not in p.stdout, p
print("ok")
