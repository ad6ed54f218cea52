#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The compiler's output stays byte-identical (issue 16: compiler.hpp was split by pass, with no change
in behaviour). For the built-in rule set and two generated ones (bench/gen/gen.py: 1,500 rules, and
12,000, which takes the two-thread compile), loaded with and without LoadOptions::parallel, compares what
symtri_fingerprint prints (the digest, a hash of the compiled layout and pre-rendered fragments, and a
hash of the results of 300 generated cases) with tests/identity/expected.txt.

    check.py --fingerprint BIN --source SRC --work DIR            compare (exit 1 on a difference)
    check.py --fingerprint BIN --source SRC --work DIR --record   write expected.txt from BIN

expected.txt was recorded with --record from main's single compiler.hpp (commit 7a5d6e1), before the
split, and the split compiles to the same values. Re-recorded when the layout gained the whole-case
program (Compiled::node_order, child_slot, patient_nodes, leaf_findings, node_patient, FlatRule::slot): without those
fields the generated sets' layouts and results were the recorded ones; the built-in set, whose digest had
changed with clinical edits, was recorded anew then. A deliberate change of the compiler's output, of the engine version (it is in
every result) or of gen.py is re-recorded with --record and reviewed in the diff. The shipped rule set
changes with clinical edits: when its digest is not the recorded one, its entries are reported and
skipped (exit 77 if nothing else was compared), the generated sets still count.
"""
import argparse
import os
import subprocess
import sys

SETS = [  # name, rule set (relative to the work dir, or builtin), cases, gen.py arguments, loads
    ("builtin", "builtin", "cases-builtin.jsonl", None, ["parallel", "serial"]),
    ("gen1500", "set1500", "cases-1500.jsonl", ["--n", "1500", "--seed", "1"], ["parallel"]),
    ("gen12000", "set12000", "cases-12000.jsonl", ["--n", "12000", "--seed", "7"], ["parallel", "serial"]),
]


def generate(src, work):
    gen = os.path.join(src, "bench", "gen", "gen.py")
    os.makedirs(work, exist_ok=True)
    for _, rules, cases, args, _ in SETS:
        rules_path = os.path.join(src, "rules") if rules == "builtin" else os.path.join(work, rules)
        if args is not None:
            subprocess.run([sys.executable, gen, "rules", *args, "--out", rules_path], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, gen, "cases", "--rules", rules_path, "--n", "300", "--seed", "2",
                        "--out", os.path.join(work, cases)], check=True, stdout=subprocess.DEVNULL)


def fingerprints(binary, work):
    out = {}
    for name, rules, cases, _, loads in SETS:
        for load in loads:
            cmd = [binary, rules, cases] + (["serial"] if load == "serial" else [])
            p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
            out["%s %s" % (name, load)] = p.stdout.strip().splitlines()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fingerprint", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--record", action="store_true")
    a = ap.parse_args()
    expected_path = os.path.join(a.source, "tests", "identity", "expected.txt")
    generate(a.source, a.work)
    got = fingerprints(os.path.abspath(a.fingerprint), a.work)
    if a.record:
        with open(expected_path, "w") as f:
            f.write("# Written by tests/identity/check.py --record: see its docstring.\n")
            for key, lines in got.items():
                for line in lines:
                    f.write("%s: %s\n" % (key, line))
        print("wrote", expected_path)
        return 0
    expected = {}
    with open(expected_path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, value = line.rstrip("\n").split(": ", 1)
            expected.setdefault(key, []).append(value)
    failures, compared, skipped = [], 0, []
    for key, lines in got.items():
        want = expected.get(key)
        if want is None:
            failures.append("%s: no recorded values" % key)
            continue
        if key.startswith("builtin") and want[0] != lines[0]:
            skipped.append("%s: the shipped rule set changed (%s, recorded %s): not compared" % (key, lines[0], want[0]))
            continue
        compared += 1
        for w, g in zip(want, lines):
            if w != g:
                failures.append("%s: expected %s, got %s" % (key, w, g))
    for s in skipped:
        print("SKIPPED", s)
    for f in failures:
        print("DIFFERS", f)
    if failures:
        return 1
    print("%d loads identical to the recorded ones" % compared)
    return 0 if compared else 77


if __name__ == "__main__":
    sys.exit(main())
