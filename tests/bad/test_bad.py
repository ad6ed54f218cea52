# SPDX-License-Identifier: Apache-2.0
"""The bad-input catalogue (catalogue.json): every bad rule set and bad case gives its exact expected error,
naming the place and the problem, and none crashes, hangs or takes unbounded memory.

Rule sets go through `symtri check PATH` (exit 3), cases through `symtri triage CASE` with the built-in rule
set (exit 4). Each run is bounded in time, and its peak memory is measured (os.wait4) and bounded unless the
program is built with sanitizers (SYMTRI_SANITIZED=1), whose shadow memory makes the number meaningless.

SYMTRI_BIN names the program; SYMTRI_TIME_LIMIT (seconds per run, default 60) leaves room for slow builds.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("SYMTRI_BIN", os.path.join(HERE, "..", "..", "build", "bin", "symtri"))
SANITIZED = os.environ.get("SYMTRI_SANITIZED") == "1"
TIME_LIMIT = float(os.environ.get("SYMTRI_TIME_LIMIT", "60"))
MAX_RSS_MB = 256  # peak memory of one run: the limits must keep every bad input far below this

# The case error codes docs/case-and-result.md documents.
CASE_CODES = {"invalid_json", "wrong_type", "unknown_key", "unknown_finding", "unknown_attribute", "missing_key",
              "invalid_value", "out_of_range", "duplicate_finding", "limit"}


def run(cmd, cwd, timeout):
    """Runs cmd; returns (exit status, stdout, stderr, seconds, peak RSS in MiB). Kills it after `timeout`."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                raise AssertionError("%s did not finish within %d s (a hang)" % (" ".join(cmd), timeout))
            time.sleep(0.01)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                time.monotonic() - start, usage.ru_maxrss / 1024)


def generate(spec, kind, directory):
    """Writes a generated input into `directory`; returns its name (relative, so messages are stable)."""
    name = "generated.json"
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        if spec["kind"] == "nesting":
            prefix = b'{"findings": ' if kind == "case" else b'{"format": 1, "rules": '
            f.write(prefix + b"[" * spec["depth"] + b"]" * spec["depth"] + b"}")
        elif spec["kind"] == "big":
            # A valid-looking start, then padding: the size alone must reject it, before any parsing.
            head = b'{"case_id": "big", "findings": {}, "pad": "' if kind == "case" else b'{"format": 1, "pad": "'
            f.write(head)
            chunk = b"x" * (1 << 20)
            left = spec["bytes"] - len(head) - 2
            while left > 0:
                f.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            f.write(b'"}')
        else:
            raise ValueError(spec)
    return name


def run_entry(binary, e, timeout=TIME_LIMIT):
    """Runs one catalogue entry; returns what it gave: {"expect": {...}, "seconds": s, "rss_mb": m}."""
    with tempfile.TemporaryDirectory() as tmp:
        cwd = HERE
        if "generate" in e:
            cwd = tmp
            target = generate(e["generate"], e["kind"], tmp)
        elif "path" in e:
            target = e["path"]
        else:
            target = e["input"]
        args = e.get("args", [])
        cmd = [binary, "check", *args, target] if e["kind"] == "rules" else [binary, "triage", *args, target]
        code, out, err, secs, rss = run(cmd, cwd, timeout)
    expect = {"exit": code, "stderr": err}
    if e["kind"] == "case":
        try:
            error = json.loads(out)["error"]
        except (ValueError, KeyError):
            error = {"stdout": out}
        expect.update({k: error.get(k) for k in ("code", "path", "line", "column") if k in error})
    return {"expect": expect, "seconds": secs, "rss_mb": rss}


def load():
    path = os.path.join(HERE, "catalogue.json")
    if not os.path.exists(path):  # make_catalogue.py --update is writing it
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f)["entries"]


class Catalogue(unittest.TestCase):
    maxDiff = None

    def test_catalogue_is_big_enough(self):
        entries = load()
        self.assertGreaterEqual(len([e for e in entries if e["kind"] == "rules"]), 40)
        self.assertGreaterEqual(len([e for e in entries if e["kind"] == "case"]), 40)

    def check_entry(self, e):
        got = run_entry(BIN, e)
        want = e["expect"]
        self.assertNotIn(got["expect"]["exit"], (-signal.SIGSEGV, -signal.SIGABRT, 134, 139),
                         "%s crashed: %s" % (e["name"], got["expect"]["stderr"][-2000:]))
        self.assertEqual(got["expect"], want, e["name"])
        if not SANITIZED:
            self.assertLess(got["rss_mb"], MAX_RSS_MB, "%s used %.0f MiB" % (e["name"], got["rss_mb"]))
        # A clear error names the place and the problem.
        lines = want["stderr"].splitlines()
        self.assertTrue(lines, e["name"])
        if e["kind"] == "rules":
            self.assertEqual(want["exit"], 3, e["name"])
            for line in lines[:-1]:
                if line.startswith("error: too many errors; stopped after "):
                    continue  # the cap's own line is about the whole rule set
                self.assertRegex(line, r"^\S.*?(:\d+:\d+)?: error: \S", e["name"])
            self.assertRegex(lines[-1], r"^symtri: the rule set '.*' is not valid \(\d+ problems?\)$", e["name"])
        else:
            self.assertEqual(want["exit"], 4, e["name"])
            self.assertIn(want["code"], CASE_CODES, e["name"])
            self.assertEqual(len(lines), 1, e["name"])
            self.assertRegex(lines[0], r"^\S+?(:\d+:\d+)?: error: \S", e["name"])


def _add_tests():
    for e in load():
        def test(self, e=e):
            self.check_entry(e)
        name = "test_%s_%s" % (e["kind"], re.sub(r"\W", "_", e["name"]))
        setattr(Catalogue, name, test)


_add_tests()

if __name__ == "__main__":
    unittest.main()
