# SPDX-License-Identifier: Apache-2.0
"""docs/tutorial-rules.md cannot rot: the rule files it writes (the code blocks after a
`<!-- tutorial-file: PATH -->` marker; the last one for each path wins) validate against the schema, load,
pass the tests they carry, and triage the tutorial's example case as the tutorial says.

Run by CTest with SYMTRI_BIN and SYMTRI_SOURCE_DIR set; needs Debian's python3-jsonschema.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

try:
    from schema_store import validator  # the schemas by their $ids, no network
except ImportError as e:
    raise SystemExit("test_tutorial: cannot import jsonschema (%s); install Debian's python3-jsonschema" % e)

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("SYMTRI_BIN", str(SRC / "build" / "bin" / "symtri"))
DOC = SRC / "docs" / "tutorial-rules.md"


def tutorial_files():
    text = DOC.read_text(encoding="utf-8")
    files = {}
    for m in re.finditer(r"<!-- tutorial-file: (\S+) -->\s*```json\n(.*?)\n```", text, re.S):
        files[m.group(1)] = m.group(2)
    return files


class Tutorial(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = pathlib.Path(cls.tmp.name)
        shutil.copytree(SRC / "schemas", root / "schemas")
        cls.files = tutorial_files()
        for path, text in cls.files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text + "\n", encoding="utf-8")
        cls.rules = str(root / "hands")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_symtri(self, *args, stdin=""):
        return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=60)

    def test_the_tutorial_writes_three_files(self):
        self.assertEqual(sorted(self.files), ["hands/index.json", "hands/rules.json", "hands/vocabulary.json"])

    def test_each_file_validates_against_the_schema_it_names(self):
        v = validator("ruleset.schema.json")  # with case.schema.json found by its $id, no network
        for path, text in self.files.items():
            with self.subTest(path):
                doc = json.loads(text)
                self.assertEqual(doc["$schema"], "../schemas/ruleset.schema.json")
                self.assertEqual([e.message for e in v.iter_errors(doc)], [])

    def test_symtri_check_passes_every_carried_test(self):
        p = self.run_symtri("check", self.rules)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("3 levels, 5 findings, 3 rules (1 red flags, 1 recommendations, 1 cautions, 0 info)", p.stdout)
        self.assertIn("5 of 5 carried tests passed", p.stdout)
        # the digest the tutorial shows is the digest of the files it shows
        digest = re.search(r"\(sha256:([0-9a-f]{12})\)", p.stdout).group(1)
        self.assertIn("sha256:" + digest, DOC.read_text(encoding="utf-8"))

    def test_the_example_case_is_routine_advice(self):
        case = {"findings": {"tingling": {"present": True, "sites": ["hands"], "at_night": True, "duration_days": 30},
                             "facial_droop": False, "speech_difficulty": False, "weakness": False}}
        p = self.run_symtri("triage", "--rules", self.rules, "--format", "text", "-", stdin=json.dumps(case))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("WHAT TO DO: Routine appointment (level 2 of 3)", p.stdout)
        self.assertIn("* Tingling in the hands at night for two weeks or more", p.stdout)

    def test_explain_shows_what_the_tutorial_shows(self):
        p = self.run_symtri("explain", "--rules", self.rules, "night_hand_tingling")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("- tingling present with sites including hands or fingers, at_night yes", p.stdout)
        self.assertIn("held back when any of these cautions fires: pregnancy_tingling", p.stdout)


if __name__ == "__main__":
    unittest.main()
