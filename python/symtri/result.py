# SPDX-License-Identifier: Apache-2.0
"""Results of triage: the contract's result JSON, with typed access to what most programs need."""

from __future__ import annotations

import ctypes
import json as _json
from dataclasses import dataclass, field, replace
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
    """A question of the interview (docs/case-and-result.md, "Questions and the interview"): about a
    ``finding``, or, when ``attribute`` is set, about one attribute of a finding the person said they have.

    Ask ``prompt``. ``could_raise_to`` is the highest level it could lead to together with other
    answers. Finding questions: ``if_yes`` is the exact level if that finding alone were answered
    present (it may equal the result's level: then it matters only together with other answers).
    Attribute questions: ``choices`` (the values a case gives; True/False for at_night and constant;
    several may be given when ``multiple``), or ``unit`` with ``min``/``max`` for numbers; ``if_answer``
    maps the choices that alone would raise the level to that level. ``screening``: one of the rule
    set's questions every person is asked.
    """

    finding: str
    prompt: str
    could_raise_to: str
    label: str = ""
    attribute: Optional[str] = None
    if_yes: Optional[str] = None
    choices: Optional[List[Any]] = None
    multiple: bool = False
    unit: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    if_answer: Dict[str, str] = field(default_factory=dict)
    screening: bool = False

    @staticmethod
    def _from_json(q: Mapping[str, Any]) -> "Question":
        return Question(
            finding=q.get("finding", ""),
            prompt=q.get("prompt", ""),
            could_raise_to=q.get("could_raise_to", ""),
            label=q.get("label", ""),
            attribute=q.get("attribute"),
            if_yes=q.get("if_yes"),
            choices=list(q["choices"]) if "choices" in q else None,
            multiple=bool(q.get("multiple", False)),
            unit=q.get("unit"),
            min=q.get("min"),
            max=q.get("max"),
            if_answer=dict(q.get("if_answer", {})),
            screening=bool(q.get("screening", False)),
        )

    @property
    def key(self) -> str:
        """What the case's ``unsure`` list takes for this question: ``finding`` or ``finding.attribute``."""
        return self.finding if self.attribute is None else f"{self.finding}.{self.attribute}"


class Result(Mapping[str, Any]):
    """The outcome of triaging one case.

    A read-only mapping over the result JSON (``result["recommendations"]``), plus attributes:
    ``json`` (the exact text, as ``symtri triage`` prints it), ``level``, ``level_rank``, ``summary``,
    ``case_id``, ``red_flags`` (list of :class:`RedFlag`), ``questions`` (list of :class:`Question`,
    in the order to ask them); the interview: ``next_question`` (the first question, or None),
    ``complete`` (True when nothing is left to ask), ``other_questions`` (how many other unknowns could
    raise the level but are not asked), ``other_question_list`` (those questions, when the engine was
    opened with ``list_other_questions=True``; else empty) and ``unsure`` (the case's ``unsure`` list).

    From :meth:`Engine.triage_many`, a rejected case gives a Result whose ``ok`` is False, ``error``
    is the :class:`CaseError` and ``json`` the error object; :meth:`Engine.triage` raises instead.
    A Result holds no C resources: keep it and share it between threads freely.
    """

    __slots__ = ("json", "level", "level_rank", "summary", "case_id", "red_flags", "questions", "error", "_data",
                 "complete", "other_questions", "other_question_list", "unsure")

    def __init__(self) -> None:
        self.json: str = ""
        self.level: Optional[str] = None
        self.level_rank: int = -1
        self.summary: Optional[str] = None
        self.case_id: Optional[str] = None
        self.red_flags: List[RedFlag] = []
        self.questions: List[Question] = []
        self.complete: bool = True
        self.other_questions: int = 0
        self.other_question_list: List[Question] = []
        self.unsure: List[str] = []
        self.error: Optional[CaseError] = None
        self._data: Optional[Dict[str, Any]] = None

    @property
    def ok(self) -> bool:
        """True when the case was triaged (False for a rejected case from triage_many)."""
        return self.error is None

    @property
    def next_question(self) -> Optional[Question]:
        """The question to ask next (``interview.next``), or None when the interview is complete."""
        return self.questions[0] if self.questions else None

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
            data = r.data
            r.questions = [Question._from_json(q) for q in data.get("questions", [])]
            r.other_question_list = [Question._from_json(q) for q in data.get("other_question_list", [])]
            r.unsure = list(data.get("unsure", []))
            r.complete = L.symtri_result_complete(handle) == 1
            r.other_questions = L.symtri_result_other_questions(handle)
            return r
        finally:
            if destroy:
                L.symtri_result_destroy(handle)
