# SPDX-License-Identifier: Apache-2.0
"""symtri: rule-based symptom triage, from Python.

A thin ctypes binding of the symtri C library (libsymtri); standard library only.

    import symtri

    with symtri.Engine.default() as engine:            # or Engine.open("rules/"), Engine.from_string(text)
        result = engine.triage({"findings": {"sciatica": True, "saddle_numbness": True}})
        print(result.level, [f.rule for f in result.red_flags])
        for q in result.questions:                     # what to ask next
            print(q.prompt, "->", q.could_raise_to)

symtri educates and signposts; it does not diagnose.
"""

from __future__ import annotations

from . import _lib
from .engine import BatchOutput, Engine, Finding, Level
from .errors import CaseError, Diagnostic, RuleSetError, RuleSetNotFoundError, Status, SymtriError
from .result import Question, RedFlag, Result

__version__ = "0.1.0"

__all__ = [
    "Engine", "Result", "RedFlag", "Question", "Level", "Finding", "BatchOutput",
    "SymtriError", "RuleSetError", "RuleSetNotFoundError", "CaseError", "Diagnostic", "Status",
    "library_version", "library_version_number", "rules_format_version", "library_path", "__version__",
]

library_path: str = _lib.library_path


def library_version() -> str:
    """The loaded C library's version, e.g. ``"0.1.0"``."""
    return _lib.lib.symtri_version()


def library_version_number() -> int:
    """The loaded C library's version as MAJOR * 1000000 + MINOR * 1000 + PATCH."""
    return _lib.lib.symtri_version_number()


def rules_format_version() -> "tuple[int, int]":
    """The rule-file format versions the library reads: (current, oldest accepted)."""
    return (_lib.lib.symtri_rules_format_version(), _lib.lib.symtri_rules_format_min_version())
