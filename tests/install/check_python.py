# SPDX-License-Identifier: Apache-2.0
"""Run by run.sh: the symtri package imported from SITE loads the libsymtri installed in PREFIX (not a build
tree, not the source checkout) and triages a case with the built-in rule set.

usage: check_python.py PREFIX SITE
"""
import os
import sys

prefix, site = (os.path.realpath(p) for p in sys.argv[1:3])
import symtri  # noqa: E402

package = os.path.realpath(os.path.dirname(symtri.__file__))
assert package.startswith(site + os.sep), "imported %s, not the package installed in %s" % (package, site)

# Which file did the dynamic loader map? (library_path may be a bare soname, found on the search path.)
with open("/proc/self/maps") as maps:
    loaded = {os.path.realpath(line.split()[-1]) for line in maps if "libsymtri.so" in line}
assert len(loaded) == 1, "libsymtri loaded from %s" % sorted(loaded)
lib = loaded.pop()
assert lib.startswith(prefix + os.sep), "loaded %s, not the library installed in %s" % (lib, prefix)

with symtri.Engine.default() as engine:
    result = engine.triage({"findings": {"sciatica": True, "saddle_numbness": True}})
assert result.level == "emergency", result.level
print("symtri %s from %s, library %s %s: level %s" % (symtri.__version__, package, lib, symtri.library_version(),
                                                      result.level))
