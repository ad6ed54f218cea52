# SPDX-License-Identifier: Apache-2.0
"""The Python API's shape: Status is an IntEnum with the C values, a missing rule-set path is a
FileNotFoundError too, triage_jsonl reads file objects."""

import enum
import errno
import io
import os
import re
import tempfile
import unittest

import support  # noqa: F401  (puts the source tree's package on sys.path)
from support import DATA, RULES

import symtri

HEADER = support.SOURCE_DIR / "include" / "symtri" / "symtri.h"
LINES = '{"case_id": "a", "findings": {"fever": true}}\n{"case_id": "b", "findings": {"fevr": true}}\n'


class TestStatus(unittest.TestCase):
    def test_is_an_int_enum_with_the_c_values(self):
        self.assertTrue(issubclass(symtri.Status, enum.IntEnum))
        defined = {m.group(1): int(m.group(2)) for m in
                   re.finditer(r"^#define SYMTRI_([A-Z_]+) (\d+)\b", HEADER.read_text(encoding="utf-8"), re.M)}
        for member in symtri.Status:
            self.assertEqual(defined[member.name], member.value, member.name)
        self.assertEqual(len(symtri.Status), 9)
        self.assertEqual(symtri.Status.IO, 5)

    def test_errors_carry_a_status_member(self):
        with self.assertRaises(symtri.CaseError) as cm, symtri.Engine.open(RULES) as e:
            e.triage('{"findings": {"fevr": true}}')
        self.assertIs(cm.exception.status, symtri.Status.INVALID_CASE)
        self.assertEqual(cm.exception.status.name, "INVALID_CASE")


class TestMissingPath(unittest.TestCase):
    def test_missing_path_is_file_not_found_and_rule_set_error(self):
        missing = str(DATA / "no_such_dir" / "index.json")
        for catch in (FileNotFoundError, OSError, symtri.RuleSetError, symtri.SymtriError):
            with self.assertRaises(catch) as cm:
                symtri.Engine.open(missing)
            e = cm.exception
            self.assertIsInstance(e, symtri.RuleSetNotFoundError)
            self.assertEqual((e.errno, e.filename, e.status), (errno.ENOENT, missing, symtri.Status.IO))
            self.assertIn("no_such_dir", str(e))  # the diagnostics, not OSError's "[Errno 2] ..."
            self.assertFalse(str(e).startswith("[Errno"), str(e))

    def test_missing_include_names_the_included_file(self):
        with tempfile.TemporaryDirectory() as d:
            root = os.path.join(d, "index.json")
            text = (DATA / "small.json").read_text(encoding="utf-8")
            with open(root, "w", encoding="utf-8") as f:
                f.write(text.replace('"format": 1,', '"format": 1, "include": ["gone.json"],', 1))
            with self.assertRaises(FileNotFoundError) as cm:
                symtri.Engine.open(d)
            self.assertEqual(os.path.basename(cm.exception.filename), "gone.json")

    def test_an_invalid_rule_set_is_not_an_oserror(self):
        with self.assertRaises(symtri.RuleSetError) as cm:
            symtri.Engine.open(DATA / "invalid" / "unknown_finding.json")
        self.assertNotIsInstance(cm.exception, OSError)


class TestTriageJsonlFileObjects(unittest.TestCase):
    def setUp(self):
        self.engine = symtri.Engine.open(RULES)
        self.want = self.engine.triage_jsonl(LINES)
        self.assertEqual((self.want.count, self.want.failed), (2, 1))

    def tearDown(self):
        self.engine.close()

    def test_text_and_binary_streams(self):
        self.assertEqual(self.engine.triage_jsonl(io.StringIO(LINES)), self.want)
        self.assertEqual(self.engine.triage_jsonl(io.BytesIO(LINES.encode())), self.want)

    def test_open_files(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            f.write(LINES)
        try:
            with open(f.name, "rb") as b:
                self.assertEqual(self.engine.triage_jsonl(b, threads=2), self.want)
            with open(f.name, encoding="utf-8") as t:
                self.assertEqual(self.engine.triage_jsonl(t), self.want)
        finally:
            os.unlink(f.name)

    def test_a_read_that_gives_no_text_is_a_type_error(self):
        class Odd:
            def read(self):
                return 42

        with self.assertRaises(TypeError):
            self.engine.triage_jsonl(Odd())
        with self.assertRaises(TypeError):
            self.engine.triage_jsonl(42)


if __name__ == "__main__":
    unittest.main()
