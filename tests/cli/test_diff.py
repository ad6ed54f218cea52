# SPDX-License-Identifier: Apache-2.0
"""`symtri diff OLD NEW [CASES]`: the impact of a rule change (issue 15).

The rule sets are in data/diff: old.json, and variants of it with known changes (see their $comment).
"""
import glob
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(HERE, "..", ".."))
D = os.path.join(HERE, "data", "diff")
OLD, NEW, UP = (os.path.join(D, f) for f in ("old.json", "new.json", "up.json"))
CASES = os.path.join(D, "cases.jsonl")


def run(*args, stdin=""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


def body(p):
    """The detail lines of a text report (after the summary and the header lines)."""
    lines = p.stdout.splitlines()
    return lines[lines.index("") + 1:] if "" in lines else []


class Generated(unittest.TestCase):
    def test_a_level_decrease_comes_first_marked_and_exits_1(self):
        p = run("diff", OLD, NEW)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "10 cases: 1 level down, 1 level up, 3 red-flag changes, 1 blocked-advice changes, "
                                   "0 errors; rejected by one set only: 0 by new, 1 by old")
        self.assertEqual(body(p), [
            "LEVEL DOWN      {sciatica, saddle_numbness}: emergency -> routine; "
            "red flags at another level: cauda_equina (emergency -> routine)",
            "LEVEL UP        {headache}: self_care -> routine",
            "RED FLAGS       {sciatica(side=both, duration_days=8), no kidney_disease, age=50} to fire old older_bilateral: "
            "emergency -> emergency; red flags gained: older_bilateral_v2; red flags lost: older_bilateral",
            # the same rule's case again at the middle of its age range (age >= 50: 90)
            "RED FLAGS       {sciatica(side=both, duration_days=8), no kidney_disease, age=90} to fire old older_bilateral: "
            "emergency -> emergency; red flags gained: older_bilateral_v2; red flags lost: older_bilateral",
            "BLOCKED         {sciatica, kidney_disease}: self_care -> self_care; no longer held back: magnesium_food",
            "REJECTED BY OLD {neck_pain}: rejected -> self_care (old: unknown finding 'neck_pain' at /findings/neck_pain)",
        ])

    def test_a_level_increase_only_exits_0(self):
        p = run("diff", OLD, UP)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines()[0],
                         "9 cases: 0 level down, 1 level up, 0 red-flag changes, 0 blocked-advice changes, 0 errors")
        self.assertEqual(body(p), ["LEVEL UP        {headache}: self_care -> routine"])

    def test_the_same_rule_set_gives_an_empty_report(self):
        p = run("diff", OLD, OLD)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines()[0],
                         "9 cases: 0 level down, 0 level up, 0 red-flag changes, 0 blocked-advice changes, 0 errors")
        self.assertEqual(body(p), [])
        j = json.loads(run("diff", "--format", "json", OLD, OLD).stdout)
        self.assertEqual(j["changes"], [])

    def test_the_generated_cases_are_singles_pairs_sharing_a_rule_and_rule_cases(self):
        p = run("diff", OLD, OLD)
        self.assertIn("cases generated from the vocabularies: 4 single findings, 2 pairs sharing a rule, "
                      "3 built to fire a rule\n", p.stdout)
        j = json.loads(run("diff", "--format", "json", OLD, OLD).stdout)
        # 3 rule cases: one per rule, and the age rule's again at the middle of its age range
        self.assertEqual(j["generated"], {"singles": 4, "pairs": 2, "rule_cases": 3, "rules_without_case": []})
        self.assertEqual(j["summary"]["cases"], 9)

    def test_a_change_only_a_rule_case_reaches_is_found(self):
        # older_bilateral needs sciatica in both legs for over 7 days, age >= 50 and no kidney disease:
        # no single finding or pair makes it fire; the case built from its condition does.
        p = run("diff", "--format", "json", OLD, os.path.join(D, "rulecase.json"))
        self.assertEqual(p.returncode, 1, p.stderr)
        j = json.loads(p.stdout)
        self.assertEqual(j["summary"]["level_down"], 2)  # its case at the edge and in the middle of its ages
        c = j["changes"][0]
        self.assertEqual(c["change"], "level_down")
        self.assertEqual(c["input"], {"findings": {"sciatica": {"present": True, "side": "both", "duration_days": 8},
                                                   "kidney_disease": False},
                                      "patient": {"age": 50}})
        self.assertEqual(c["old"]["red_flags"], ["older_bilateral"])
        self.assertEqual((c["old"]["level"], c["new"]["level"]), ("emergency", "routine"))

    def test_builtin_names_the_built_in_rule_set(self):
        p = run("diff", "builtin", "builtin")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.splitlines()[0], r"^\d+ cases: 0 level down, 0 level up, 0 red-flag changes, "
                                                   r"0 blocked-advice changes, 0 errors$")

    def test_different_level_ids_are_said_and_compared_by_rank(self):
        p = run("diff", OLD, os.path.join(D, "renamed_levels.json"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("note: the two sets' level ids differ; levels are compared by rank\n"
                      "  old: self_care < routine < emergency\n  new: home < gp < ed\n", p.stdout)
        self.assertEqual(body(p), [])


class Shipped(unittest.TestCase):
    def test_a_case_is_built_for_every_shipped_rule(self):
        j = json.loads(run("diff", "--format", "json", "builtin", "builtin").stdout)
        self.assertEqual(j["generated"]["rules_without_case"], [])
        self.assertGreater(j["generated"]["singles"], 0)
        self.assertGreater(j["generated"]["rule_cases"], 0)

    def test_lowering_any_shipped_red_flag_fails_the_diff(self):
        rules = os.path.join(SRC, "rules")
        red_flags = []
        for f in sorted(glob.glob(os.path.join(rules, "*.json"))):
            for r in json.load(open(f)).get("rules", []):
                if r["kind"] == "red_flag" and r["level"] != "routine":  # (one already at routine cannot be lowered to it)
                    red_flags.append((os.path.basename(f), r["id"]))
        self.assertTrue(red_flags)  # (however many the rule set has now)
        with tempfile.TemporaryDirectory() as tmp:
            for name, rid in red_flags:
                changed = os.path.join(tmp, rid)
                shutil.copytree(rules, changed)
                path = os.path.join(changed, name)
                d = json.load(open(path))
                for r in d["rules"]:
                    if r["id"] == rid:
                        r["level"] = "routine"
                json.dump(d, open(path, "w"))
                p = run("diff", "builtin", changed)
                self.assertEqual(p.returncode, 1, rid + ": " + p.stdout[:300] + p.stderr)
                # a level down, or (where another rule still holds every case's level) the red flag
                # itself reported at its lower level
                self.assertTrue("LEVEL DOWN" in p.stdout or "-> routine)" in p.stdout, rid + ": " + p.stdout[:300])


class CaseFile(unittest.TestCase):
    def test_a_bad_line_is_reported_with_its_number_and_the_diff_goes_on(self):
        p = run("diff", OLD, NEW, CASES)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "6 cases: 1 level down, 1 level up, 1 red-flag changes, 1 blocked-advice changes, "
                                   "1 errors; rejected by one set only: 0 by new, 1 by old")
        self.assertEqual(body(p), [
            "LEVEL DOWN      a (line 1): emergency -> routine; red flags at another level: cauda_equina (emergency -> routine)",
            "LEVEL UP        b (line 3): self_care -> routine",
            "BLOCKED         c (line 4): self_care -> self_care; no longer held back: magnesium_food",
            "REJECTED BY OLD d (line 6): rejected -> self_care (old: unknown finding 'neck_pain' at /findings/neck_pain)",
            "ERROR           line 2: invalid JSON at line 1, column 48: invalid literal: expected 'true' at /findings/sciatica",
        ])

    def test_a_case_only_the_new_set_rejects_is_a_change_not_a_crash_and_fails_the_diff(self):
        # The case lost its triage altogether (a finding was removed): as unsafe as a level down.
        p = run("diff", NEW, OLD, "-", stdin='{"case_id": "d", "findings": {"neck_pain": true}}\n')
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(body(p), ["REJECTED BY NEW d (line 1): self_care -> rejected "
                                   "(new: unknown finding 'neck_pain' at /findings/neck_pain)"])

    def test_a_vignette_line_gives_its_case(self):
        vignette = {"id": "V1", "case": {"findings": {"sciatica": True, "saddle_numbness": True}},
                    "min_level": "emergency", "max_level": "emergency"}
        p = run("diff", OLD, NEW, "-", stdin=json.dumps(vignette) + "\n")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(body(p), ["LEVEL DOWN      V1 (line 1): emergency -> routine; "
                                   "red flags at another level: cauda_equina (emergency -> routine)"])

    def test_json_report(self):
        p = run("diff", "--format", "json", OLD, NEW, CASES)
        self.assertEqual(p.returncode, 1, p.stderr)
        j = json.loads(p.stdout)
        self.assertEqual(j["summary"], {"cases": 6, "level_down": 1, "level_up": 1, "red_flag_changes": 1,
                                        "blocked_changes": 1, "errors": 1, "rejected_by_new": 0, "rejected_by_old": 1})
        self.assertEqual([c["change"] for c in j["changes"]],
                         ["level_down", "level_up", "blocked", "rejected_by_old", "error"])
        self.assertEqual([c.get("line") for c in j["changes"]], [1, 3, 4, 6, 2])
        first = j["changes"][0]
        self.assertEqual(first["case_id"], "a")
        self.assertEqual(first["old"], {"level": "emergency", "level_rank": 2, "red_flags": ["cauda_equina"], "blocked": []})
        self.assertEqual(first["new"], {"level": "routine", "level_rank": 1, "red_flags": ["cauda_equina"], "blocked": []})
        self.assertEqual(j["changes"][2]["blocked_lost"], ["magnesium_food"])
        self.assertEqual(j["changes"][4]["old"]["error"]["code"], "invalid_json")
        self.assertFalse(j["levels_differ"])
        self.assertEqual(j["old"]["id"], "test.diff")

    def test_the_output_is_deterministic(self):
        self.assertEqual(run("diff", OLD, NEW).stdout, run("diff", OLD, NEW).stdout)


class Errors(unittest.TestCase):
    def test_help_describes_diff_and_coverage(self):
        p = run("--help")
        for text in ("diff [--format text|json] OLD NEW [CASES.jsonl | -]", "check [--coverage [--min-mcdc P]] [PATH]"):
            self.assertIn(text, p.stdout)

    def test_a_rule_set_that_fails_to_load_exits_3_naming_which(self):
        p = run("diff", OLD, "/nonexistent/rules.json")
        self.assertEqual(p.returncode, 3)
        self.assertIn("symtri diff: the NEW rule set '/nonexistent/rules.json' failed to load", p.stderr)
        p = run("diff", "/nonexistent/rules.json", OLD)
        self.assertEqual(p.returncode, 3)
        self.assertIn("the OLD rule set", p.stderr)

    def test_usage_errors_exit_2(self):
        for args in (("diff", OLD), ("diff", OLD, NEW, CASES, CASES), ("diff", "--rules", OLD, OLD, NEW),
                     ("diff", "--format", "cds-hooks", OLD, NEW)):
            self.assertEqual(run(*args).returncode, 2, args)

    def test_a_missing_case_file_exits_4(self):
        p = run("diff", OLD, NEW, "/nonexistent/cases.jsonl")
        self.assertEqual(p.returncode, 4)
        self.assertIn("cannot read case file '/nonexistent/cases.jsonl'", p.stderr)


if __name__ == "__main__":
    unittest.main()
