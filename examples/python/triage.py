#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Triage one case file with the symtri Python binding.

    python3 examples/python/triage.py [--rules PATH] CASE.json

Needs the library: build it (cmake --build build) or set SYMTRI_LIBRARY; and the package on the path
(PYTHONPATH=python, or pip install ./python).
"""

import argparse
import json
import sys

try:
    import symtri
except ModuleNotFoundError:  # run from a source checkout, not installed: its python/ holds the package
    import pathlib

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
    import symtri


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", help="a rule set file or directory (default: the built-in one)")
    ap.add_argument("case", help="a case JSON file")
    args = ap.parse_args()

    try:
        engine = symtri.Engine.open(args.rules) if args.rules else symtri.Engine.default()
    except symtri.RuleSetError as e:
        print(e, file=sys.stderr)  # every problem, with file:line:column and JSON Pointer
        return 3

    with engine, open(args.case, encoding="utf-8") as f:
        case = json.load(f)
        try:
            result = engine.triage(case)
        except symtri.CaseError as e:
            print(f"{args.case}: {e.message} (at {e.path})", file=sys.stderr)
            return 4
        print(f"rule set: {engine.id} {engine.version}")
        print(f"level: {result.level} (rank {result.level_rank})")
        print(result.summary)
        print(f"red flags: {len(result.red_flags)}")
        for rf in result.red_flags:
            print(f"  - {rf.rule} [{rf.level}]: {rf.title}")
        for q in result.questions[:3]:
            print(f"ask: {q.prompt} (could raise to {q.could_raise_to})")
        for rec in result["recommendations"]:  # the whole result JSON is a mapping too
            print(f"advice: {rec['advice']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
