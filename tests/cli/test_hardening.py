# SPDX-License-Identifier: Apache-2.0
"""Issue 17 (an outside test), the symtri program: write errors, directories and FIFOs, symlink loops,
CRLF at the line limit, out of memory while loading."""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
SRC = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data")
MINI = os.path.join(DATA, "mini")
CASE = os.path.join(SRC, "examples", "cases", "demo.json")


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


with open(CASE, "rb") as _f:
    CASE_LINE = _f.read().replace(b"\n", b" ") + b"\n"


def run(*args, stdin=b"", stdout=subprocess.PIPE, **kw):
    return subprocess.run([BIN, *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=60, **kw)


class WriteErrors(unittest.TestCase):
    """17.3: every command reports a write error on stdout and exits non-zero."""

    COMMANDS = [["triage", CASE], ["check"], ["rules"], ["explain", "cauda_equina"], ["--help"], ["--version"],
                ["batch", "--threads", "1"]]

    def test_dev_full(self):
        with open("/dev/full", "wb") as full:
            for cmd in self.COMMANDS:
                with self.subTest(cmd=cmd):
                    stdin = CASE_LINE if cmd[0] == "batch" else b""
                    p = run(*cmd, stdin=stdin, stdout=full)
                    self.assertNotEqual(p.returncode, 0)
                    self.assertIn(b"cannot write", p.stderr)

    def test_closed_stdout(self):
        for cmd in self.COMMANDS:
            with self.subTest(cmd=cmd):
                stdin = CASE_LINE if cmd[0] == "batch" else b""
                # stdout closed in the child (>&-)
                p = subprocess.run(["sh", "-c", '"$0" "$@" >&-', BIN, *cmd], input=stdin, capture_output=True, timeout=60)
                self.assertNotEqual(p.returncode, 0, p.stderr)
                self.assertIn(b"cannot write", p.stderr)


class ReadErrors(unittest.TestCase):
    def test_a_directory_as_the_case_is_a_read_error(self):  # 17.6
        d = tempfile.mkdtemp()
        try:
            p = run("triage", d)
            self.assertEqual(p.returncode, 4)
            self.assertIn(b"cannot read case file", p.stderr)
            self.assertIn(b"Is a directory", p.stderr)
            fd = os.open(d, os.O_RDONLY)
            try:
                p = subprocess.run([BIN, "triage", "-"], stdin=fd, capture_output=True, timeout=60)
            finally:
                os.close(fd)
            self.assertEqual(p.returncode, 4)
            self.assertIn(b"cannot read case from standard input", p.stderr)
            self.assertNotIn(b"invalid JSON", p.stderr)
            self.assertNotIn(b"empty input", p.stderr)
        finally:
            os.rmdir(d)


class SpecialRuleFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.rules = os.path.join(self.dir, "rules")
        shutil.copytree(MINI, self.rules)
        index = os.path.join(self.rules, "index.json")
        d = load(index)
        d["include"] = ["rules.json", "inc"]
        save(index, d)
        os.mkdir(os.path.join(self.rules, "inc"))
        save(os.path.join(self.rules, "inc", "zz_last.json"),
             {"format": 1, "vocabulary": {"late": {"label": "L", "question": "L?"}}})

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_a_fifo_is_refused_without_blocking(self):  # 17.7
        fifo = os.path.join(self.dir, "root.json")
        os.mkfifo(fifo)
        p = run("check", fifo)
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"not a regular file (a FIFO)", p.stderr)
        os.mkfifo(os.path.join(self.rules, "inc", "pipe.json"))
        p = run("check", self.rules)
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"pipe.json': not a regular file (a FIFO)", p.stderr)

    def test_a_device_is_refused(self):
        p = run("check", "/dev/zero")
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"not a regular file (a character device)", p.stderr)

    def test_a_symlink_loop_is_named(self):  # 17.11
        os.symlink("loop.json", os.path.join(self.rules, "inc", "loop.json"))
        for root in (os.path.relpath(self.rules), self.rules):
            with self.subTest(root=root):
                p = run("check", root)
                self.assertEqual(p.returncode, 3)
                self.assertIn(b"loop.json': a symlink loop", p.stderr)
                self.assertNotIn(b"outside", p.stderr)
                self.assertNotIn(b"no such file", p.stderr)
                self.assertEqual(p.stderr.count(b"error:"), 1)  # the files after it are still read
        # named directly as an include, and as the root
        index = os.path.join(self.rules, "index.json")
        d = load(index)
        d["include"] = ["rules.json", "inc/loop.json"]
        save(index, d)
        p = run("check", self.rules)
        self.assertIn(b"a symlink loop", p.stderr)
        self.assertNotIn(b"does not exist", p.stderr)
        p = run("check", os.path.join(self.rules, "inc", "loop.json"))
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"a symlink loop", p.stderr)


class CrlfAtTheLimit(unittest.TestCase):
    def test_a_crlf_line_exactly_max_case_bytes_long_is_accepted(self):  # 17.4
        case = b'{"case_id": "c", "findings": {"sciatica": true}}'
        n = len(case)
        p = run("batch", "--threads", "1", "--max-case-bytes", str(n), stdin=case + b"\r\n" + case + b"\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.decode().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[0], lines[1])
        # one byte more is over it, with or without the CR
        p = run("batch", "--threads", "1", "--max-case-bytes", str(n - 1), stdin=case + b"\r\n" + case + b"\n" + case)
        self.assertEqual(p.returncode, 4)
        self.assertEqual(p.stdout.count(b'"code":"limit"'), 3)


def _sanitized(path):
    """Whether the program was built with a sanitizer: ASan reserves terabytes of address space for its
    shadow memory, so an address-space limit stops it before main() (CI runs this suite under ASan)."""
    with open(path, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"__tsan_init" in data


class OutOfMemory(unittest.TestCase):
    @unittest.skipIf(_sanitized(BIN), "an address-space limit cannot apply to a sanitizer-built program")
    def test_out_of_memory_while_loading_is_exit_3(self):  # 17.14
        gen = os.path.join(SRC, "bench", "gen", "gen.py")
        d = tempfile.mkdtemp()
        try:
            subprocess.run([sys.executable, gen, "rules", "--n", "20000", "--out", d], check=True,
                           stdout=subprocess.DEVNULL, timeout=300)

            def limit():
                resource.setrlimit(resource.RLIMIT_AS, (120000 * 1024, 120000 * 1024))

            p = subprocess.run([BIN, "check", d], capture_output=True, timeout=120, preexec_fn=limit)
            if p.returncode == 0:
                self.skipTest("the rule set loaded within 120 MB here")
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn(b"out of memory", p.stderr)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
