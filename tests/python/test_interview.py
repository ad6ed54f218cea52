# SPDX-License-Identifier: Apache-2.0
"""The interview through the Python binding (docs/case-and-result.md, "Questions and the interview"), on the
built-in rules: Question's attribute, choices, unit, if_yes, if_answer and screening; Result's next_question, complete,
other_questions, other_question_list and unsure; Engine.explain."""

import json
import unittest

import support  # noqa: F401  (puts the package on sys.path)
import symtri

SCIATICA = {"findings": {"sciatica": True}}


@unittest.skipUnless(symtri.Engine.has_builtin(), "the library has no built-in rules")
class TestInterview(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = symtri.Engine.default()
        cls.listing = symtri.Engine.default(list_other_questions=True)

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()
        cls.listing.close()

    def test_questions_match_the_json(self):
        r = self.engine.triage(SCIATICA)
        qs = r["questions"]
        self.assertEqual(len(r.questions), len(qs))
        self.assertGreater(len(qs), 0)
        for q, d in zip(r.questions, qs):
            self.assertEqual(q.finding, d["finding"])
            self.assertEqual(q.prompt, d["prompt"])
            self.assertEqual(q.label, d["label"])
            self.assertEqual(q.could_raise_to, d["could_raise_to"])
            self.assertEqual(q.attribute, d.get("attribute"))
            self.assertEqual(q.if_yes, d.get("if_yes"))
            self.assertEqual(q.choices, d.get("choices"))
            self.assertEqual(q.unit, d.get("unit"))
            self.assertEqual(q.if_answer, d.get("if_answer", {}))
            self.assertEqual(q.screening, d.get("screening", False))

    def test_sciatica_first_question_raises_to_emergency(self):
        r = self.engine.triage(SCIATICA)
        self.assertFalse(r.complete)
        q = r.next_question
        self.assertIsNotNone(q)
        self.assertEqual(q, r.questions[0])
        self.assertEqual(r["interview"]["next"]["finding"], q.finding)
        self.assertIn((q.finding, q.attribute), [("saddle_numbness", None), ("sciatica", "side")])
        self.assertEqual(q.could_raise_to, "emergency")
        if q.attribute is None:
            self.assertEqual(q.if_yes, "emergency")
            self.assertIsNone(q.choices)
        else:
            self.assertIsNone(q.if_yes)
            self.assertEqual(q.choices, ["left", "right", "both"])
            self.assertEqual(q.if_answer, {"both": "emergency"})
        side = [x for x in r.questions if x.finding == "sciatica" and x.attribute == "side"]
        self.assertEqual(len(side), 1)
        self.assertEqual(side[0].key, "sciatica.side")
        self.assertEqual(side[0].if_answer.get("both"), "emergency")
        saddle = [x for x in r.questions if x.finding == "saddle_numbness"]
        self.assertEqual(saddle[0].if_yes, "emergency")
        self.assertEqual(saddle[0].key, "saddle_numbness")

    def test_number_attribute_has_a_unit(self):
        r = self.engine.triage({"findings": {"low_back_pain": True}})
        units = [q for q in r.questions if q.unit is not None]
        self.assertTrue(units)
        for q in units:
            self.assertIsNotNone(q.attribute)
            self.assertIsNone(q.choices)
            self.assertEqual(q.min, 0)

    def test_unsure_is_echoed_and_not_asked_again(self):
        r = self.engine.triage({"findings": {"sciatica": True}, "unsure": ["saddle_numbness", "sciatica.side"]})
        self.assertEqual(r.unsure, ["saddle_numbness", "sciatica.side"])
        self.assertNotIn("saddle_numbness", [q.key for q in r.questions])
        self.assertNotIn("sciatica.side", [q.key for q in r.questions])
        self.assertEqual(self.engine.triage(SCIATICA).unsure, [])

    def test_an_interview_of_dont_knows_ends_complete(self):
        case = {"patient": {"age": 40, "sex": "female"}, "findings": {"muscle_cramps": True}, "unsure": []}
        for _ in range(60):
            r = self.engine.triage(case)
            if r.complete:
                break
            case["unsure"].append(r.next_question.key)
        self.assertTrue(r.complete)
        self.assertIsNone(r.next_question)
        self.assertEqual(r.questions, [])
        self.assertIs(r["interview"]["complete"], True)

    def test_other_questions_counted_and_listed_with_the_option(self):
        r = self.engine.triage(SCIATICA)
        self.assertGreater(r.other_questions, 0)
        self.assertEqual(r.other_questions, r["other_questions"])
        self.assertEqual(r.other_question_list, [])
        r2 = self.listing.triage(SCIATICA)
        self.assertEqual(r2.other_questions, r.other_questions)
        self.assertEqual(len(r2.other_question_list), r2.other_questions)
        self.assertEqual(r2.other_question_list[0].finding, r2["other_question_list"][0]["finding"])
        self.assertEqual(r2.questions, r.questions)

    def test_list_other_questions_takes_a_bool(self):
        with self.assertRaises(ValueError):
            symtri.Engine.default(list_other_questions=2)
        with symtri.Engine.default(list_other_questions=False) as e:
            self.assertEqual(e.triage(SCIATICA).other_question_list, [])

    def test_triage_many_carries_the_interview(self):
        rs = self.engine.triage_many([SCIATICA, {"findings": {"nope": True}}])
        self.assertEqual(rs[0].questions, self.engine.triage(SCIATICA).questions)
        self.assertFalse(rs[1].ok)
        self.assertIsNone(rs[1].next_question)


@unittest.skipUnless(symtri.Engine.has_builtin(), "the library has no built-in rules")
class TestExplain(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = symtri.Engine.default()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_unknown_rule_lists_what_would_make_it_fire(self):
        x = self.engine.explain("cauda_equina", SCIATICA)
        self.assertEqual(x["rule"], "cauda_equina")
        self.assertEqual(x["value"], "unknown")
        self.assertFalse(x["fires"])
        self.assertEqual(x["tests"][0]["pointer"], "/when")
        self.assertIn("saddle_numbness answered yes", x["would_fire_if"])
        texts = {t["text"]: t["value"] for t in x["tests"]}
        self.assertEqual(texts["saddle_numbness present"], "unknown")
        self.assertEqual(x["blocked_by"], [])

    def test_fired_and_false_rules(self):
        x = self.engine.explain("cauda_equina", {"findings": {"sciatica": True, "saddle_numbness": True}})
        self.assertIs(x["value"], True)
        self.assertTrue(x["fires"])
        x = self.engine.explain("cauda_equina", {"findings": {"low_back_pain": False, "sciatica": False,
                                                              "saddle_numbness": False, "numbness": False,
                                                              "tingling": False}})
        self.assertIs(x["value"], False)
        self.assertTrue(x["blocked_by"])

    def test_same_json_as_the_cli(self):
        import os
        import subprocess
        import tempfile
        cli = os.environ.get("SYMTRI_CLI")
        if not cli:
            self.skipTest("SYMTRI_CLI is not set")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(SCIATICA, f)
        try:
            out = subprocess.run([cli, "explain", "cauda_equina", "--case", f.name, "--format", "json"],
                                 stdout=subprocess.PIPE, check=True).stdout.decode()
        finally:
            os.unlink(f.name)
        self.assertEqual(json.loads(out), self.engine.explain("cauda_equina", SCIATICA))

    def test_errors(self):
        with self.assertRaises(KeyError):
            self.engine.explain("no_such_rule", SCIATICA)
        with self.assertRaises(symtri.CaseError):
            self.engine.explain("cauda_equina", {"findings": {"nope": True}})


if __name__ == "__main__":
    unittest.main()
