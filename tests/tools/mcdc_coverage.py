#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""MC/DC of the red flags over the tests a rule set carries, by this project's reading of the definition.

usage: mcdc_coverage.py [RULES_DIR]   (default: the repository's rules/)

Each leaf (a finding, age or sex test) of each red flag's condition, with named conditions written out, counts
twice: once true and once false. A leaf value is covered when some carried test gives the leaf that value and
flipping the leaf alone changes the rule's value (the leaf decides). Uses the independent three-valued reading
in tests/safety/test_safety_properties.py. Prints the coverage, every leaf value not covered, and any red flag
that fires in no carried test.
"""
import json, sys, os, glob
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "safety"))
from test_safety_properties import load_ruleset, _kleene_all, _kleene_any, evaluate
rules_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "rules")
rs = load_ruleset(rules_dir)
conds = rs["conditions"]
tests = []
for f in sorted(glob.glob(os.path.join(rules_dir, "*.json"))):
    for t in json.load(open(f)).get("tests", []):
        if "error" not in t["expect"]:
            tests.append(t)
def expand(c):
    if "ref" in c: return expand(conds[c["ref"]])
    if "all" in c: return {"all": [expand(x) for x in c["all"]]}
    if "any" in c: return {"any": [expand(x) for x in c["any"]]}
    if "not" in c: return {"not": expand(c["not"])}
    if "of" in c: return {"at_least": c["at_least"], "of": [expand(x) for x in c["of"]]}
    return dict(c)
def leaves(c, path=()):
    if "all" in c or "any" in c:
        for i, x in enumerate(c.get("all", c.get("any"))): yield from leaves(x, path + (i,))
    elif "not" in c: yield from leaves(c["not"], path + (0,))
    elif "of" in c:
        for i, x in enumerate(c["of"]): yield from leaves(x, path + (i,))
    else: yield path, c
def ev(c, case, force, path=()):
    if path == force[0]: return force[1]
    if "all" in c: return _kleene_all(ev(x, case, force, path + (i,)) for i, x in enumerate(c["all"]))
    if "any" in c: return _kleene_any(ev(x, case, force, path + (i,)) for i, x in enumerate(c["any"]))
    if "not" in c:
        v = ev(c["not"], case, force, path + (0,)); return None if v is None else not v
    if "of" in c:
        vals = [ev(x, case, force, path + (i,)) for i, x in enumerate(c["of"])]
        n = c["at_least"]
        if sum(v is True for v in vals) >= n: return True
        if sum(v is not False for v in vals) < n: return False
        return None
    return evaluate(c, case, conds)
total = covered = 0
missing = []
fires_any = {}
for r in rs["rules"]:
    if r["kind"] != "red_flag": continue
    tree = expand(r["when"])
    ls = list(leaves(tree))
    got = set()
    for t in tests:
        case = t["case"]
        if ev(tree, case, ((None,), None)) is True: fires_any[r["id"]] = True
        for p, leaf in ls:
            v = evaluate(leaf, case, conds)
            if v is None: continue
            if ev(tree, case, (p, True)) != ev(tree, case, (p, False)):
                got.add((p, v))
    for p, leaf in ls:
        for v in (True, False):
            total += 1
            if (p, v) in got: covered += 1
            else: missing.append((r["id"], json.dumps(leaf), v))
print("MC/DC leaf values covered: %d of %d (%.1f%%)" % (covered, total, 100.0 * covered / total))
for m in missing: print("  missing:", *m)
print("red flags firing in no carried test:", [r["id"] for r in rs["rules"] if r["kind"] == "red_flag" and r["id"] not in fires_any])
