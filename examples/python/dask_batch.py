#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Triage very large JSON Lines case collections on a Dask cluster.

    python3 dask_batch.py cases-*.jsonl --out results/                      # a local cluster, 2 workers
    python3 dask_batch.py s3://bucket/cases/*.jsonl --out s3://bucket/results/ --scheduler tcp://sched:8786

Each input file is cut into partitions of whole lines (--partition-lines, default 10000). A partition is a
Dask task: its worker reads those lines, triages them with the Python binding (`Engine.triage_jsonl`, the
same code path as `symtri batch`), and writes them to a part file. Every worker loads the engine once
(a worker plugin), not once per task. When all tasks are done, the parts of each input file are joined in
order into OUT/<input name>.results.jsonl, so for every input file the output is byte for byte what
`symtri batch < file` writes: one line per input line, in order, error lines for rejected lines with
their line number in the file.

Files are read and written through fsspec (a dependency of Dask), so paths may be local, on a shared file
system, or s3://, gs://, ... when the matching fsspec backend is installed. On a real cluster every worker
needs the symtri Python package and libsymtri (see docs/scale-out.md), and the rule set (--rules) must be
readable by every worker; without --rules the rule set built into libsymtri is used.

Debian packages: python3-dask, python3-distributed. symtri educates and signposts; it does not diagnose.
"""
from __future__ import annotations

import argparse
import json
import posixpath
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import fsspec
from distributed import Client, LocalCluster, WorkerPlugin, get_worker

try:
    import symtri

    symtri.Engine  # noqa: B018  a folder named symtri holding no package (say, only a library) is not it
except (ModuleNotFoundError, AttributeError):  # run from a source checkout, not installed: its python/ holds the package,
    import os  # for this process and, through PYTHONPATH, for the local cluster's worker processes
    import pathlib

    _checkout = str(pathlib.Path(__file__).resolve().parents[2] / "python")
    sys.path.insert(0, _checkout)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_checkout, os.environ.get("PYTHONPATH")) if p)
    sys.modules.pop("symtri", None)  # the empty one found first
    import symtri

PLUGIN = "symtri-engine"


class SymtriEngine(WorkerPlugin):
    """Loads the symtri engine once on each worker (and on any worker that joins later)."""

    name = PLUGIN

    def __init__(self, rules: Optional[str] = None):
        self.rules = rules
        self.engine: Optional[symtri.Engine] = None
        self.loads = 0

    def setup(self, worker):
        self.engine = symtri.Engine.open(self.rules) if self.rules else symtri.Engine.default()
        self.loads += 1

    def teardown(self, worker):
        if self.engine is not None:
            self.engine.close()
            self.engine = None


@dataclass(frozen=True)
class Partition:
    """Lines [first_line, first_line + lines) of `path`, at bytes [start, end)."""

    path: str
    index: int
    start: int
    end: int
    first_line: int  # 1-based line number of the first line, within its file
    lines: int


@dataclass
class Summary:
    cases: int = 0
    rejected: int = 0
    levels: Dict[str, int] = field(default_factory=dict)
    outputs: List[str] = field(default_factory=list)
    workers: List[str] = field(default_factory=list)
    engine_loads: int = 0
    seconds: float = 0.0


def plan(path: str, partition_lines: int) -> List[Partition]:
    """Cuts one JSON Lines file into partitions of at most `partition_lines` whole lines.

    Only newlines are looked at (one streaming pass), so it is cheap next to triaging. A last line without
    a newline is a line, as for `symtri batch`."""
    parts: List[Partition] = []
    offset = start = 0
    lines_in_part = 0
    first_line = 1
    pending = False  # bytes after the last newline
    with fsspec.open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            pos = 0
            while True:
                nl = block.find(b"\n", pos)
                if nl < 0:
                    pending = pending or pos < len(block)
                    break
                pending = False
                lines_in_part += 1
                pos = nl + 1
                if lines_in_part == partition_lines:
                    end = offset + pos
                    parts.append(Partition(path, len(parts), start, end, first_line, lines_in_part))
                    start, first_line, lines_in_part = end, first_line + lines_in_part, 0
            offset += len(block)
    if pending:
        lines_in_part += 1
    if lines_in_part:
        parts.append(Partition(path, len(parts), start, offset, first_line, lines_in_part))
    return parts


def _after_case_id(line: str) -> int:
    """Where the value of the leading "case_id" member of a result or error line ends (both start with it)."""
    # json.JSONDecoder() is made here, not once at module level: Dask ships this script's functions to the
    # workers by value, with the globals they use, and a decoder cannot be pickled.
    return json.JSONDecoder().raw_decode(line, len('{"case_id":'))[1]


def level_of(line: str) -> Optional[str]:
    """The level of a result line ({"case_id":...,"level":"x",...}), None for an error line. Cheaper than
    json.loads, and safe: the case_id is decoded, so nothing inside it can be taken for the level."""
    end = _after_case_id(line)
    tag = ',"level":"'
    if not line.startswith(tag, end):
        return None
    start = end + len(tag)
    return line[start:line.index('"', start)]


def renumber(output: str, first_line: int) -> str:
    """Makes the line numbers of error lines count from the start of the file, not of the partition.

    An error line starts {"case_id":<any JSON>,"line":N,"error":...}; the case_id is decoded to find where
    it ends, so no text inside it can be mistaken for the line number. Result lines are left as they are."""
    if first_line == 1:
        return output
    out = []
    for line in output.splitlines(keepends=True):
        if line.startswith('{"case_id":'):
            end = _after_case_id(line)
            tag = ',"line":'
            if line.startswith(tag, end):
                digits_end = end + len(tag)
                while line[digits_end].isdigit():
                    digits_end += 1
                n = int(line[end + len(tag):digits_end]) + first_line - 1
                line = line[:end] + tag + str(n) + line[digits_end:]
        out.append(line)
    return "".join(out)


def part_name(out_dir: str, p: Partition) -> str:
    return posixpath.join(out_dir, ".parts", posixpath.basename(p.path), "part-%06d.jsonl" % p.index)


def triage_partition(p: Partition, out_dir: str) -> dict:
    """One Dask task: triage the lines of one partition with the worker's engine; write them to a part file."""
    worker = get_worker()
    plugin = worker.plugins[PLUGIN]
    with fsspec.open(p.path, "rb") as f:
        f.seek(p.start)
        data = f.read(p.end - p.start)
    batch = plugin.engine.triage_jsonl(data, threads=1)  # Dask gives the parallelism: one thread per task
    if batch.count != p.lines:
        raise RuntimeError("%s: partition %d has %d lines, triaged %d" % (p.path, p.index, p.lines, batch.count))
    output = renumber(batch.output, p.first_line)
    levels: Dict[str, int] = {}
    for line in output.splitlines():
        level = level_of(line)
        if level:
            levels[level] = levels.get(level, 0) + 1
    with fsspec.open(part_name(out_dir, p), "w", encoding="utf-8", newline="", auto_mkdir=True) as f:
        f.write(output)
    return {"lines": batch.count, "rejected": batch.failed, "levels": levels, "worker": worker.address,
            "engine_loads": plugin.loads}


def output_name(out_dir: str, path: str) -> str:
    name = posixpath.basename(path)
    if name.endswith(".jsonl"):
        name = name[: -len(".jsonl")]
    return posixpath.join(out_dir, name + ".results.jsonl")


def run(inputs: Sequence[str], out_dir: str, client: Client, rules: Optional[str] = None,
        partition_lines: int = 10000) -> Summary:
    """Triage every input file on the cluster behind `client`; returns what happened."""
    t0 = time.monotonic()
    paths: List[str] = []
    for pattern in inputs:
        found = sorted(fsspec.open_files(pattern, "rb"), key=lambda f: f.path)
        if not found:
            raise FileNotFoundError("no input matches %r" % pattern)
        paths += [f.full_name if "://" in pattern else f.path for f in found]
    names = [posixpath.basename(p) for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("two inputs have the same file name; their outputs would clash: %s" % names)
    client.register_worker_plugin(SymtriEngine(rules), name=PLUGIN)

    partitions = {path: plan(path, partition_lines) for path in paths}
    futures = {path: client.map(triage_partition, parts, out_dir=out_dir, pure=False)
               for path, parts in partitions.items()}

    summary = Summary()
    loads: Dict[str, int] = {}
    fs, _, _ = fsspec.get_fs_token_paths(out_dir)
    for path, futs in futures.items():
        stats = client.gather(futs)
        for s in stats:
            summary.cases += s["lines"]
            summary.rejected += s["rejected"]
            for level, n in s["levels"].items():
                summary.levels[level] = summary.levels.get(level, 0) + n
            loads[s["worker"]] = s["engine_loads"]
        # Join the parts in order: for this file, what `symtri batch < file` writes.
        target = output_name(out_dir, path)
        with fsspec.open(target, "wb", auto_mkdir=True) as out:
            for p in partitions[path]:
                with fsspec.open(part_name(out_dir, p), "rb") as part:
                    while True:
                        chunk = part.read(1 << 20)
                        if not chunk:
                            break
                        out.write(chunk)
        done = posixpath.join(out_dir, ".parts", posixpath.basename(path))
        if fs.exists(done):  # an empty input file has no partitions, so no parts
            fs.rm(done, recursive=True)
        summary.outputs.append(target)
    parts_dir = posixpath.join(out_dir, ".parts")
    if fs.exists(parts_dir):
        fs.rm(parts_dir, recursive=True)
    summary.workers = sorted(loads)
    summary.engine_loads = sum(loads.values())
    summary.seconds = time.monotonic() - t0
    return summary


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="JSON Lines files or glob patterns (local path or fsspec URL)")
    ap.add_argument("--out", required=True, help="output directory: OUT/<name>.results.jsonl per input")
    ap.add_argument("--rules", help="rule set path readable by every worker (default: the built-in rule set)")
    ap.add_argument("--partition-lines", type=int, default=10000,
                    help="lines per task (default 10000: a result is a few KB, so a task holds tens of MB)")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (default: start a local cluster)")
    ap.add_argument("--workers", type=int, default=2, help="local cluster: worker processes (default 2)")
    ap.add_argument("--threads-per-worker", type=int, default=1, help="local cluster: threads per worker")
    a = ap.parse_args(argv)
    if a.partition_lines < 1:
        ap.error("--partition-lines must be at least 1")

    if a.scheduler:
        client = Client(a.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=a.threads_per_worker, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        s = run(a.inputs, a.out, client, rules=a.rules, partition_lines=a.partition_lines)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    rate = s.cases / s.seconds if s.seconds > 0 else 0.0
    print("dask_batch: %d cases in %.1f s (%.0f cases/s) on %d workers (%d engine loads): %d triaged, %d rejected"
          % (s.cases, s.seconds, rate, len(s.workers), s.engine_loads, s.cases - s.rejected, s.rejected),
          file=sys.stderr)
    print("  levels: " + (", ".join("%s %d" % kv for kv in sorted(s.levels.items())) or "none"), file=sys.stderr)
    for o in s.outputs:
        print(o)
    return 4 if s.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
