# SPDX-License-Identifier: Apache-2.0
"""The engine: an immutable compiled rule set that triages cases. Safe to share between threads."""

from __future__ import annotations

import ctypes
import json as _json
import os
import re
import threading
from dataclasses import dataclass
from typing import IO, Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _lib
from .errors import CaseError, Diagnostic, RuleSetError, RuleSetNotFoundError, Status, SymtriError
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
    # Switches (0/1 or False/True, all off by default) that let loading touch the process beyond
    # allocating memory: hand freed memory back (malloc_trim), a second thread for a large rule set,
    # madvise for huge pages. docs/performance.md, "Load options".
    "release_memory": 12,
    "parallel": 13,
    "advise_memory": 14,
}
# Options that are switches: 0 or 1, False or True.
_SWITCHES = ("list_other_questions", "release_memory", "parallel", "advise_memory")
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


def _utf8(text: str) -> bytes:
    """A str as UTF-8 for the library. Bytes smuggled in by surrogateescape go back as they were; any
    other lone surrogate goes as its (invalid) UTF-8 form, so the library rejects it with a position
    (CaseError or RuleSetError) rather than Python with a UnicodeEncodeError."""
    try:
        return text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")


def _case_bytes(case: CaseInput) -> bytes:
    if isinstance(case, bytes):
        return case
    if isinstance(case, str):
        return _utf8(case)
    if isinstance(case, Mapping):
        # NaN and infinities are written as NaN/Infinity, which the library rejects as a CaseError
        # naming the value's JSON Pointer (json.dumps would raise a bare ValueError).
        return _utf8(_json.dumps(case, ensure_ascii=False, allow_nan=True))
    raise TypeError(f"a case is a dict, a JSON str or JSON bytes, not {type(case).__name__}")


def _arg(value: Any, what: str, optional: bool = False) -> Optional[bytes]:
    """A text argument (an id, a locale, a name) as NUL-terminated bytes: TypeError if it is not a str,
    ValueError if it holds a NUL (C would read only the text before it) or cannot be UTF-8."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{what} contains an embedded null character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"{what} is not valid text ({e.reason}: {value[e.start:e.end]!r})") from None


def _path_arg(path: Any) -> bytes:
    """A file-system path as bytes, refused as Python's own open() refuses it: TypeError for a wrong
    type, ValueError for an embedded NUL (the C library would open the path cut at it)."""
    p = os.fsencode(path)
    if b"\0" in p:
        raise ValueError("embedded null byte in the rule-set path")
    return p


def _missing_file(path: Optional[str], diags: List[Diagnostic]) -> Optional[str]:
    """The file that does not exist, when that is why a rule set could not be read: the path itself, or
    a file a diagnostic names as missing (an include: "included file 'x' does not exist (looked for 'p')")."""
    if path is None:
        return None
    if not os.path.lexists(path):
        return path
    for d in diags:
        m = _MISSING.search(d.message)
        missing = m and (m.group(1) or m.group(2))
        if missing and not os.path.lexists(missing):
            return missing
    return None


_MISSING = re.compile(r"does not exist \(looked for '(.+)'\)$|^cannot read '(.+)': ")


def _threads(threads: Any) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, not {type(threads).__name__}")
    return min(max(0, threads), 0xFFFFFFFF)  # a C unsigned: never wrapped


# The most each option takes: depths stop at 1000, as on the command line (the readers recurse once
# per level); the rest at the largest C long long.
_MAX_VALUE = {"max_depth": 1000, "max_case_depth": 1000}


class _Handles:
    """C handles owned by a Python object made before the C call that fills them. The library writes
    each handle into a slot here as the call returns, so an interrupt (KeyboardInterrupt) at any point
    leaves no handle without an owner: release() frees what is held, and __del__ does if it never ran."""

    __slots__ = ("slots", "_free", "__weakref__")

    def __init__(self, kind: Any, free: Any, n: int = 1) -> None:
        self.slots = (kind * n)()
        self._free = free

    def at(self) -> Any:
        """Where the C call writes the handle (an array passes as a pointer to its first slot)."""
        return self.slots

    def release(self) -> None:
        for i in range(len(self.slots)):
            h = self.slots[i]
            if h:
                self.slots[i] = type(h)()  # cleared first: a second release never frees twice
                self._free(h)

    def __del__(self) -> None:
        try:
            self.release()
        except Exception:  # interpreter shutdown
            pass


def _make_options(limits: Dict[str, int]) -> _Handles:
    L = _lib.lib
    opts = _Handles(_lib.OptionsP, L.symtri_options_destroy)
    if not limits:
        return opts
    if L.symtri_options_create(opts.at()) != Status.OK:
        raise MemoryError("symtri: cannot allocate options")
    given: Dict[str, str] = {}  # public name -> the keyword it was given as
    for name, value in limits.items():
        public = _ALIASES.get(name, name)
        if public not in _OPTIONS:
            opts.release()
            raise TypeError(f"unknown option {name!r}; expected one of {', '.join(sorted(_OPTIONS))}")
        if public in given:
            opts.release()
            raise TypeError(f"option {public!r} given twice (as {given[public]!r} and {name!r})")
        given[public] = name
        if public in _SWITCHES and isinstance(value, bool):
            value = int(value)  # a switch: False/True or 0/1
        if isinstance(value, bool) or not isinstance(value, int):
            opts.release()
            raise TypeError(f"option {public} must be an int, not {type(value).__name__}")
        if public in _SWITCHES:
            low, high = 0, 1
        else:
            low = 0 if public in ("pool_size", "max_questions") else 1
            high = _MAX_VALUE.get(public, 2**63 - 1)
        if not low <= value <= high or L.symtri_options_set(opts.slots[0], _OPTIONS[public], value) != Status.OK:
            opts.release()
            if public in _SWITCHES:
                raise ValueError(f"option {public}={value!r} must be 0 or 1 (False or True)")
            raise ValueError(f"option {public}={value!r} is out of range ({low} to {high})")
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

    def __init__(self, handle: Any = None) -> None:
        # Use open(), default() or from_string(). The engine's own reference lives in `_own`, made
        # before the C call that opens it, so no interrupt can leave an open engine without an owner.
        self._lock = threading.Lock()
        self._close_fn = _lib.lib.symtri_engine_close  # kept, so __del__ works during interpreter shutdown
        self._retain_into = _lib.lib.symtri_engine_retain_into
        self._own = _Handles(_lib.EngineP, self._close_fn)
        if handle is not None:
            self._own.slots[0] = handle

    # ------------------------------------------------------------------ opening
    @classmethod
    def _open(cls, what: str, opener: Any, limits: Dict[str, int], path: Optional[str] = None) -> "Engine":
        """Makes the Engine (the owner) first, then has the library open into its slot."""
        engine = cls()
        opts = _make_options(limits)
        try:
            status = opener(opts.slots[0], engine._own.at())
        finally:
            opts.release()
        if status != Status.OK:
            engine._failed(status, what, path)
        return engine

    def _failed(self, status: int, what: str, path: Optional[str] = None) -> None:
        L = _lib.lib
        handle = self._own.slots[0]
        try:
            if not handle:
                if status == Status.NOMEM:
                    raise MemoryError(f"symtri: out of memory opening {what}")
                raise SymtriError(status, [], f"symtri: cannot open {what}")
            diags = [Diagnostic._from_handle(L.symtri_engine_error(handle, i)) for i in range(L.symtri_engine_error_count(handle))]
            msg = L.symtri_engine_errmsg(handle) or ""
        finally:
            self._own.release()
        if status == Status.MISUSE:
            raise SymtriError(status, diags, msg)
        missing = _missing_file(path, diags) if status in (Status.IO, Status.INVALID_RULESET) else None
        if missing is not None:
            raise RuleSetNotFoundError(status, diags, msg, filename=missing)
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
        Raises :class:`RuleSetError` listing every problem (file, line, column, JSON Pointer); when the
        path, or a file it includes, does not exist, the error is a :class:`RuleSetNotFoundError`, which
        is also a :class:`FileNotFoundError` (an ``OSError``);
        ``TypeError`` for a path that is not one, ``ValueError`` for one with a NUL in it, and for a
        limit out of range (depths: 1 to 1000).
        """
        p = _path_arg(path)
        return cls._open(f"rule set {os.fsdecode(p)!r}", lambda o, out: _lib.lib.symtri_engine_open(p, o, out), limits,
                         os.fsdecode(p))

    @classmethod
    def default(cls, **limits: int) -> "Engine":
        """Opens the rule set built into the library (the shipped ``rules/``). Keyword arguments as
        :meth:`open`. Raises :class:`RuleSetError` (status 5) when the library has none."""
        return cls._open("the built-in rule set", _lib.lib.symtri_engine_open_builtin, limits)

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: str = "<string>", **limits: int) -> "Engine":
        """Opens a rule set held in one string (a root file that includes nothing). ``name`` stands
        for the file name in error messages. Keyword arguments as :meth:`open`."""
        if isinstance(text, str):
            data = _utf8(text)
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
        else:
            raise TypeError(f"rule text is a str or bytes, not {type(text).__name__}")
        n = _arg(name, "name")
        return cls._open(f"rule set {name!r}",
                         lambda o, out: _lib.lib.symtri_engine_open_string(data, len(data), n, o, out), limits)

    @staticmethod
    def has_builtin() -> bool:
        """True when the library carries a built-in rule set."""
        return bool(_lib.lib.symtri_has_builtin())

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Drops this object's reference to the engine. Calls running in other threads finish first;
        further calls on this object raise :class:`SymtriError`. Closing twice is fine."""
        with self._lock:
            self._own.release()

    @property
    def closed(self) -> bool:
        return not self._own.slots[0]

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        own = self.__dict__.get("_own")
        if own is not None:
            own.__del__()

    def _call(self) -> _Handles:
        """An owner for one call's reference to the engine (so close() in another thread cannot free
        the engine under the call). Fill it with _enter(ref) inside the try whose finally releases it."""
        return _Handles(_lib.EngineP, self._close_fn)

    def _enter(self, ref: _Handles) -> Any:
        """Counts a reference into ``ref`` (the library stores it there as it counts it) and returns it."""
        with self._lock:
            if not self._own.slots[0]:
                raise SymtriError(Status.MISUSE, [], "symtri: the engine is closed")
            self._retain_into(self._own.slots[0], ref.at())
        return ref.slots[0]

    def __repr__(self) -> str:
        if self.closed:
            return "<symtri.Engine closed>"
        return f"<symtri.Engine {self.id} {self.version} ({self.rule_count} rules)>"

    # ------------------------------------------------------------------ what it knows
    def _get(self, fn: str, *args: Any) -> Any:
        ref = self._call()
        try:
            return getattr(_lib.lib, fn)(self._enter(ref), *args)
        finally:
            ref.release()

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
        return self._get("symtri_engine_title", _arg(locale, "locale", optional=True))

    def disclaimer(self, locale: Optional[str] = None) -> str:
        """The disclaimer every result carries."""
        return self._get("symtri_engine_disclaimer", _arg(locale, "locale", optional=True))

    @property
    def rule_count(self) -> int:
        return self._get("symtri_engine_rule_count")

    @property
    def finding_count(self) -> int:
        return self._get("symtri_engine_finding_count")

    def levels(self, locale: Optional[str] = None) -> List[Level]:
        """The triage levels, lowest first."""
        L = _lib.lib
        loc = _arg(locale, "locale", optional=True)
        ref = self._call()
        try:
            h = self._enter(ref)
            return [
                Level(i, L.symtri_engine_level_id(h, i), L.symtri_engine_level_label(h, i, loc),
                      L.symtri_engine_level_action(h, i, loc), L.symtri_engine_level_worse(h, i, loc),
                      L.symtri_engine_level_indicator(h, i))
                for i in range(L.symtri_engine_level_count(h))
            ]
        finally:
            ref.release()

    def level(self, id: str, locale: Optional[str] = None) -> Level:
        """The level with this id; KeyError if there is none."""
        for lv in self.levels(locale):
            if lv.id == id:
                return lv
        raise KeyError(id)

    def vocabulary(self, locale: Optional[str] = None) -> List[Finding]:
        """Every finding a case may give, in the rule set's order, with its label and question."""
        L = _lib.lib
        loc = _arg(locale, "locale", optional=True)
        ref = self._call()
        try:
            h = self._enter(ref)
            return [
                Finding(i, L.symtri_engine_finding_id(h, i), L.symtri_engine_finding_label(h, i, loc),
                        L.symtri_engine_finding_question(h, i, loc), L.symtri_engine_finding_group(h, i))
                for i in range(L.symtri_engine_finding_count(h))
            ]
        finally:
            ref.release()

    def finding_index(self, id: str) -> int:
        """The index of a finding id or alias in :meth:`vocabulary`, or -1."""
        return self._get("symtri_engine_finding_index", _arg(id, "a finding id"))

    # ------------------------------------------------------------------ triage
    def triage(self, case: CaseInput) -> Result:
        """Triages one case: a dict (as in the contract), or its JSON text (str or bytes).

        Returns a :class:`Result`; raises :class:`CaseError` for a rejected case (``path``, ``line``
        and ``column`` say where). Thread-safe.
        """
        data = _case_bytes(case)
        out = _Handles(_lib.ResultP, _lib.lib.symtri_result_destroy)  # owns the result from the call on
        ref = self._call()
        try:
            _lib.lib.symtri_engine_triage(self._enter(ref), data, len(data), out.at())
            ref.release()
            if not out.slots[0]:
                raise MemoryError("symtri: out of memory")
            r = Result._take(out.slots[0], destroy=False)
        finally:
            ref.release()
            out.release()
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
        rid = _arg(rule_id, "a rule id")
        out = ctypes.c_void_p()
        n = ctypes.c_size_t(0)
        text = None
        ref = self._call()
        try:  # one finally frees both, so an interrupt anywhere after the call leaks nothing
            status = _lib.lib.symtri_engine_explain(self._enter(ref), rid, data, len(data), ctypes.byref(out),
                                                    ctypes.byref(n))
            if out:
                text = ctypes.string_at(out, n.value).decode("utf-8", errors="replace")
        finally:
            ref.release()
            if out:
                _lib.lib.symtri_free(out)
        if text is None:
            raise MemoryError("symtri: out of memory")
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
        t = _threads(threads)
        blobs = [_case_bytes(c) for c in cases]
        n = len(blobs)
        if n == 0:
            return []
        ptrs = (ctypes.c_char_p * n)(*blobs)
        lens = (ctypes.c_size_t * n)(*[len(b) for b in blobs])
        outs = _Handles(_lib.ResultP, _lib.lib.symtri_result_destroy, n)  # owns the results from the call on
        ref = self._call()
        try:
            status = _lib.lib.symtri_engine_triage_many(self._enter(ref), ptrs, lens, n, t, outs.slots)
            ref.release()
            if status == Status.NOMEM:
                raise MemoryError("symtri: out of memory")
            if status == Status.MISUSE and not outs.slots[0]:
                raise SymtriError(status, [], "symtri: triage_many was called wrongly")
            return [Result._take(outs.slots[i], destroy=False) for i in range(n)]
        finally:
            ref.release()
            outs.release()

    def triage_jsonl(self, text: Union[str, bytes, "IO[str]", "IO[bytes]"], threads: int = 0) -> BatchOutput:
        """Triages JSON Lines exactly as ``symtri batch`` does: one output line per input line, in
        order, a result or an error line ``{"case_id", "line", "error": {...}}``. ``text`` is the lines
        as str or bytes, or a file object open for reading, text or binary (read to its end:
        ``engine.triage_jsonl(open("cases.jsonl", "rb"))``, ``engine.triage_jsonl(sys.stdin)``)."""
        if hasattr(text, "read"):
            text = text.read()  # type: ignore[union-attr]
            if not isinstance(text, (str, bytes, bytearray)):
                raise TypeError(f"the file's read() gave {type(text).__name__}, not str or bytes")
        if isinstance(text, str):
            data = _utf8(text)
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
        else:
            raise TypeError(f"JSON Lines are a str, bytes or a file object, not {type(text).__name__}")
        t = _threads(threads)
        L = _lib.lib
        out = _Handles(_lib.BatchP, L.symtri_batch_destroy)  # owns the batch from the call on
        ref = self._call()
        try:
            status = L.symtri_engine_triage_jsonl(self._enter(ref), data, len(data), t, out.at())
            ref.release()
            b = out.slots[0]
            if not b:
                if status == Status.NOMEM:
                    raise MemoryError("symtri: out of memory")
                raise SymtriError(status, [], "symtri: triage_jsonl failed")
            n = ctypes.c_size_t(0)
            p = L.symtri_batch_output(b, ctypes.byref(n))
            output = ctypes.string_at(p, n.value).decode("utf-8", errors="replace") if p else ""
            return BatchOutput(output, L.symtri_batch_count(b), L.symtri_batch_failed(b))
        finally:
            ref.release()
            out.release()
