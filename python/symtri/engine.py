"""The engine: an immutable compiled rule set that triages cases. Safe to share between threads."""

from __future__ import annotations

import ctypes
import json as _json
import os
import threading
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _lib
from .errors import CaseError, Diagnostic, RuleSetError, Status, SymtriError
from .result import Result

__all__ = ["Engine", "Level", "Finding", "BatchOutput"]

CaseInput = Union[Mapping[str, Any], str, bytes]
PathLike = Union[str, "os.PathLike[str]"]

# Keyword arguments of Engine.open / default / from_string -> symtri_option numbers (symtri.h). The names
# are the limits' public names: the same in C++, in the CLI (--limit NAME=N) and in the error a limit
# gives ("... (max_depth)"). See docs/reliability.md.
_OPTIONS = {
    "max_case_bytes": 1,
    "max_case_depth": 2,
    "max_file_bytes": 3,
    "max_depth": 4,
    "max_files": 5,
    "max_rules": 6,
    "pool_size": 7,
    "max_condition_nodes": 8,
    "max_questions": 9,
    "max_total_bytes": 10,
    # 1 (or True): results also list the questions not asked, Result.other_question_list
    "list_other_questions": 11,
}
# Older keyword names still accepted: old name -> public name.
_ALIASES = {"max_rule_depth": "max_depth"}


@dataclass(frozen=True)
class Level:
    """A triage level, lowest first: ``rank`` is its index."""

    rank: int
    id: str
    label: str
    action: str
    worse: str
    indicator: str


@dataclass(frozen=True)
class Finding:
    """A finding of the vocabulary: an id a case may give, with a label and a yes/no question."""

    index: int
    id: str
    label: str
    question: str
    group: str


@dataclass(frozen=True)
class BatchOutput:
    """What :meth:`Engine.triage_jsonl` returns: ``output`` (one line per input line, as
    ``symtri batch`` writes them), ``count`` lines read and ``failed`` lines rejected."""

    output: str
    count: int
    failed: int


def _case_bytes(case: CaseInput) -> bytes:
    if isinstance(case, bytes):
        return case
    if isinstance(case, str):
        return case.encode("utf-8", errors="surrogateescape")
    if isinstance(case, Mapping):
        return _json.dumps(case, ensure_ascii=False, allow_nan=False).encode("utf-8")
    raise TypeError(f"a case is a dict, a JSON str or JSON bytes, not {type(case).__name__}")


def _make_options(limits: Dict[str, int]) -> Any:
    if not limits:
        return None
    L = _lib.lib
    opts = _lib.OptionsP()
    if L.symtri_options_create(ctypes.byref(opts)) != Status.OK:
        raise MemoryError("symtri: cannot allocate options")
    given: Dict[str, str] = {}  # public name -> the keyword it was given as
    for name, value in limits.items():
        public = _ALIASES.get(name, name)
        if public not in _OPTIONS:
            L.symtri_options_destroy(opts)
            raise TypeError(f"unknown option {name!r}; expected one of {', '.join(sorted(_OPTIONS))}")
        if public in given:
            L.symtri_options_destroy(opts)
            raise TypeError(f"option {public!r} given twice (as {given[public]!r} and {name!r})")
        given[public] = name
        if L.symtri_options_set(opts, _OPTIONS[public], int(value)) != Status.OK:
            L.symtri_options_destroy(opts)
            if public == "list_other_questions":
                raise ValueError(f"option list_other_questions={value!r} must be 0 or 1 (False or True)")
            low = 0 if public in ("pool_size", "max_questions") else 1
            raise ValueError(f"option {public}={value!r} is out of range (the least is {low})")
    return opts


class Engine:
    """A compiled rule set that triages cases.

    Make one with :meth:`open`, :meth:`default` or :meth:`from_string`; close it with :meth:`close` or
    a ``with`` block. An engine never changes once open: any number of threads may call
    :meth:`triage` on it at once (ctypes releases the GIL during each call, so they run in parallel).
    To swap in new rules while threads are triaging, open a new engine, assign it where the threads
    find it, and close the old one; calls already running on the old one finish safely (the library
    counts references).
    """

    def __init__(self, handle: Any) -> None:
        # Use open(), default() or from_string().
        self._handle: Optional[Any] = handle
        self._lock = threading.Lock()
        self._close_fn = _lib.lib.symtri_engine_close  # kept, so __del__ works during interpreter shutdown
        self._retain_fn = _lib.lib.symtri_engine_retain

    # ------------------------------------------------------------------ opening
    @classmethod
    def _opened(cls, status: int, handle: Any, what: str) -> "Engine":
        L = _lib.lib
        if status == Status.OK:
            return cls(handle)
        if not handle:
            if status == Status.NOMEM:
                raise MemoryError(f"symtri: out of memory opening {what}")
            raise SymtriError(status, [], f"symtri: cannot open {what}")
        try:
            diags = [Diagnostic._from_handle(L.symtri_engine_error(handle, i)) for i in range(L.symtri_engine_error_count(handle))]
            msg = L.symtri_engine_errmsg(handle) or ""
        finally:
            L.symtri_engine_close(handle)
        if status == Status.MISUSE:
            raise SymtriError(status, diags, msg)
        raise RuleSetError(status, diags, msg)

    @classmethod
    def open(cls, path: PathLike, **limits: int) -> "Engine":
        """Opens a rule set from a root ``.json`` file or a directory holding ``index.json``.

        Keyword arguments set limits and options (docs/reliability.md): ``max_file_bytes``,
        ``max_total_bytes``, ``max_depth`` (also accepted as ``max_rule_depth``), ``max_files``,
        ``max_rules``, ``max_condition_nodes``, ``max_case_bytes``, ``max_case_depth``,
        ``max_questions`` (0: all) and ``pool_size``. Going over a rule-set limit raises
        :class:`RuleSetError` whose diagnostic has code ``"limit"`` and names the limit; a case over a
        case limit raises :class:`CaseError` with code ``"limit"``.
        Raises :class:`RuleSetError` listing every problem (file, line, column, JSON Pointer).
        """
        opts = _make_options(limits)
        handle = _lib.EngineP()
        try:
            status = _lib.lib.symtri_engine_open(os.fsencode(path), opts, ctypes.byref(handle))
        finally:
            _lib.lib.symtri_options_destroy(opts)
        return cls._opened(status, handle, f"rule set {os.fspath(path)!r}")

    @classmethod
    def default(cls, **limits: int) -> "Engine":
        """Opens the rule set built into the library (the shipped ``rules/``). Keyword arguments as
        :meth:`open`. Raises :class:`RuleSetError` (status 5) when the library has none."""
        opts = _make_options(limits)
        handle = _lib.EngineP()
        try:
            status = _lib.lib.symtri_engine_open_builtin(opts, ctypes.byref(handle))
        finally:
            _lib.lib.symtri_options_destroy(opts)
        return cls._opened(status, handle, "the built-in rule set")

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: str = "<string>", **limits: int) -> "Engine":
        """Opens a rule set held in one string (a root file that includes nothing). ``name`` stands
        for the file name in error messages. Keyword arguments as :meth:`open`."""
        data = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else bytes(text)
        opts = _make_options(limits)
        handle = _lib.EngineP()
        try:
            status = _lib.lib.symtri_engine_open_string(data, len(data), name.encode("utf-8"), opts, ctypes.byref(handle))
        finally:
            _lib.lib.symtri_options_destroy(opts)
        return cls._opened(status, handle, f"rule set {name!r}")

    @staticmethod
    def has_builtin() -> bool:
        """True when the library carries a built-in rule set."""
        return bool(_lib.lib.symtri_has_builtin())

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Drops this object's reference to the engine. Calls running in other threads finish first;
        further calls on this object raise :class:`SymtriError`. Closing twice is fine."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle:
            self._close_fn(handle)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            handle = self.__dict__.get("_handle")
            self._handle = None
            if handle:
                self._close_fn(handle)
        except Exception:  # interpreter shutdown: nothing sensible left to do
            pass

    def _acquire(self) -> Any:
        """A reference for the length of one call, so close() in another thread cannot free the
        engine under it."""
        with self._lock:
            if self._handle is None:
                raise SymtriError(Status.MISUSE, [], "symtri: the engine is closed")
            return self._retain_fn(self._handle)

    def __repr__(self) -> str:
        if self._handle is None:
            return "<symtri.Engine closed>"
        return f"<symtri.Engine {self.id} {self.version} ({self.rule_count} rules)>"

    # ------------------------------------------------------------------ what it knows
    def _get(self, fn: str, *args: Any) -> Any:
        h = self._acquire()
        try:
            return getattr(_lib.lib, fn)(h, *args)
        finally:
            self._close_fn(h)

    @property
    def id(self) -> str:
        """The rule set's id, e.g. ``"symtri.neuromuscular"``."""
        return self._get("symtri_engine_id")

    @property
    def version(self) -> str:
        """The rule set's content version (the library's own is :func:`symtri.library_version`)."""
        return self._get("symtri_engine_version")

    @property
    def digest(self) -> str:
        """``"sha256:..."`` of the rule set's canonical content."""
        return self._get("symtri_engine_digest")

    @property
    def validation(self) -> str:
        """``research``, ``testing`` or ``production``."""
        return self._get("symtri_engine_validation")

    def title(self, locale: Optional[str] = None) -> str:
        """The rule set's title, in ``locale`` if it has that translation."""
        return self._get("symtri_engine_title", locale.encode() if locale else None)

    def disclaimer(self, locale: Optional[str] = None) -> str:
        """The disclaimer every result carries."""
        return self._get("symtri_engine_disclaimer", locale.encode() if locale else None)

    @property
    def rule_count(self) -> int:
        return self._get("symtri_engine_rule_count")

    @property
    def finding_count(self) -> int:
        return self._get("symtri_engine_finding_count")

    def levels(self, locale: Optional[str] = None) -> List[Level]:
        """The triage levels, lowest first."""
        h = self._acquire()
        L = _lib.lib
        loc = locale.encode() if locale else None
        try:
            return [
                Level(i, L.symtri_engine_level_id(h, i), L.symtri_engine_level_label(h, i, loc),
                      L.symtri_engine_level_action(h, i, loc), L.symtri_engine_level_worse(h, i, loc),
                      L.symtri_engine_level_indicator(h, i))
                for i in range(L.symtri_engine_level_count(h))
            ]
        finally:
            self._close_fn(h)

    def level(self, id: str, locale: Optional[str] = None) -> Level:
        """The level with this id; KeyError if there is none."""
        for lv in self.levels(locale):
            if lv.id == id:
                return lv
        raise KeyError(id)

    def vocabulary(self, locale: Optional[str] = None) -> List[Finding]:
        """Every finding a case may give, in the rule set's order, with its label and question."""
        h = self._acquire()
        L = _lib.lib
        loc = locale.encode() if locale else None
        try:
            return [
                Finding(i, L.symtri_engine_finding_id(h, i), L.symtri_engine_finding_label(h, i, loc),
                        L.symtri_engine_finding_question(h, i, loc), L.symtri_engine_finding_group(h, i))
                for i in range(L.symtri_engine_finding_count(h))
            ]
        finally:
            self._close_fn(h)

    def finding_index(self, id: str) -> int:
        """The index of a finding id or alias in :meth:`vocabulary`, or -1."""
        return self._get("symtri_engine_finding_index", id.encode("utf-8"))

    # ------------------------------------------------------------------ triage
    def triage(self, case: CaseInput) -> Result:
        """Triages one case: a dict (as in the contract), or its JSON text (str or bytes).

        Returns a :class:`Result`; raises :class:`CaseError` for a rejected case (``path``, ``line``
        and ``column`` say where). Thread-safe.
        """
        data = _case_bytes(case)
        h = self._acquire()
        out = _lib.ResultP()
        try:
            _lib.lib.symtri_engine_triage(h, data, len(data), ctypes.byref(out))
        finally:
            self._close_fn(h)
        if not out:
            raise MemoryError("symtri: out of memory")
        r = Result._take(out)
        if r.error is not None:
            raise r.error
        return r

    def explain(self, rule_id: str, case: CaseInput) -> Dict[str, Any]:
        """Explains one rule for one case: every test of its condition with its JSON Pointer inside the
        rule (``"/when/all/1"``), its value (True, False or ``"unknown"``), and what would make the rule
        fire (``would_fire_if`` for an unknown rule, ``blocked_by`` for a false one). The same dict as
        ``symtri explain RULE --case FILE --format json`` prints. Raises :class:`KeyError` for an unknown
        rule id and :class:`CaseError` for a rejected case. Thread-safe."""
        data = _case_bytes(case)
        out = ctypes.c_void_p()
        n = ctypes.c_size_t(0)
        h = self._acquire()
        try:
            status = _lib.lib.symtri_engine_explain(h, rule_id.encode("utf-8"), data, len(data), ctypes.byref(out),
                                                    ctypes.byref(n))
        finally:
            self._close_fn(h)
        if not out:
            raise MemoryError("symtri: out of memory")
        try:
            text = ctypes.string_at(out, n.value).decode("utf-8", errors="replace")
        finally:
            _lib.lib.symtri_free(out)
        if status == Status.OK:
            return _json.loads(text)
        if status == Status.INVALID_CASE:
            raise CaseError(status, [], text)
        if "unknown rule" in text:
            raise KeyError(rule_id)
        raise SymtriError(status, [], text)

    def triage_many(self, cases: Iterable[CaseInput], threads: int = 0) -> List[Result]:
        """Triages many cases on ``threads`` worker threads inside the library (0: one per core).
        Returns one :class:`Result` per case, in order; a rejected case's Result has ``ok`` False and
        its :class:`CaseError` in ``error`` (nothing is raised for it)."""
        blobs = [_case_bytes(c) for c in cases]
        n = len(blobs)
        if n == 0:
            return []
        ptrs = (ctypes.c_char_p * n)(*blobs)
        lens = (ctypes.c_size_t * n)(*[len(b) for b in blobs])
        outs = (_lib.ResultP * n)()
        h = self._acquire()
        try:
            status = _lib.lib.symtri_engine_triage_many(h, ptrs, lens, n, max(0, int(threads)), outs)
        finally:
            self._close_fn(h)
        if status == Status.NOMEM:
            raise MemoryError("symtri: out of memory")
        if status == Status.MISUSE and not outs[0]:
            raise SymtriError(status, [], "symtri: triage_many was called wrongly")
        return [Result._take(outs[i]) for i in range(n)]

    def triage_jsonl(self, text: Union[str, bytes], threads: int = 0) -> BatchOutput:
        """Triages JSON Lines exactly as ``symtri batch`` does: one output line per input line, in
        order, a result or an error line ``{"case_id", "line", "error": {...}}``."""
        data = text.encode("utf-8", errors="surrogateescape") if isinstance(text, str) else bytes(text)
        out = _lib.BatchP()
        h = self._acquire()
        try:
            status = _lib.lib.symtri_engine_triage_jsonl(h, data, len(data), max(0, int(threads)), ctypes.byref(out))
        finally:
            self._close_fn(h)
        if not out:
            if status == Status.NOMEM:
                raise MemoryError("symtri: out of memory")
            raise SymtriError(status, [], "symtri: triage_jsonl failed")
        L = _lib.lib
        try:
            n = ctypes.c_size_t(0)
            p = L.symtri_batch_output(out, ctypes.byref(n))
            output = ctypes.string_at(p, n.value).decode("utf-8", errors="replace") if p else ""
            return BatchOutput(output, L.symtri_batch_count(out), L.symtri_batch_failed(out))
        finally:
            L.symtri_batch_destroy(out)
