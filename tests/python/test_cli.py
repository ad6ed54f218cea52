# SPDX-License-Identifier: Apache-2.0
"""`python3 -m symtri` mirrors the symtri program: same output, same exit codes."""

import json
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

    def test_max_questions_and_all_questions(self):
        case = b'{"findings": {"sciatica": true}}'
        rc, out, _ = self.same(["triage", "--max-questions", "2", "-"], case)
        self.assertEqual(len(json.loads(out)["questions"]), 2)
        self.same(["triage", "--all-questions", "--max-questions", "0", "-"], case)

    def test_check_runs_the_carried_tests(self):
        rc, out, _ = self.same(["check", str(support.SOURCE_DIR / "rules")])
        self.assertEqual(rc, 0)
        self.assertRegex(out.splitlines()[-1], r"^  (\d+) of \1 carried tests passed$")
        rc, _, err = self.same(["check", str(DATA / "invalid" / "unknown_finding.json")], stderr_too=False)
        self.assertEqual(rc, 3)
        self.assertIn(":14:26: error: unknown finding 'sadle_numbness'", err)

    def test_explain_json_with_a_case(self):
        rc, out, _ = self.same(["explain", "cauda_equina", "--case", "-", "--format", "json"],
                               b'{"findings": {"sciatica": true}}')
        self.assertEqual((rc, json.loads(out)["value"]), (0, "unknown"))
        self.same(["explain", "cauda_equina", "--case", "-", "--format", "json", "--pretty"],
                  b'{"findings": {"saddle_numbness": true}}')

    def test_explain_unknown_rule_is_usage(self):
        self.assertEqual(run(PY + ["explain", "no_such_rule"])[0], 2)
        self.assertEqual(run([CLI, "explain", "no_such_rule"])[0], 2)

    def test_usage_error_exit_2(self):
        self.assertEqual(run(PY + ["frobnicate"])[0], 2)
        self.assertEqual(run(PY)[0], 2)
        self.assertEqual(run(PY + ["batch", "--threads", "0"])[0], 2)

    def test_version(self):
        rc, out, _ = run(PY + ["--version"])
        self.assertEqual(rc, 0)
        self.assertIn("0.1.0", out)


class TestCommandLineAlone(unittest.TestCase):
    """What `python3 -m symtri` does that the program's output cannot be compared with byte for byte."""

    def test_check_reports_a_failing_test_and_exits_1(self):
        with tempfile.TemporaryDirectory() as d:
            rules = json.loads((DATA / "small.json").read_text(encoding="utf-8"))
            level = rules["levels"][-1]["id"]
            quiet = rules["rules"][0]["id"]  # fires only with a finding the cases below do not give
            rules["tests"] = [{"name": "passes", "case": {"findings": {}}, "expect": {"max_level": level}},
                              {"name": "wrong on purpose", "case": {"findings": {}}, "expect": {"fires": [quiet]}},
                              {"name": "rejected", "case": {"findings": {"nope": True}},
                               "expect": {"error": "unknown_finding"}}]
            path = os.path.join(d, "r.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(rules, f)
            rc, out, err = run(PY + ["check", path])
        self.assertEqual(rc, 1, (out, err))
        self.assertIn(f"r.json: test 'wrong on purpose' failed: rule '{quiet}' did not fire", err)
        self.assertNotIn("'passes'", err)
        self.assertNotIn("'rejected'", err)
        self.assertTrue(out.endswith("\n  2 of 3 carried tests passed\n"), out)

    def test_triage_text_report(self):
        rc, out, _ = run(PY + ["triage", "--format", "text", "-"], b'{"findings": {"sciatica": true, "saddle_numbness": true}}')
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("symtri triage report\n"), out)
        self.assertIn("WARNING SIGNS FOUND", out)
        self.assertIn("PLEASE NOTE", out)
        rc, out, err = run(PY + ["triage", "--format", "text", "-"], b'{"findings": {"sadle_numbness": true}}')
        self.assertEqual((rc, out), (4, ""))  # nothing on stdout but JSON's error object, and only for json
        self.assertIn("did you mean 'saddle_numbness'", err)

    def test_batch_reads_a_file(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as f:
            f.write(b'{"case_id": "a", "findings": {"fever": true}}\n{"case_id": "b", "findings": {}}\n')
        try:
            rc, out, _ = run(PY + ["batch", f.name])
        finally:
            os.unlink(f.name)
        self.assertEqual(rc, 0)
        self.assertEqual([json.loads(x)["case_id"] for x in out.splitlines()], ["a", "b"])

    def test_rules_and_explain_text(self):
        rc, out, _ = run(PY + ["rules"])
        self.assertEqual(rc, 0)
        self.assertIn("levels, lowest first (6):", out)
        self.assertRegex(out, r"\n  saddle_numbness +\S")
        rc, out, _ = run(PY + ["explain", "cauda_equina"])
        self.assertEqual(rc, 0)
        self.assertIn("fires when:", out)
        self.assertIn("- saddle_numbness present", out)
        rc, out, _ = run(PY + ["explain", "cauda_equina", "--case", "-"],
                          b'{"findings": {"sciatica": true, "saddle_numbness": true}}')
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("cauda_equina for this case: fires\n"), out)


if __name__ == "__main__":
    unittest.main()
