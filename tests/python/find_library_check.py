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
print("ok")
