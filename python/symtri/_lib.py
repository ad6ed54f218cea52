# SPDX-License-Identifier: Apache-2.0
"""Finds and loads libsymtri, and declares every C function's signature in one table.

The library is looked for, in order:

1. the ``SYMTRI_LIBRARY`` environment variable (a file path);
2. beside this package (``symtri/libsymtri.so*``: a wheel built with ``-C libsymtri=...``, or the link
   ``cmake --install`` puts there);
3. when this package is ``python/symtri`` of a source checkout: its build trees (``build/lib``, then other
   ``build*/lib``, newest first), except sanitizer builds (``SYMTRI_SANITIZE`` set in the tree's
   ``CMakeCache.txt``, as ``scripts/check-sanitizers.sh`` makes them): their library loads only with the
   sanitizer's runtime preloaded, and without it ASan ends the process instead of failing the load;
4. the installed library: the ``lib`` directories of the prefix this package is installed under (so a
   ``pip install`` next to a ``cmake --install`` of the same prefix finds it), of Python's prefix, and the
   system's (``/usr/local/lib``, ``/usr/lib`` and their multiarch directories);
5. the dynamic loader's cache (``ctypes.util.find_library("symtri")``, ldconfig).

If none loads, importing :mod:`symtri` raises :class:`ImportError` listing every place tried.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import sysconfig
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, Tuple

__all__ = ["lib", "library_path", "EngineP", "ResultP", "BatchP", "OptionsP", "ErrorP", "NUL_TERMINATED"]

_PACKAGE_DIR = Path(__file__).resolve().parent
_LIB_NAMES = {"darwin": "libsymtri.dylib", "win32": "symtri.dll"}
_LIB_NAME = _LIB_NAMES.get(sys.platform, "libsymtri.so")

NUL_TERMINATED = ctypes.c_size_t(-1).value


# Typed handle pointers: passing an engine where a result is expected is a ctypes.ArgumentError, not a crash.
class _Engine(ctypes.Structure):
    pass


class _Result(ctypes.Structure):
    pass


class _Batch(ctypes.Structure):
    pass


class _Options(ctypes.Structure):
    pass


class _Error(ctypes.Structure):
    pass


EngineP = ctypes.POINTER(_Engine)
ResultP = ctypes.POINTER(_Result)
BatchP = ctypes.POINTER(_Batch)
OptionsP = ctypes.POINTER(_Options)
ErrorP = ctypes.POINTER(_Error)


def _checkout_root() -> Optional[Path]:
    """The source checkout this package sits in (python/symtri), or None for an installed package."""
    root = _PACKAGE_DIR.parent.parent
    if _PACKAGE_DIR.parent.name == "python" and (root / "include" / "symtri" / "symtri.h").is_file():
        return root
    return None


def _lib_dirs() -> List[Tuple[str, Path]]:
    """The library directories an installed libsymtri may be in, most specific first."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    dirs: List[Tuple[str, Path]] = []
    # PREFIX/lib[/<multiarch>|64]/pythonX.Y/{site,dist}-packages/symtri, or PREFIX/lib/python3/dist-packages:
    # the prefix is the parent of the nearest "lib*" directory above the package.
    for parent in _PACKAGE_DIR.parents:
        if parent.name.startswith("lib") and parent.parent != parent:
            prefix = parent.parent
            dirs.append(("the prefix this package is installed in", prefix / "lib"))
            if multiarch:
                dirs.append(("the prefix this package is installed in", prefix / "lib" / multiarch))
            dirs.append(("the prefix this package is installed in", prefix / "lib64"))
            break
    for prefix in (Path(sys.prefix), Path("/usr/local"), Path("/usr")):
        note = "Python's prefix" if prefix == Path(sys.prefix) else "the system"
        if multiarch:
            dirs.append((note, prefix / "lib" / multiarch))
        dirs.append((note, prefix / "lib"))
        dirs.append((note, prefix / "lib64"))
    seen, unique = set(), []
    for note, d in dirs:
        if d not in seen:
            seen.add(d)
            unique.append((note, d))
    return unique


def _in_dir(directory: Path) -> List[Path]:
    """libsymtri.so, else its versioned names (libsymtri.so.0.1, ...), in one directory."""
    exact = directory / _LIB_NAME
    if exact.exists():
        return [exact]
    return sorted(directory.glob(_LIB_NAME + ".*"))


def _sanitizer_build(tree: Path) -> bool:
    """Whether a build tree was configured with sanitizers (``SYMTRI_SANITIZE=...`` in its CMake cache)."""
    try:
        with open(tree / "CMakeCache.txt", encoding="utf-8", errors="replace") as cache:
            for line in cache:
                if line.startswith("SYMTRI_SANITIZE:"):
                    return line.split("=", 1)[-1].strip() != ""
    except OSError:
        pass
    return False


def _candidates() -> List[Tuple[str, Path, Optional[str]]]:
    """Every file to try, in order, each with a note saying why it is looked at and, for a place passed
    over, why (None for a place to try). A directory with no library gives its pattern
    (``DIR/libsymtri.so*``), so the ImportError names where it looked."""
    places: List[Tuple[str, Path, Optional[str]]] = []
    env = os.environ.get("SYMTRI_LIBRARY")
    if env:
        places.append(("$SYMTRI_LIBRARY", Path(env), None))
    dirs: List[Tuple[str, Path, Optional[str]]] = [("beside the package", _PACKAGE_DIR, None)]
    root = _checkout_root()
    if root is not None:
        others = [p for p in root.glob("build*") if p.name != "build" and (p / "lib" / _LIB_NAME).exists()]
        others.sort(key=lambda p: (p / "lib" / _LIB_NAME).stat().st_mtime, reverse=True)  # newest build first
        for tree in [root / "build"] + others:
            skip = ("skipped, a sanitizer build (it loads only with the sanitizer's runtime preloaded; "
                    "point SYMTRI_LIBRARY at it)") if _sanitizer_build(tree) else None
            dirs.append(("the source checkout's build tree", tree / "lib", skip))
    dirs += [(note, d, None) for note, d in _lib_dirs()]
    for note, d, skip in dirs:
        if skip:
            places.append((note, d, skip))
            continue
        found = _in_dir(d)
        places += [(note, p, None) for p in found] or [(note, d / (_LIB_NAME + "*"), None)]
    return places


def _load() -> Tuple[ctypes.CDLL, str]:
    tried: List[str] = []
    for note, path, skip in _candidates():
        if skip:
            tried.append(f"  {path} ({note}): {skip}")
            continue
        if not path.exists():
            tried.append(f"  {path} ({note}): not found")
            continue
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            tried.append(f"  {path} ({note}): {e}")
    found = ctypes.util.find_library("symtri")
    if found:
        try:
            return ctypes.CDLL(found), found
        except OSError as e:
            tried.append(f"  {found} (the dynamic loader's cache, ctypes.util.find_library): {e}")
    else:
        tried.append("  the dynamic loader's cache (ctypes.util.find_library('symtri')): not found")
    raise ImportError(
        "symtri: cannot load the symtri C library (libsymtri). Install it (cmake --install build), build it "
        "(cmake --build build --target symtri_capi) or point SYMTRI_LIBRARY at it. Tried:\n" + "\n".join(tried)
    )


def _text(result: Optional[bytes], func: Any, args: Any) -> Optional[str]:
    """errcheck for functions returning const char*: bytes -> str, NULL -> None."""
    return None if result is None else result.decode("utf-8", errors="replace")


c_int, c_uint, c_size_t, c_char_p, c_void_p = ctypes.c_int, ctypes.c_uint, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p
c_longlong = ctypes.c_longlong
P = ctypes.POINTER
_TEXT = (c_char_p, _text)  # restype + errcheck for strings the library owns

# name: (restype or (restype, errcheck), argtypes)
_SIGNATURES: Sequence[Tuple[str, Any, Sequence[Any]]] = [
    ("symtri_version", _TEXT, []),
    ("symtri_version_number", c_int, []),
    ("symtri_rules_format_version", c_int, []),
    ("symtri_rules_format_min_version", c_int, []),
    ("symtri_status_name", _TEXT, [c_int]),
    # errors
    ("symtri_error_status", c_int, [ErrorP]),
    ("symtri_error_code", _TEXT, [ErrorP]),
    ("symtri_error_message", _TEXT, [ErrorP]),
    ("symtri_error_file", _TEXT, [ErrorP]),
    ("symtri_error_line", c_uint, [ErrorP]),
    ("symtri_error_column", c_uint, [ErrorP]),
    ("symtri_error_pointer", _TEXT, [ErrorP]),
    ("symtri_error_text", _TEXT, [ErrorP]),
    # options
    ("symtri_options_create", c_int, [P(OptionsP)]),
    ("symtri_options_set", c_int, [OptionsP, c_int, c_longlong]),
    ("symtri_options_get", c_longlong, [OptionsP, c_int]),
    ("symtri_options_destroy", None, [OptionsP]),
    # engines
    ("symtri_engine_open", c_int, [c_char_p, OptionsP, P(EngineP)]),
    ("symtri_engine_open_string", c_int, [c_char_p, c_size_t, c_char_p, OptionsP, P(EngineP)]),
    ("symtri_engine_open_builtin", c_int, [OptionsP, P(EngineP)]),
    ("symtri_has_builtin", c_int, []),
    ("symtri_engine_retain", EngineP, [EngineP]),
    ("symtri_engine_retain_into", c_int, [EngineP, P(EngineP)]),
    ("symtri_engine_close", None, [EngineP]),
    ("symtri_engine_errcode", c_int, [EngineP]),
    ("symtri_engine_errmsg", _TEXT, [EngineP]),
    ("symtri_engine_error_count", c_size_t, [EngineP]),
    ("symtri_engine_error", ErrorP, [EngineP, c_size_t]),
    ("symtri_engine_id", _TEXT, [EngineP]),
    ("symtri_engine_version", _TEXT, [EngineP]),
    ("symtri_engine_digest", _TEXT, [EngineP]),
    ("symtri_engine_validation", _TEXT, [EngineP]),
    ("symtri_engine_title", _TEXT, [EngineP, c_char_p]),
    ("symtri_engine_disclaimer", _TEXT, [EngineP, c_char_p]),
    ("symtri_engine_rule_count", c_size_t, [EngineP]),
    ("symtri_engine_finding_count", c_size_t, [EngineP]),
    ("symtri_engine_level_count", c_size_t, [EngineP]),
    ("symtri_engine_level_id", _TEXT, [EngineP, c_size_t]),
    ("symtri_engine_level_label", _TEXT, [EngineP, c_size_t, c_char_p]),
    ("symtri_engine_level_action", _TEXT, [EngineP, c_size_t, c_char_p]),
    ("symtri_engine_level_worse", _TEXT, [EngineP, c_size_t, c_char_p]),
    ("symtri_engine_level_indicator", _TEXT, [EngineP, c_size_t]),
    ("symtri_engine_level_index", c_int, [EngineP, c_char_p]),
    ("symtri_engine_finding_id", _TEXT, [EngineP, c_size_t]),
    ("symtri_engine_finding_label", _TEXT, [EngineP, c_size_t, c_char_p]),
    ("symtri_engine_finding_question", _TEXT, [EngineP, c_size_t, c_char_p]),
    ("symtri_engine_finding_group", _TEXT, [EngineP, c_size_t]),
    ("symtri_engine_finding_index", c_int, [EngineP, c_char_p]),
    # triage and results
    ("symtri_engine_triage", c_int, [EngineP, c_char_p, c_size_t, P(ResultP)]),
    ("symtri_result_destroy", None, [ResultP]),
    ("symtri_result_errcode", c_int, [ResultP]),
    ("symtri_result_errmsg", _TEXT, [ResultP]),
    ("symtri_result_error", ErrorP, [ResultP]),
    ("symtri_result_json", c_void_p, [ResultP, P(c_size_t)]),
    ("symtri_result_case_id", _TEXT, [ResultP]),
    ("symtri_result_case_id_len", c_void_p, [ResultP, P(c_size_t)]),
    ("symtri_result_level", _TEXT, [ResultP]),
    ("symtri_result_level_rank", c_int, [ResultP]),
    ("symtri_result_summary", _TEXT, [ResultP]),
    ("symtri_result_red_flag_count", c_size_t, [ResultP]),
    ("symtri_result_red_flag", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_red_flag_level", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_red_flag_title", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_red_flag_advice", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_question_count", c_size_t, [ResultP]),
    ("symtri_result_question_finding", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_question_prompt", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_question_could_raise_to", _TEXT, [ResultP, c_size_t]),
    ("symtri_result_complete", c_int, [ResultP]),
    ("symtri_result_other_questions", c_size_t, [ResultP]),
    # explain
    ("symtri_engine_explain", c_int, [EngineP, c_char_p, c_char_p, c_size_t, P(c_void_p), P(c_size_t)]),
    ("symtri_free", None, [c_void_p]),
    # batches
    ("symtri_engine_triage_many", c_int, [EngineP, P(c_char_p), P(c_size_t), c_size_t, c_uint, P(ResultP)]),
    ("symtri_engine_triage_jsonl", c_int, [EngineP, c_char_p, c_size_t, c_uint, P(BatchP)]),
    ("symtri_batch_output", c_void_p, [BatchP, P(c_size_t)]),
    ("symtri_batch_count", c_size_t, [BatchP]),
    ("symtri_batch_failed", c_size_t, [BatchP]),
    ("symtri_batch_destroy", None, [BatchP]),
]


def _declare(cdll: ctypes.CDLL, path: str) -> None:
    missing = []
    for name, res, args in _SIGNATURES:
        try:
            f: Callable[..., Any] = getattr(cdll, name)
        except AttributeError:
            missing.append(name)
            continue
        if isinstance(res, tuple):
            f.restype, f.errcheck = res  # type: ignore[attr-defined]
        else:
            f.restype = res  # type: ignore[attr-defined]
        f.argtypes = list(args)  # type: ignore[attr-defined]
    if missing:
        raise ImportError(f"symtri: the library {path} lacks {', '.join(missing)}; it is older than this package")


lib, library_path = _load()
_declare(lib, library_path)
