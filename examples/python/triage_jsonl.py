#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Triage a JSON Lines file (one case per line) on several threads, and print a table.

    python3 examples/python/triage_jsonl.py [--rules PATH] [--threads N] CASES.jsonl
    python3 examples/python/triage_jsonl.py --raw ... CASES.jsonl    # the result lines, as `symtri batch`
"""

import argparse
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
    ap.add_argument("--threads", type=int, default=0, help="worker threads (default: one per core)")
    ap.add_argument("--raw", action="store_true", help="print the result lines as `symtri batch` does")
    ap.add_argument("cases", help="a .jsonl file")
    args = ap.parse_args()

    with open(args.cases, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines()]
    with (symtri.Engine.open(args.rules) if args.rules else symtri.Engine.default()) as engine:
        if args.raw:
            out = engine.triage_jsonl("\n".join(lines) + "\n", threads=args.threads)
            sys.stdout.write(out.output)
            return 4 if out.failed else 0
        # triage_many: the cases run on threads inside the library; results come back in order.
        results = engine.triage_many([line for line in lines if line.strip()], threads=args.threads)
    failed = 0
    print(f"{'case':<10} {'level':<10} red flags / error")
    for r in results:
        if r.ok:
            print(f"{r.case_id or '-':<10} {r.level:<10} {', '.join(f.rule for f in r.red_flags) or '-'}")
        else:
            failed += 1
            print(f"{r.error.case_id or '-':<10} {'ERROR':<10} {r.error.message} at {r.error.path}")
    print(f"{len(results)} cases, {failed} rejected", file=sys.stderr)
    return 4 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
