# SPDX-License-Identifier: Apache-2.0
"""Typed exceptions carry code, message, file, line, column and JSON Pointer."""

import unittest

import support  # noqa: F401
import symtri
from support import DATA, RULES


class TestRuleSetErrors(unittest.TestCase):
    def test_unknown_finding_in_a_rule(self):
        path = DATA / "invalid" / "unknown_finding.json"
        with self.assertRaises(symtri.RuleSetError) as cm:
            symtri.Engine.open(path)
        e = cm.exception
        self.assertEqual(e.status, symtri.Status.INVALID_RULESET)
        self.assertEqual(e.code, "unknown_finding")
        self.assertEqual(e.message, "unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)")
        self.assertEqual(e.file, str(path))
        self.assertEqual((e.line, e.column), (14, 26))
        self.assertEqual(e.path, "/rules/0/when/finding")
        self.assertEqual(len(e.diagnostics), 1)
        self.assertEqual(str(e), f"{path}:14:26: error: unknown finding 'sadle_numbness' (did you mean "
                                 "'saddle_numbness'?) at /rules/0/when/finding")
        self.assertIsInstance(e, symtri.SymtriError)

    def test_syntax_error_in_a_string(self):
        text = (DATA / "invalid" / "syntax.json").read_text()
        with self.assertRaises(symtri.RuleSetError) as cm:
            symtri.Engine.from_string(text, name="mine.json")
        e = cm.exception
        self.assertEqual((e.code, e.file, e.line, e.column, e.path), ("syntax", "mine.json", 3, 25, "/ruleset"))

    def test_missing_path_is_io(self):
        with self.assertRaises(symtri.RuleSetError) as cm:
            symtri.Engine.open(DATA / "nope" / "index.json")
        self.assertEqual(cm.exception.status, symtri.Status.IO)

    def test_invalid_utf8_rule_text(self):
        with self.assertRaises(symtri.RuleSetError) as cm:
            symtri.Engine.from_string(b'{"format": 1, "ruleset": {"id": "\xff"}}')
        self.assertIn("UTF-8", str(cm.exception))


class TestCaseErrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = symtri.Engine.open(RULES)

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_unknown_finding_with_position(self):
        with self.assertRaises(symtri.CaseError) as cm:
            self.engine.triage('{"case_id": "c9",\n  "findings": {"sadle_numbness": true}}')
        e = cm.exception
        self.assertEqual(e.status, symtri.Status.INVALID_CASE)
        self.assertEqual(e.code, "unknown_finding")
        self.assertEqual(e.path, "/findings/sadle_numbness")
        self.assertEqual((e.line, e.column), (2, 16))
        self.assertEqual(e.case_id, "c9")
        self.assertIn("did you mean 'saddle_numbness'", e.message)
        self.assertIsInstance(e, ValueError)

    def test_bad_values(self):
        for case, code, path in [
            ({"findings": {"sciatica": {"present": True, "severity": 11}}}, "out_of_range", "/findings/sciatica/severity"),
            ({"findings": {"sciatica": "yes"}}, "wrong_type", "/findings/sciatica"),
            ({"patient": {"sex": "femal"}}, "invalid_value", "/patient/sex"),
            ('{"findings": ', "invalid_json", None),
            (b'{"case_id": "\xc3\x28"}', "invalid_json", None),
            ("", "invalid_json", None),
        ]:
            with self.subTest(case=case):
                with self.assertRaises(symtri.CaseError) as cm:
                    self.engine.triage(case)
                self.assertEqual(cm.exception.code, code)
                if path is not None:
                    self.assertEqual(cm.exception.path, path)


if __name__ == "__main__":
    unittest.main()
