# SPDX-License-Identifier: Apache-2.0
"""`symtri check --coverage`: rules fired by the carried tests and masking MC/DC (issue 15).

data/coverage/rules.json holds three rules:
  r (red flag)        all(a, any(b, c))   -- any(b, c) is the named condition `bc`
  s (recommendation)  all(d with side both, age >= 50), which no test reaches
  t (info)            ref bc, the same named condition: its leaves count for t too
and three tests (plus one case meant to be rejected, which exercises nothing):
  1. a, b, not c      r true:  a=true decides, b=true decides, c=false does not (b holds the any)
  2. a, not b, not c  r false: b=false and c=false decide; a=true does not
  3. not a, b         r false: a=false decides; c unknown decides nothing
so r is 2/3 (c never true while deciding). For t: test 1 covers b true, test 2 b and c false: 1/2.
full.json adds test 4 (a, not b, c: c true decides r and t): r 3/3, t 2/2.
"""
import glob
import json
import os
import subprocess
import unittest

BIN = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
HERE = os.path.dirname(os.path.abspath(__file__))
C = os.path.join(HERE, "data", "coverage")
PARTIAL, FULL = os.path.join(C, "partial.json"), os.path.join(C, "full.json")
SRC = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(HERE, "..", ".."))


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


def rows(out):
    """rule id -> (kind, fires, covered/total) from the per-rule table."""
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith("rule ") and "fires" in l)
    table = {}
    for l in lines[start + 1:]:
        if not l.startswith("  ") or l.strip() == "":
            break
        rid, kind, fires, leaves = l.split()
        table[rid] = (kind, fires, leaves)
    return table


class Coverage(unittest.TestCase):
    def test_partial_coverage_numbers(self):
        p = run("check", "--coverage", PARTIAL)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("4 of 4 carried tests passed", p.stdout)  # what `check` prints comes first
        self.assertEqual(rows(p.stdout), {"r": ("red_flag", "yes", "2/3"),
                                          "s": ("recommendation", "no", "0/2"),
                                          "t": ("info", "yes", "1/2")})
        self.assertIn("coverage by 3 carried tests", p.stdout)
        self.assertIn("\n  r: finding c: missing true\n"
                      "  s: d.side in [both]: missing true, false\n"
                      "  s: age >= 50: missing true, false\n"
                      "  t: finding c: missing true\n", p.stdout)
        self.assertNotIn("r: finding a", p.stdout)
        self.assertNotIn("r: finding b", p.stdout)
        self.assertTrue(p.stdout.endswith("red flags firing in at least one test: 1 of 1\n"
                                          "MC/DC over red-flag conditions: 66.7% (2 of 3 leaves)\n"
                                          "MC/DC over all rules: 42.9% (3 of 7 leaves)\n"), p.stdout)

    def test_full_coverage_numbers(self):
        p = run("check", "--coverage", FULL)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(rows(p.stdout), {"r": ("red_flag", "yes", "3/3"),
                                          "s": ("recommendation", "no", "0/2"),
                                          "t": ("info", "yes", "2/2")})
        self.assertNotIn("  r: ", p.stdout)
        self.assertIn("MC/DC over red-flag conditions: 100.0% (3 of 3 leaves)\n", p.stdout)
        self.assertIn("MC/DC over all rules: 71.4% (5 of 7 leaves)\n", p.stdout)

    def test_not_at_least_absent_age_and_sex_leaves(self):
        # logic.json: u = at_least 2 of (e, f absent, age >= 50); v = all(not g, sex female). Tests
        # L1 (e, no f, no g, 40, female), L2 (e, f, g, 40, male), L3 (no e, no f, g, 60, female):
        # u: e true decides in L1, never false deciding; f absent true (L1) and false (L2); age false
        # (L2) and true (L3): 2/3. v: g false decides in L1, true in L3; sex true decides in L1,
        # false never decides (in L2 `not g` is already false): 1/2.
        p = run("check", "--coverage", os.path.join(C, "logic.json"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(rows(p.stdout), {"u": ("red_flag", "yes", "2/3"), "v": ("info", "yes", "1/2")})
        self.assertIn("\n  u: finding e: missing false\n  v: sex in [female]: missing false\n", p.stdout)
        self.assertIn("MC/DC over red-flag conditions: 66.7% (2 of 3 leaves)\n"
                      "MC/DC over all rules: 60.0% (3 of 5 leaves)\n", p.stdout)

    def test_min_mcdc(self):
        p = run("check", "--coverage", "--min-mcdc", "70", PARTIAL)
        self.assertEqual(p.returncode, 1)
        self.assertIn("red-flag MC/DC 66.7% is below --min-mcdc 70%", p.stderr)
        self.assertEqual(run("check", "--coverage", "--min-mcdc", "66", PARTIAL).returncode, 0)
        self.assertEqual(run("check", "--coverage", "--min-mcdc=100", FULL).returncode, 0)

    def test_min_mcdc_usage(self):
        self.assertEqual(run("check", "--min-mcdc", "50", PARTIAL).returncode, 2)  # needs --coverage
        self.assertEqual(run("check", "--coverage", "--min-mcdc", "101", PARTIAL).returncode, 2)
        self.assertEqual(run("check", "--coverage", "--min-mcdc", "x", PARTIAL).returncode, 2)
        self.assertEqual(run("triage", "--coverage").returncode, 2)

    def test_a_failing_carried_test_still_exits_1(self):
        p = run("check", "--coverage", os.path.join(SRC, "tests", "data", "failing"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("test 'expects too much' failed", p.stdout)
        self.assertIn("MC/DC over all rules:", p.stdout)

    def test_an_invalid_rule_set_exits_3(self):
        self.assertEqual(run("check", "--coverage", os.path.join(SRC, "tests", "data", "invalid")).returncode, 3)

    def test_the_shipped_rule_set(self):
        # Counts from the files, so edits to the shipped rules do not break this test.
        kinds = [r["kind"] for f in glob.glob(os.path.join(SRC, "rules", "*.json"))
                 for r in json.load(open(f)).get("rules", [])]
        p = run("check", "--coverage", os.path.join(SRC, "rules"))
        self.assertIn(p.returncode, (0, 1), p.stdout)  # 1 only if a carried test fails
        table = rows(p.stdout)
        self.assertEqual(len(table), len(kinds))
        self.assertEqual(list(table.values())[0][0], "red_flag")  # red flags first
        self.assertRegex(p.stdout, r"red flags firing in at least one test: \d+ of %d\n" % kinds.count("red_flag"))


if __name__ == "__main__":
    unittest.main()
