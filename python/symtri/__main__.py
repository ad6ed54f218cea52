# SPDX-License-Identifier: Apache-2.0
"""``python3 -m symtri``: the symtri command line, through the Python binding.

    python3 -m symtri triage [--rules PATH] [--pretty] [CASE.json | -]
    python3 -m symtri batch  [--rules PATH] [--threads N]      (JSON Lines on stdin)
    python3 -m symtri info   [--rules PATH]

Output and exit codes as the ``symtri`` program's: 0 success, 2 usage error, 3 invalid rule set,
4 invalid case.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from . import CaseError, Engine, RuleSetError, SymtriError, library_version, rules_format_version

EXIT_OK, EXIT_USAGE, EXIT_RULESET, EXIT_CASE = 0, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as the C++ program's
        sys.stderr.write(f"symtri: {message}\n(run 'python3 -m symtri --help' for usage)\n")
        sys.exit(EXIT_USAGE)


def _open(rules: Optional[str], all_questions: bool = False) -> Optional[Engine]:
    opts = {"list_other_questions": 1} if all_questions else {}
    try:
        return Engine.open(rules, **opts) if rules else Engine.default(**opts)
    except RuleSetError as e:
        sys.stderr.write(str(e) + "\n")
        n = len(e.diagnostics) or 1
        name = f"'{rules}'" if rules else "built in"
        sys.stderr.write(f"symtri: the rule set {name} is not valid ({n} problem{'' if n == 1 else 's'})\n")
        return None


def _triage(args: argparse.Namespace) -> int:
    engine = _open(args.rules, args.all_questions)
    if engine is None:
        return EXIT_RULESET
    name = args.case or "-"
    try:
        if name == "-":
            text = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                text = f.read()
    except OSError:
        sys.stderr.write(f"symtri: cannot read case file '{name}'\n")
        return EXIT_CASE
    with engine:
        try:
            result = engine.triage(text)
        except CaseError as e:
            where = "<stdin>" if name == "-" else name
            if e.line:
                where += f":{e.line}:{e.column}"
            sys.stderr.write(f"{where}: error: {e.message}{' at ' + e.path if e.path else ''}\n")
            sys.stdout.write(e.json + "\n")
            return EXIT_CASE
    if args.pretty:
        # keeps the result's key order, as the program's --pretty does
        sys.stdout.write(json.dumps(result.data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.json + "\n")
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    if args.threads is not None and not 1 <= args.threads <= 256:
        sys.stderr.write(f"symtri: --threads must be a number from 1 to 256, got '{args.threads}'\n")
        return EXIT_USAGE
    engine = _open(args.rules, args.all_questions)
    if engine is None:
        return EXIT_RULESET
    with engine:
        out = engine.triage_jsonl(sys.stdin.buffer.read(), threads=args.threads or 0)
    sys.stdout.write(out.output)
    sys.stdout.flush()
    if out.failed:
        sys.stderr.write(f"symtri: {out.failed} of {out.count} lines were rejected (see their error lines)\n")
        return EXIT_CASE
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    engine = _open(args.rules)
    if engine is None:
        return EXIT_RULESET
    with engine:
        print(f"{engine.id} {engine.version} ({engine.digest[:19]}), validation: {engine.validation}")
        print(f"  {len(engine.levels())} levels, {engine.finding_count} findings, {engine.rule_count} rules")
        print("  levels: " + ", ".join(lv.id for lv in engine.levels()))
    return EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    current, oldest = rules_format_version()
    p = _Parser(prog="python3 -m symtri", description="Rule-based symptom triage (educational; not a diagnosis).")
    p.add_argument("--version", action="version",
                   version=f"symtri {library_version()} (rule format {oldest}..{current}), Python binding")
    sub = p.add_subparsers(dest="command", metavar="<command>")
    t = sub.add_parser("triage", help="triage one case (a JSON file, or stdin) and print the result JSON")
    t.add_argument("--rules", metavar="PATH", help="a rule set: a root .json file or a directory (default: built in)")
    t.add_argument("--pretty", action="store_true", help="indent the result JSON")
    t.add_argument("--all-questions", action="store_true", help="also list the other questions (other_question_list)")
    t.add_argument("case", nargs="?", metavar="CASE.json", help="the case file, or - for stdin (default)")
    b = sub.add_parser("batch", help="triage JSON Lines from stdin, one result line per input line")
    b.add_argument("--rules", metavar="PATH")
    b.add_argument("--threads", type=int, metavar="N", help="worker threads (default: one per core)")
    b.add_argument("--all-questions", action="store_true", help="also list the other questions (other_question_list)")
    i = sub.add_parser("info", help="describe a rule set")
    i.add_argument("--rules", metavar="PATH")
    args = p.parse_args(argv)
    if args.command is None:
        p.print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        return {"triage": _triage, "batch": _batch, "info": _info}[args.command](args)
    except SymtriError as e:
        sys.stderr.write(f"symtri: {e}\n")
        return e.status or 1


if __name__ == "__main__":
    sys.exit(main())
