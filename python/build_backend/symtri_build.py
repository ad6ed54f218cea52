# SPDX-License-Identifier: Apache-2.0
"""The in-tree PEP 517 build backend of the symtri Python package: standard library only.

Why not setuptools: pip builds in an isolated environment and downloads the backend named in
``build-system.requires`` first, so with setuptools there, ``pip install ./python`` fails on a machine with
no network. This backend requires nothing, so pip's isolated build needs no download.

The package is pure Python (a ctypes binding): the wheel holds ``symtri/*.py`` and ``py.typed``, and
finds libsymtri at import time (docs/python.md). To carry a built library inside the wheel instead, pass
its path: ``pip install -C libsymtri=build/lib/libsymtri.so ./python`` (the wheel is then tagged for this
platform).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import stat
import sysconfig
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent  # python/
PACKAGE = "symtri"


def _pyproject() -> Dict[str, Any]:
    """[project] of pyproject.toml: tomllib where Python has it (3.11+), else the few flat keys read here."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib  # type: ignore[import-not-found]

        return tomllib.loads(text)["project"]
    except ImportError:
        pass
    project: Dict[str, Any] = {}
    table = ""
    for line in text.splitlines():
        m = re.match(r"\s*\[([^\]]+)\]\s*$", line)
        if m:
            table = m.group(1).strip()
            continue
        m = re.match(r'\s*([A-Za-z0-9_.-]+)\s*=\s*"([^"]*)"\s*$', line)
        if m and table == "project":
            project[m.group(1)] = m.group(2)
        elif m and table == "project.scripts":
            project.setdefault("scripts", {})[m.group(1)] = m.group(2)
    return project


def _metadata(project: Dict[str, Any]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lic = project.get("license")
    if isinstance(lic, dict) and lic.get("text"):
        lines.append(f"License: {lic['text']}")
    for c in project.get("classifiers", []):
        lines.append(f"Classifier: {c}")
    return "\n".join(lines) + "\n"


def _entry_points(project: Dict[str, Any]) -> str:
    scripts = project.get("scripts") or {}
    if not scripts:
        return ""
    return "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in sorted(scripts.items()))


def _package_files() -> List[Path]:
    pkg = ROOT / PACKAGE
    return sorted(p for p in pkg.iterdir() if p.is_file() and (p.suffix == ".py" or p.name == "py.typed"))


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def _tag(bundled: bool) -> str:
    if not bundled:
        return "py3-none-any"
    return "py3-none-" + re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def _write_wheel(directory: str, files: List[Tuple[str, bytes]], bundled: bool) -> str:
    project = _pyproject()
    name, version = project["name"], project["version"]
    tag = _tag(bundled)
    dist_info = f"{name}-{version}.dist-info"
    meta = [
        (f"{dist_info}/METADATA", _metadata(project).encode()),
        (f"{dist_info}/WHEEL", (f"Wheel-Version: 1.0\nGenerator: symtri_build\nRoot-Is-Purelib: "
                                f"{'false' if bundled else 'true'}\nTag: {tag}\n").encode()),
    ]
    entry = _entry_points(project)
    if entry:
        meta.append((f"{dist_info}/entry_points.txt", entry.encode()))
    wheel_name = f"{name}-{version}-{tag}.whl"
    record: List[str] = []
    with zipfile.ZipFile(os.path.join(directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in files + meta:
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
            mode = 0o755 if arcname.endswith((".so", ".dylib")) or ".so." in arcname else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16  # a regular file: pip keeps its x bit
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            record.append(_record_line(arcname, data))
        record.append(f"{dist_info}/RECORD,,")
        zf.writestr(zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(1980, 1, 1, 0, 0, 0)), "\n".join(record) + "\n")
    return wheel_name


def _bundled_library(config_settings: Optional[Dict[str, Any]]) -> Optional[Path]:
    value = (config_settings or {}).get("libsymtri")
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():  # relative to where pip was run (pip builds in the source tree, python/)
        path = Path(os.getcwd()) / path
        if not path.exists():
            path = ROOT.parent / value
    if not path.is_file():
        raise FileNotFoundError(f"symtri_build: -C libsymtri={value}: no such library file ({path})")
    return path.resolve()


# ---------------------------------------------------------------------------------------------- PEP 517
def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    files = [(f"{PACKAGE}/{p.name}", p.read_bytes()) for p in _package_files()]
    lib = _bundled_library(config_settings)
    if lib is not None:
        files.append((f"{PACKAGE}/libsymtri.so", lib.read_bytes()))
    return _write_wheel(wheel_directory, files, bundled=lib is not None)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                   metadata_directory: Optional[str] = None) -> str:
    # PEP 660: a .pth file puts python/ on sys.path, so edits to python/symtri take effect at once.
    return _write_wheel(wheel_directory, [(f"_{PACKAGE}_editable.pth", (str(ROOT) + "\n").encode())], bundled=False)


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    project = _pyproject()
    base = f"{project['name']}-{project['version']}"
    members = [ROOT / "pyproject.toml", Path(__file__).resolve()] + _package_files()
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for p in members:
            data = p.read_bytes()
            info = tarfile.TarInfo(f"{base}/{p.relative_to(ROOT).as_posix()}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tf.addfile(info, io.BytesIO(data))
        pkg_info = _metadata(project).encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size, info.mode, info.mtime = len(pkg_info), 0o644, 0
        tf.addfile(info, io.BytesIO(pkg_info))
    return name
