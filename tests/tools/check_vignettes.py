#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs clinical vignettes (JSON Lines) through `symtri batch` and reports each that misses its expectations.

usage: check_vignettes.py [--symtri PATH] [--rules PATH] VIGNETTES.jsonl

The project's own copy of the contract's vignette runner, so the test suite runs without ../shared.
A vignette: {"id", "case", "min_level", "max_level", optional "questions_include", "questions_exclude",
"forbid_recommendation_tags", "require_cautions", "expect_error": [words the error must contain]}.
Prints one line per problem, then 'N passed, N failed (under-triage U, over-triage O)'; exit 0 if all pass.
"""
import argparse
import json
import subprocess
import sys

LEVELS = ["self_care", "routine", "soon", "same_day", "emergency", "ambulance"]


def problems(v, r):
    if "expect_error" in v:
        err = r.get("error")
        if not isinstance(err, dict):
            return ["expected an error, got a result at level %r" % r.get("level")], None
        text = json.dumps(err).lower()
        return ["error does not mention %r: %s" % (w, err.get("message")) for w in v["expect_error"]
                if w.lower() not in text], None
    if "error" in r:
        return ["unexpected error: %s" % json.dumps(r["error"])], None
    level = r.get("level")
    if level not in LEVELS:
        return ["level %r is not one of %s" % (level, LEVELS)], None
    out, kind = [], None
    rank = LEVELS.index(level)
    if rank < LEVELS.index(v["min_level"]):
        out.append("UNDER-TRIAGE: level %s, expected at least %s" % (level, v["min_level"]))
        kind = "under"
    if rank > LEVELS.index(v.get("max_level", "ambulance")):
        out.append("over-triage: level %s, expected at most %s" % (level, v["max_level"]))
        kind = "over"
    asked = {q.get("finding") for q in r.get("questions", [])}
    out += ["questions lack %s" % f for f in v.get("questions_include", []) if f not in asked]
    out += ["questions ask again about answered %s" % f for f in v.get("questions_exclude", []) if f in asked]
    for tag in v.get("forbid_recommendation_tags", []):
        hits = [x.get("rule") for x in r.get("recommendations", []) if tag in x.get("tags", [])]
        if hits:
            out.append("recommendations tagged %r should be held back: %s" % (tag, hits))
    if v.get("require_cautions") and not r.get("cautions"):
        out.append("expected at least one caution")
    if not r.get("disclaimer"):
        out.append("no disclaimer")
    if r.get("case_id") != v["case"].get("case_id"):
        out.append("case_id %r echoed as %r" % (v["case"].get("case_id"), r.get("case_id")))
    return out, kind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--symtri", default="build/bin/symtri")
    ap.add_argument("--rules")
    ap.add_argument("vignettes")
    a = ap.parse_args()
    with open(a.vignettes, encoding="utf-8") as f:
        vs = [json.loads(line) for line in f if line.strip()]
    cmd = [a.symtri, "batch"] + (["--rules", a.rules] if a.rules else [])
    feed = "".join(json.dumps(v["case"]) + "\n" for v in vs)
    p = subprocess.run(cmd, input=feed, capture_output=True, text=True, timeout=300)
    lines = [l for l in p.stdout.splitlines() if l.strip()]
    if len(lines) != len(vs):
        print("symtri batch (exit %d) gave %d lines for %d cases: %s" % (p.returncode, len(lines), len(vs), p.stderr[-500:]))
        print("0 passed, %d failed" % len(vs))
        return 1
    passed = failed = under = over = 0
    for v, line in zip(vs, lines):
        bad, kind = problems(v, json.loads(line))
        under += kind == "under"
        over += kind == "over"
        if bad:
            failed += 1
            print("%s: %s" % (v["id"], "; ".join(bad)))
        else:
            passed += 1
    print("%d passed, %d failed (under-triage %d, over-triage %d)" % (passed, failed, under, over))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
