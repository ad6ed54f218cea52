# SPDX-License-Identifier: Apache-2.0
"""Runs the tests a rule set carries (the ``tests`` arrays of its files) through an :class:`Engine`, as
``symtri check`` does (docs/rules-format.md, "Tests carried by the rule set").

The C API compiles the tests away, so this reads them from the rule files themselves: the root file
and every file it includes (paths relative to the including file; a directory includes its ``*.json``
files in name order). An ``expect`` may hold ``level``, ``min_level``, ``max_level``, ``fires``,
``not_fires``, ``blocked``, ``questions_include``, ``questions_exclude`` and ``error``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Set, Tuple

from .engine import Engine
from .errors import CaseError

__all__ = ["TestFailure", "carried_tests", "rule_kinds", "run_carried_tests"]


@dataclass(frozen=True)
class TestFailure:
    """One carried test that failed: its file, name and every problem found (``; ``-joined)."""

    file: str
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: test '{self.name}' failed: {self.problem}"


def _root(path: str) -> str:
    return os.path.join(path, "index.json") if os.path.isdir(path) else path


def _files(path: str, seen: Set[str]) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """The root file, then each included file, depth first, each once (the engine has already refused
    cycles and files outside the rule set's folder)."""
    key = os.path.realpath(path)
    if key in seen:
        return
    seen.add(key)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    yield path, doc
    base = os.path.dirname(path)
    for inc in doc.get("include", []) if isinstance(doc, dict) else []:
        target = os.path.join(base, inc)
        if os.path.isdir(target):
            for name in sorted(os.listdir(target)):
                if name.endswith(".json"):
                    yield from _files(os.path.join(target, name), seen)
        else:
            yield from _files(target, seen)


def carried_tests(path: str) -> List[Tuple[str, Dict[str, Any]]]:
    """Every carried test of the rule set at ``path`` (a root file or a directory), with its file."""
    return [(file, t) for file, doc in _files(_root(path), set()) for t in doc.get("tests", [])]


def rule_kinds(path: str) -> Dict[str, int]:
    """How many rules of each kind (``red_flag``, ``recommendation``, ``caution``, ``info``) the rule set at
    ``path`` has, read from its files (the C API gives the total only)."""
    kinds: Dict[str, int] = {}
    for _, doc in _files(_root(path), set()):
        for r in doc.get("rules", []):
            kinds[r.get("kind", "")] = kinds.get(r.get("kind", ""), 0) + 1
    return kinds


def _problems(engine: Engine, ranks: Dict[str, int], test: Dict[str, Any]) -> List[str]:
    e = test.get("expect", {})
    try:
        r = engine.triage(test.get("case", {}))
    except CaseError as err:
        if "error" not in e:
            return [f"case rejected: {err.message}" + (f" at {err.path}" if err.path else "")]
        if err.code != e["error"]:
            return [f"expected error '{e['error']}', got '{err.code}': {err.message}"]
        return []
    if "error" in e:
        return [f"expected the case to be rejected with '{e['error']}', but it was accepted"]
    problems: List[str] = []
    got = r.level
    if "level" in e and got != e["level"]:
        problems.append(f"level is {got}, expected {e['level']}")
    if "min_level" in e and r.level_rank < ranks.get(e["min_level"], -1):
        problems.append(f"level is {got}, expected at least {e['min_level']}")
    if "max_level" in e and r.level_rank > ranks.get(e["max_level"], len(ranks)):
        problems.append(f"level is {got}, expected at most {e['max_level']}")
    data = r.data
    shown = {x["rule"] for k in ("red_flags", "recommendations", "cautions", "info") for x in data.get(k, [])}
    blocked = {b for c in data.get("cautions", []) for b in c.get("blocks", [])}
    fired = shown | blocked  # a recommendation a caution holds back has fired too
    problems += [f"rule '{rid}' did not fire" for rid in e.get("fires", []) if rid not in fired]
    problems += [f"rule '{rid}' fired but must not" for rid in e.get("not_fires", []) if rid in fired]
    problems += [f"rule '{rid}' was not blocked" for rid in e.get("blocked", []) if rid not in blocked]
    asked = {q.key for q in r.questions}
    problems += [f"questions lack '{q}'" for q in e.get("questions_include", []) if q not in asked]
    problems += [f"questions include '{q}'" for q in e.get("questions_exclude", []) if q in asked]
    return problems


def run_carried_tests(engine: Engine, path: str) -> Tuple[int, List[TestFailure]]:
    """Runs every test the rule set at ``path`` carries against ``engine`` (opened from that path, with
    every question listed: no ``max_questions``). Returns (tests run, failures)."""
    ranks = {lv.id: lv.rank for lv in engine.levels()}
    tests = carried_tests(path)
    failures = []
    for file, t in tests:
        problems = _problems(engine, ranks, t)
        if problems:
            failures.append(TestFailure(file, t.get("name", "?"), "; ".join(problems)))
    return len(tests), failures
