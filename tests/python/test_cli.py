# SPDX-License-Identifier: Apache-2.0
"""`python3 -m symtri` mirrors the symtri program: same output, same exit codes."""

import os
import subprocess
import sys
import tempfile
import unittest

import support
from support import CLI, DATA, RULES

PY = [sys.executable, "-m", "symtri"]
ENV = dict(os.environ, PYTHONPATH=str(support.SOURCE_DIR / "python"))


def run(cmd, stdin=b""):
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, check=False)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


@unittest.skipUnless(CLI, "SYMTRI_CLI is not set")
class TestCommandLine(unittest.TestCase):
    def same(self, args, stdin=b"", stderr_too=True):
        a = run([CLI] + args, stdin)
        b = run(PY + args, stdin)
        self.assertEqual(a[0], b[0], f"exit codes differ for {args}: {a} vs {b}")
        self.assertEqual(a[1], b[1])
        if stderr_too:
            self.assertEqual(a[2], b[2])
        return b

    def test_triage_file_stdin_and_pretty(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"case_id": "k", "findings": {"sciatica": true, "urinary_retention": true}}')
        try:
            rc, out, _ = self.same(["triage", "--rules", str(RULES), f.name])
            self.assertEqual(rc, 0)
            self.same(["triage", "--rules", str(RULES), "--pretty", f.name])
        finally:
            os.unlink(f.name)
        self.same(["triage", "--rules", str(RULES), "-"], b'{"findings": {"fever": true}}')
        self.same(["triage", "--rules", str(RULES)], b'{"findings": {"fever": true}}')

    def test_case_error_exit_4(self):
        rc, out, err = self.same(["triage", "--rules", str(RULES), "-"], b'{"findings":\n {"fevr": true}}')
        self.assertEqual(rc, 4)
        self.assertIn("<stdin>:2:3: error: unknown finding 'fevr'", err)

    def test_ruleset_error_exit_3(self):
        rc, _, err = self.same(["triage", "--rules", str(DATA / "invalid" / "unknown_finding.json"), "-"], b"{}")
        self.assertEqual(rc, 3)
        self.assertIn(":14:26: error: unknown finding 'sadle_numbness'", err)

    def test_batch(self):
        lines = b'{"findings":{"fever":true}}\n\nnope\n{"case_id":"q","findings":{"headache":true}}\n'
        # stderr differs: the program adds a progress bar and a summary of levels
        rc, out, _ = self.same(["batch", "--rules", str(RULES), "--threads", "2"], lines, stderr_too=False)
        self.assertEqual(rc, 4)
        self.assertEqual(len(out.splitlines()), 4)
        self.same(["batch", "--rules", str(RULES)], b'{"findings":{}}\n', stderr_too=False)

    def test_usage_error_exit_2(self):
        self.assertEqual(run(PY + ["frobnicate"])[0], 2)
        self.assertEqual(run(PY)[0], 2)
        self.assertEqual(run(PY + ["batch", "--threads", "0"])[0], 2)

    def test_version(self):
        rc, out, _ = run(PY + ["--version"])
        self.assertEqual(rc, 0)
        self.assertIn("0.1.0", out)


if __name__ == "__main__":
    unittest.main()
