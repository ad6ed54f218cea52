"""Results of triage: the contract's result JSON, with typed access to what most programs need."""

from __future__ import annotations

import ctypes
import json as _json
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterator, List, Mapping, Optional

from . import _lib
from .errors import CaseError, Diagnostic, Status

__all__ = ["Result", "RedFlag", "Question"]


@dataclass(frozen=True)
class RedFlag:
    """A red-flag rule that fired: its ``rule`` id, the ``level`` it raises to, ``title`` and ``advice``."""

    rule: str
    level: str
    title: str
    advice: str


@dataclass(frozen=True)
class Question:
    """An unknown finding whose answer could raise the level: ask ``prompt``; a yes could lead to
    ``could_raise_to``."""

    finding: str
    prompt: str
    could_raise_to: str


class Result(Mapping[str, Any]):
    """The outcome of triaging one case.

    A read-only mapping over the result JSON (``result["recommendations"]``), plus attributes:
    ``json`` (the exact text, as ``symtri triage`` prints it), ``level``, ``level_rank``, ``summary``,
    ``case_id``, ``red_flags`` (list of :class:`RedFlag`), ``questions`` (list of :class:`Question`).

    From :meth:`Engine.triage_many`, a rejected case gives a Result whose ``ok`` is False, ``error``
    is the :class:`CaseError` and ``json`` the error object; :meth:`Engine.triage` raises instead.
    A Result holds no C resources: keep it and share it between threads freely.
    """

    __slots__ = ("json", "level", "level_rank", "summary", "case_id", "red_flags", "questions", "error", "_data")

    def __init__(self) -> None:
        self.json: str = ""
        self.level: Optional[str] = None
        self.level_rank: int = -1
        self.summary: Optional[str] = None
        self.case_id: Optional[str] = None
        self.red_flags: List[RedFlag] = []
        self.questions: List[Question] = []
        self.error: Optional[CaseError] = None
        self._data: Optional[Dict[str, Any]] = None

    @property
    def ok(self) -> bool:
        """True when the case was triaged (False for a rejected case from triage_many)."""
        return self.error is None

    @property
    def data(self) -> Dict[str, Any]:
        """The result JSON parsed into a dict (parsed once, on first use)."""
        if self._data is None:
            self._data = _json.loads(self.json)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        if self.error is not None:
            return f"<symtri.Result error={self.error.code!r} path={self.error.path!r}>"
        return f"<symtri.Result level={self.level!r} red_flags={[r.rule for r in self.red_flags]!r}>"

    @staticmethod
    def _take(handle: "_lib.ResultP", destroy: bool = True) -> "Result":  # type: ignore[name-defined]
        """Copies everything out of a C result handle and destroys it (unless ``destroy`` is False:
        then its owner does, see engine._Handles)."""
        L = _lib.lib
        try:
            r = Result()
            n = ctypes.c_size_t(0)
            p = L.symtri_result_json(handle, ctypes.byref(n))
            r.json = ctypes.string_at(p, n.value).decode("utf-8", errors="replace") if p else ""
            k = ctypes.c_size_t(0)
            cid = L.symtri_result_case_id_len(handle, ctypes.byref(k))  # whole, even with U+0000 in it
            r.case_id = ctypes.string_at(cid, k.value).decode("utf-8", errors="replace") if cid else None
            status = L.symtri_result_errcode(handle)
            if status != Status.OK:
                err = L.symtri_result_error(handle)
                diags = [Diagnostic._from_handle(err)] if err else []
                if diags and "\\u0000" in r.json:  # a NUL in a key or value: the C strings stop there, the JSON has it all
                    e = _json.loads(r.json).get("error", {})
                    diags = [replace(diags[0], message=e.get("message", diags[0].message), path=e.get("path", diags[0].path))]
                r.error = CaseError(status, diags, L.symtri_result_errmsg(handle) or "", case_id=r.case_id, json=r.json)
                return r
            r.level = L.symtri_result_level(handle)
            r.level_rank = L.symtri_result_level_rank(handle)
            r.summary = L.symtri_result_summary(handle)
            r.red_flags = [
                RedFlag(
                    L.symtri_result_red_flag(handle, i),
                    L.symtri_result_red_flag_level(handle, i),
                    L.symtri_result_red_flag_title(handle, i),
                    L.symtri_result_red_flag_advice(handle, i),
                )
                for i in range(L.symtri_result_red_flag_count(handle))
            ]
            r.questions = [
                Question(
                    L.symtri_result_question_finding(handle, i),
                    L.symtri_result_question_prompt(handle, i),
                    L.symtri_result_question_could_raise_to(handle, i),
                )
                for i in range(L.symtri_result_question_count(handle))
            ]
            return r
        finally:
            if destroy:
                L.symtri_result_destroy(handle)
