# SPDX-License-Identifier: Apache-2.0
"""The exceptions symtri raises, each carrying what the C library reported."""

from __future__ import annotations

import enum
import errno as _errno
import os
from dataclasses import dataclass
from typing import List, Optional

from . import _lib

__all__ = ["Diagnostic", "SymtriError", "RuleSetError", "RuleSetNotFoundError", "CaseError", "Status"]


class Status(enum.IntEnum):
    """The C library's status codes (``SYMTRI_*`` in symtri.h), same numbers: ``Status.IO == 5``."""

    OK = 0
    MISUSE = 1
    USAGE = 2
    INVALID_RULESET = 3
    INVALID_CASE = 4
    IO = 5
    LIMIT = 6
    NOMEM = 7
    INTERNAL = 8


@dataclass(frozen=True)
class Diagnostic:
    """One problem: what (``code``, ``message``) and where (``file``, ``line``, ``column``, ``path``).

    ``path`` is the JSON Pointer of the offending value ("" for the whole document); ``line`` and
    ``column`` are 1-based, 0 when unknown; ``file`` is "" for a case or an unnamed string.
    """

    status: int
    code: str
    message: str
    file: str
    line: int
    column: int
    path: str
    text: str

    @staticmethod
    def _from_handle(err: "_lib.ErrorP") -> "Diagnostic":  # type: ignore[name-defined]
        L = _lib.lib
        return Diagnostic(
            status=L.symtri_error_status(err),
            code=L.symtri_error_code(err) or "",
            message=L.symtri_error_message(err) or "",
            file=L.symtri_error_file(err) or "",
            line=L.symtri_error_line(err),
            column=L.symtri_error_column(err),
            path=L.symtri_error_pointer(err) or "",
            text=L.symtri_error_text(err) or "",
        )

    def __str__(self) -> str:
        return self.text


def _status(value: int) -> "int":
    """A Status member for a known number; the number itself for one this package does not know."""
    try:
        return Status(value)
    except ValueError:
        return value


class SymtriError(Exception):
    """Base of every symtri error.

    Attributes: ``status`` (the C status code, see :class:`Status`), ``code`` (a machine-readable id
    such as ``"unknown_finding"``), ``message``, ``file``, ``line``, ``column``, ``path`` (JSON
    Pointer) of the first problem, and ``diagnostics``, every problem found.
    """

    def __init__(self, status: int, diagnostics: List[Diagnostic], fallback: str = "") -> None:
        self.status = _status(status)
        self.diagnostics = list(diagnostics)
        first: Optional[Diagnostic] = self.diagnostics[0] if self.diagnostics else None
        self.code: str = first.code if first else _lib.lib.symtri_status_name(status) or "unknown"
        self.message: str = first.message if first else fallback
        self.file: str = first.file if first else ""
        self.line: int = first.line if first else 0
        self.column: int = first.column if first else 0
        self.path: str = first.path if first else ""
        text = "\n".join(d.text for d in self.diagnostics) or fallback
        super().__init__(text)


class RuleSetError(SymtriError):
    """A rule set could not be opened: it is invalid (status 3), unreadable (5) or over a limit (6).

    ``diagnostics`` lists every problem, each with file, line, column and JSON Pointer.
    """


class RuleSetNotFoundError(RuleSetError, FileNotFoundError):
    """The rule-set path (or a file it includes) does not exist: both a :class:`RuleSetError` (status
    ``Status.IO``, with its diagnostics) and a :class:`FileNotFoundError`, so ``except OSError`` and
    ``except FileNotFoundError`` catch it too. ``errno`` is ``ENOENT`` and ``filename`` the missing path."""

    def __init__(self, status: int, diagnostics: List[Diagnostic], fallback: str = "", filename: str = "") -> None:
        super().__init__(status, diagnostics, fallback)
        self.errno = _errno.ENOENT
        self.strerror = os.strerror(_errno.ENOENT)
        self.filename = filename

    def __str__(self) -> str:  # the diagnostics, as every RuleSetError (not OSError's "[Errno 2] ...")
        return str(self.args[0]) if self.args else ""


class CaseError(SymtriError, ValueError):
    """A case was rejected: bad JSON, an unknown finding (with the closest known id), a wrong type or a
    value out of range. ``path`` is the JSON Pointer of the offending key or value; ``line`` and
    ``column`` point into the case's JSON text. ``case_id`` is the case's own id when it had one."""

    def __init__(self, status: int, diagnostics: List[Diagnostic], fallback: str = "", case_id: Optional[str] = None,
                 json: str = "") -> None:
        super().__init__(status, diagnostics, fallback)
        self.case_id = case_id
        self.json = json  # the error object `symtri triage` prints for this case
