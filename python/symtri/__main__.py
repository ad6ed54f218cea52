# SPDX-License-Identifier: Apache-2.0
"""``python3 -m symtri``: the symtri command line, through the Python binding.

    python3 -m symtri triage  [--rules PATH] [--format json|text] [--pretty] [--all-questions] [--max-questions N] [CASE.json | -]
    python3 -m symtri batch   [--rules PATH] [--threads N] [--all-questions] [--max-questions N] [CASES.jsonl | -]
    python3 -m symtri check   [--quiet] [PATH]
    python3 -m symtri rules   [--rules PATH]
    python3 -m symtri explain [--rules PATH] RULE-ID [--case CASE.json | -] [--format text|json] [--pretty]
    python3 -m symtri info    [--rules PATH]

The commands mirror the ``symtri`` program's (docs/cli.md) as far as the C API goes: the same JSON
output, options and exit codes: 0 success, 1 a carried test failed, 2 usage error, 3 invalid rule set,
4 invalid case. What the C API does not offer is left out: ``--format cds-hooks``, ``diff``, ``check
--coverage``, and the rule list of ``rules`` (it gives the count). ``--format text`` is a shorter report
than the program's, and ``check`` without a PATH cannot run the built-in rule set's tests (the C API has
the rules but not their tests).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional

from . import CaseError, Engine, RuleSetError, SymtriError, library_version, rules_format_version
from .check import rule_kinds, run_carried_tests
from .result import Result

EXIT_OK, EXIT_TEST_FAILED, EXIT_USAGE, EXIT_RULESET, EXIT_CASE = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as the C++ program's
        sys.stderr.write(f"symtri: {message}\n(run 'python3 -m symtri --help' for usage)\n")
        sys.exit(EXIT_USAGE)


def _open(rules: Optional[str], **opts: Any) -> Optional[Engine]:
    opts = {k: v for k, v in opts.items() if v is not None}
    try:
        return Engine.open(rules, **opts) if rules else Engine.default(**opts)
    except RuleSetError as e:
        sys.stderr.write(str(e) + "\n")
        n = len(e.diagnostics) or 1
        name = f"'{rules}'" if rules else "built in"
        sys.stderr.write(f"symtri: the rule set {name} is not valid ({n} problem{'' if n == 1 else 's'})\n")
        return None


def _engine_for(args: argparse.Namespace) -> Optional[Engine]:
    return _open(args.rules, list_other_questions=1 if getattr(args, "all_questions", False) else None,
                 max_questions=getattr(args, "max_questions", None))


def _read_case(name: str) -> Optional[bytes]:
    try:
        if name == "-":
            return sys.stdin.buffer.read()
        with open(name, "rb") as f:
            return f.read()
    except OSError as e:
        sys.stderr.write(f"symtri: cannot read case file '{name}': {e.strerror or e}\n")
        return None


def _case_error(name: str, e: CaseError) -> None:
    where = "<stdin>" if name == "-" else name
    if e.line:
        where += f":{e.line}:{e.column}"
    sys.stderr.write(f"{where}: error: {e.message}{' at ' + e.path if e.path else ''}\n")


def _text_report(result: Result) -> str:
    """A short plain-language report (the program's --format text is fuller: sources, cautions' reach)."""
    d = result.data
    out = ["symtri triage report", "", f"WHAT TO DO: {d['summary']}"]
    sections = (("WARNING SIGNS FOUND", "red_flags", "!"), ("ADVICE", "recommendations", "-"),
                ("CAUTIONS", "cautions", "!"), ("MORE INFORMATION", "info", "i"))
    for title, key, mark in sections:
        items = d.get(key) or []
        if items:
            out += ["", f"{title} ({len(items)})"]
            out += [f"  {mark} {x['title']}: {x['advice']}" for x in items]
    if result.questions:
        out += ["", f"QUESTIONS STILL OPEN ({len(result.questions)})"]
        out += [f"  ? {q.prompt}" for q in result.questions]
        out.append(f"  Next question: {result.next_question.prompt}" if result.next_question else "")
    out += ["", "IF IT GETS WORSE", f"  {d['if_worse']}", "", "PLEASE NOTE", f"  {d['disclaimer']}"]
    rs = d["ruleset"]
    out.append(f"  Rule set: {rs['id']} {rs['version']} ({rs['digest'][:19]}).")
    return "\n".join(line for line in out) + "\n"


def _triage(args: argparse.Namespace) -> int:
    engine = _engine_for(args)
    if engine is None:
        return EXIT_RULESET
    name = args.case or "-"
    text = _read_case(name)
    if text is None:
        return EXIT_CASE
    with engine:
        try:
            result = engine.triage(text)
        except CaseError as e:
            _case_error(name, e)
            if args.format == "json":  # a caller reading stdout always gets JSON
                sys.stdout.write(e.json + "\n")
            return EXIT_CASE
    if args.format == "text":
        sys.stdout.write(_text_report(result))
    elif args.pretty:
        # keeps the result's key order, as the program's --pretty does
        sys.stdout.write(json.dumps(result.data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.json + "\n")
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    if args.threads is not None and not 1 <= args.threads <= 256:
        sys.stderr.write(f"symtri: --threads must be a number from 1 to 256, got '{args.threads}'\n")
        return EXIT_USAGE
    engine = _engine_for(args)
    if engine is None:
        return EXIT_RULESET
    with engine:
        if args.cases in (None, "-"):
            out = engine.triage_jsonl(sys.stdin.buffer, threads=args.threads or 0)
        else:
            try:
                with open(args.cases, "rb") as f:
                    out = engine.triage_jsonl(f, threads=args.threads or 0)
            except OSError as e:
                sys.stderr.write(f"symtri: cannot read '{args.cases}': {e.strerror or e}\n")
                return EXIT_CASE
    sys.stdout.write(out.output)
    sys.stdout.flush()
    if out.failed:
        sys.stderr.write(f"symtri: {out.failed} of {out.count} lines were rejected (see their error lines)\n")
        return EXIT_CASE
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    engine = _open(args.path)
    if engine is None:
        return EXIT_RULESET
    with engine:
        head = (f"{args.path or 'built-in rules'}: {engine.id} {engine.version} ({engine.digest[:19]}), "
                f"validation: {engine.validation}\n  {len(engine.levels())} levels, {engine.finding_count} findings, "
                f"{engine.rule_count} rules")
        if not args.path:
            print(head + "\n  carried tests not run: the C API does not keep the built-in rule set's tests "
                  "(python3 -m symtri check rules/ runs them)")
            return EXIT_OK
        run, failures = run_carried_tests(engine, args.path)
    kinds = rule_kinds(args.path)
    head += (f" ({kinds.get('red_flag', 0)} red flags, {kinds.get('recommendation', 0)} recommendations, "
             f"{kinds.get('caution', 0)} cautions, {kinds.get('info', 0)} info)")
    for f in failures:
        sys.stderr.write(f"{f}\n")
    if not args.quiet or failures:
        print(f"{head}\n  {run - len(failures)} of {run} carried tests passed")
    return EXIT_TEST_FAILED if failures else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    engine = _open(args.rules)
    if engine is None:
        return EXIT_RULESET
    with engine:
        print(f"{engine.id} {engine.version}: {engine.title()}")
        print(f"  validation: {engine.validation}")
        print(f"  digest: {engine.digest}")
        levels = engine.levels()
        print(f"\nlevels, lowest first ({len(levels)}):")
        for lv in levels:
            print(f"  {lv.rank}  {lv.id:<11} [{lv.indicator}]{' ' * max(1, 9 - len(lv.indicator))}{lv.label}")
        vocab = engine.vocabulary()
        print(f"\nfindings ({len(vocab)}):")
        for f in vocab:
            print(f"  {f.id:<29} {f.label}")
        print(f"\nrules: {engine.rule_count} ('python3 -m symtri explain ID' tells more; 'symtri rules' lists them)")
    return EXIT_OK


def _explain_text(d: Dict[str, Any], with_case: bool) -> str:
    def value(v: Any) -> str:
        return v if isinstance(v, str) else ("true" if v else "false")

    kind = d["kind"].replace("_", " ")
    if with_case:
        state = "fires" if d["fires"] else ("unknown (could still fire)" if d["value"] == "unknown" else "does not fire")
        out = [f"{d['rule']} for this case: {state}"]
    else:
        out = [f"{d['rule']}: {kind}" + (f", level {d['level']}" if d.get("level") else ""), "", "fires when:"]
    width = max((len(t["pointer"]) for t in d["tests"]), default=0)
    for t in d["tests"]:
        depth = t["pointer"].count("/") // 2
        text = "  " * depth + (t["text"] if t["test"] in ("all", "any", "not") else "- " + t["text"])
        out.append(f"  {t['pointer']:<{width}}  {value(t['value']):<7}  {text}" if with_case else f"  {text}")
    if with_case and d.get("would_fire_if"):
        out.append("it could fire with more answers; any of these could settle it (some only together):")
        out += [f"  - {x}" for x in d["would_fire_if"]]
    if with_case and d.get("blocked_by"):
        out.append("it does not fire because:")
        out += [f"  - {x}" for x in d["blocked_by"]]
    return "\n".join(out) + "\n"


def _explain(args: argparse.Namespace) -> int:
    engine = _open(args.rules)
    if engine is None:
        return EXIT_RULESET
    case: Any = {"findings": {}}  # without a case every test is unknown: the rule's condition, written out
    if args.case is not None:
        case = _read_case(args.case)
        if case is None:
            return EXIT_CASE
    with engine:
        try:
            d = engine.explain(args.rule, case)
        except KeyError:
            sys.stderr.write(f"symtri: unknown rule '{args.rule}' in {engine.id} (run 'python3 -m symtri rules')\n")
            return EXIT_USAGE
        except CaseError as e:
            _case_error(args.case, e)
            return EXIT_CASE
    if args.format == "json":
        sys.stdout.write((json.dumps(d, indent=2, ensure_ascii=False) if args.pretty else
                          json.dumps(d, ensure_ascii=False, separators=(",", ":"))) + "\n")
    else:
        sys.stdout.write(_explain_text(d, args.case is not None))
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


def _parser() -> _Parser:
    current, oldest = rules_format_version()
    p = _Parser(prog="python3 -m symtri", description="Rule-based symptom triage (educational; not a diagnosis).")
    p.add_argument("--version", action="version",
                   version=f"symtri {library_version()} (rule format {oldest}..{current}), Python binding")
    sub = p.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)
    rules_help = "a rule set: a root .json file or a directory (default: built in)"

    def questions(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--all-questions", action="store_true",
                        help="also list the other questions (other_question_list)")
        sp.add_argument("--max-questions", type=int, metavar="N", help="list at most N questions (0: all)")

    t = sub.add_parser("triage", help="triage one case (a JSON file, or stdin) and print the result")
    t.add_argument("--rules", metavar="PATH", help=rules_help)
    t.add_argument("--format", choices=["json", "text"], default="json",
                   help="json (default): the result JSON; text: a short report for a person")
    t.add_argument("--pretty", action="store_true", help="indent the result JSON")
    questions(t)
    t.add_argument("case", nargs="?", metavar="CASE.json", help="the case file, or - for stdin (default)")
    b = sub.add_parser("batch", help="triage JSON Lines, one result line per input line")
    b.add_argument("--rules", metavar="PATH", help=rules_help)
    b.add_argument("--threads", type=int, metavar="N", help="worker threads (default: one per core)")
    questions(b)
    b.add_argument("cases", nargs="?", metavar="CASES.jsonl", help="the JSON Lines file, or - for stdin (default)")
    c = sub.add_parser("check", help="validate a rule set and run the tests it carries")
    c.add_argument("--quiet", action="store_true", help="print failures only")
    c.add_argument("path", nargs="?", metavar="PATH", help="the rule set (default: built in; its tests are not run)")
    r = sub.add_parser("rules", help="what a rule set contains: identity, levels, findings")
    r.add_argument("--rules", metavar="PATH", help=rules_help)
    e = sub.add_parser("explain", help="one rule: its condition, or every test of it for one case")
    e.add_argument("--rules", metavar="PATH", help=rules_help)
    e.add_argument("--case", metavar="CASE.json", help="explain the rule for this case (- for stdin)")
    e.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
    e.add_argument("--pretty", action="store_true", help="indent the JSON")
    e.add_argument("rule", metavar="RULE-ID")
    i = sub.add_parser("info", help="describe a rule set in three lines")
    i.add_argument("--rules", metavar="PATH", help=rules_help)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    p = _parser()
    args = p.parse_args(argv)
    if args.command is None:
        p.print_usage(sys.stderr)
        return EXIT_USAGE
    if getattr(args, "max_questions", None) is not None and args.max_questions < 0:
        sys.stderr.write(f"symtri: --max-questions must be 0 or more, got '{args.max_questions}'\n")
        return EXIT_USAGE
    commands = {"triage": _triage, "batch": _batch, "check": _check, "rules": _rules, "explain": _explain,
                "info": _info}
    try:
        return commands[args.command](args)
    except SymtriError as e:
        sys.stderr.write(f"symtri: {e}\n")
        return int(e.status) or 1
    except BrokenPipeError:  # stdout closed early (| head): as the program, exit 1 without a traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write("symtri: cannot write the output: the pipe was closed\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
