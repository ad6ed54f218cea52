# SPDX-License-Identifier: Apache-2.0
"""How the binding finds libsymtri: SYMTRI_LIBRARY wins; a bad one is listed in the ImportError,
which names every place tried. Each check runs in a fresh interpreter."""

import os
import subprocess
import sys

SOURCE = os.environ["SYMTRI_SOURCE_DIR"]
BUILT = os.environ["SYMTRI_LIBRARY_BUILT"]
CODE = "import symtri; print(symtri.library_path)"


def run(env_lib):
    env = dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "python"))
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
print("ok")
