# SPDX-License-Identifier: Apache-2.0
"""Engine.open / default / from_string, what an engine knows, triage results, lifetime."""

import gc
import json
import unittest

import support  # noqa: F401  (puts the package on sys.path)
import symtri
from support import RULES, SMALL


class TestOpen(unittest.TestCase):
    def test_open_directory_and_describe(self):
        with symtri.Engine.open(RULES) as e:
            self.assertEqual(e.id, "symtri.test.capi")
            self.assertEqual(e.version, "1.0.0")
            self.assertTrue(e.digest.startswith("sha256:"))
            self.assertEqual(e.validation, "research")
            self.assertEqual(e.rule_count, 9)
            self.assertEqual(e.finding_count, 58)
            self.assertEqual([lv.id for lv in e.levels()],
                             ["self_care", "routine", "soon", "same_day", "emergency", "ambulance"])
            self.assertEqual(e.level("emergency").rank, 4)
            self.assertEqual(e.level("emergency", locale="fr").action, "Allez aux urgences maintenant.")
            self.assertEqual(e.title("fr"), "Règles de test de l'API C")
            self.assertEqual(e.disclaimer(), "Test rules: not medical advice.")
            vocab = e.vocabulary()
            self.assertEqual(len(vocab), 58)
            self.assertEqual(vocab[0].id, "muscle_tightness")
            self.assertEqual(vocab[0].group, "symptom")
            self.assertEqual(e.finding_index("sciatic_pain"), e.finding_index("sciatica"))
            self.assertEqual(e.finding_index("nope"), -1)

    def test_from_string_equals_file(self):
        text = SMALL.read_text(encoding="utf-8")
        with symtri.Engine.from_string(text) as a, symtri.Engine.open(str(SMALL)) as b:
            self.assertEqual(a.digest, b.digest)
        with symtri.Engine.from_string(text.encode("utf-8"), name="small.json") as c:
            self.assertEqual(c.id, "symtri.test.small")

    def test_default_is_the_builtin_rule_set(self):
        if not symtri.Engine.has_builtin():
            with self.assertRaises(symtri.RuleSetError) as cm:
                symtri.Engine.default()
            self.assertEqual(cm.exception.status, symtri.Status.IO)
            return
        with symtri.Engine.default() as e:
            self.assertEqual(e.id, "symtri.neuromuscular")
            self.assertEqual(len(e.levels()), 6)

    def test_versions(self):
        self.assertEqual(symtri.library_version(), symtri.__version__)
        self.assertEqual(symtri.library_version_number(), 1000)
        self.assertEqual(symtri.rules_format_version(), (1, 1))

    def test_options(self):
        with symtri.Engine.open(SMALL, max_case_bytes=30) as e:
            with self.assertRaises(symtri.CaseError) as cm:
                e.triage({"findings": {"sciatica": True, "saddle_numbness": False}})
            self.assertEqual(cm.exception.code, "limit")
        with self.assertRaises(TypeError):
            symtri.Engine.open(SMALL, max_things=3)
        with self.assertRaises(ValueError):
            symtri.Engine.open(SMALL, max_case_bytes=0)


class TestTriage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = symtri.Engine.open(RULES)

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_result_attributes_match_the_json(self):
        r = self.engine.triage({"case_id": "p1", "findings": {"sciatica": {"present": True, "duration_days": 60},
                                                               "saddle_numbness": True}})
        d = json.loads(r.json)
        self.assertTrue(r.ok)
        self.assertEqual(r.level, "emergency")
        self.assertEqual(r.level_rank, 4)
        self.assertEqual(r["level"], "emergency")
        self.assertEqual(r.case_id, "p1")
        self.assertEqual(r.summary, d["summary"])
        self.assertEqual([f.rule for f in r.red_flags], ["cauda_equina"])
        self.assertEqual(r.red_flags[0].level, "emergency")
        self.assertEqual(r.red_flags[0].title, "Possible cauda equina syndrome")
        self.assertEqual([(q.finding, q.prompt, q.could_raise_to) for q in r.questions],
                         [(q["finding"], q["prompt"], q["could_raise_to"]) for q in d["questions"]])
        self.assertEqual(dict(r), d)
        self.assertIn("disclaimer", r)

    def test_accepts_dict_str_and_bytes(self):
        case = {"findings": {"headache": True, "fever": True, "neck_stiffness": True}}
        a = self.engine.triage(case)
        b = self.engine.triage(json.dumps(case))
        c = self.engine.triage(json.dumps(case).encode())
        self.assertEqual(a.json, b.json)
        self.assertEqual(a.json, c.json)
        self.assertEqual(a.level, "emergency")
        with self.assertRaises(TypeError):
            self.engine.triage(42)

    def test_locale(self):
        r = self.engine.triage({"findings": {"low_back_pain": True, "bowel_incontinence": True}, "locale": "fr"})
        self.assertEqual(r.red_flags[0].title, "Syndrome de la queue de cheval possible")
        self.assertEqual(r["disclaimer"], "Règles de test : pas un avis médical.")

    def test_kidney_disease_blocks_magnesium(self):
        r = self.engine.triage({"findings": {"muscle_cramps": True, "kidney_disease": True}})
        self.assertEqual(r["recommendations"], [])
        self.assertEqual(r["cautions"][0]["blocks"], ["magnesium_cramps"])

    def test_triage_many_in_order_with_errors_in_place(self):
        cases = [{"case_id": str(i), "findings": {"fever": True}} if i % 4 else {"findings": {"fevre": True}}
                 for i in range(100)]
        results = self.engine.triage_many(cases, threads=2)
        self.assertEqual(len(results), 100)
        for i, r in enumerate(results):
            if i % 4:
                self.assertTrue(r.ok)
                self.assertEqual(r.case_id, str(i))
            else:
                self.assertFalse(r.ok)
                self.assertEqual(r.error.code, "unknown_finding")
                self.assertIn("did you mean 'fever'", r.error.message)
        self.assertEqual(self.engine.triage_many([]), [])

    def test_triage_jsonl(self):
        out = self.engine.triage_jsonl('{"findings":{}}\n\n{"case_id":"z","findings":{"x":true}}\n')
        self.assertEqual(out.count, 3)
        self.assertEqual(out.failed, 2)
        lines = out.output.splitlines()
        self.assertEqual(json.loads(lines[1])["error"]["code"], "empty_line")
        self.assertEqual(json.loads(lines[2])["case_id"], "z")
        self.assertEqual(json.loads(lines[2])["line"], 3)


class TestLifetime(unittest.TestCase):
    def test_close_twice_and_use_after_close(self):
        e = symtri.Engine.open(SMALL)
        self.assertFalse(e.closed)
        e.close()
        e.close()
        self.assertTrue(e.closed)
        self.assertIn("closed", repr(e))
        with self.assertRaises(symtri.SymtriError) as cm:
            e.triage({})
        self.assertEqual(cm.exception.status, symtri.Status.MISUSE)

    def test_result_outlives_engine(self):
        with symtri.Engine.open(SMALL) as e:
            r = e.triage({"findings": {"speech_difficulty": True}})
        del e
        gc.collect()
        self.assertEqual(r.level, "ambulance")
        self.assertEqual(r.red_flags[0].title, "Speech difficulty")

    def test_del_without_close(self):
        for _ in range(50):
            e = symtri.Engine.open(SMALL)
            e.triage({})
            del e
        gc.collect()

    def test_engines_left_open_at_interpreter_exit(self):
        import os
        import subprocess
        import sys
        code = ("import symtri, sys\n"
                f"ENGINE = symtri.Engine.open({str(SMALL)!r})\n"
                "RESULT = ENGINE.triage({'findings': {'sciatica': True}})\n"
                "class Holder:\n    pass\n"
                "Holder.engine = symtri.Engine.open(" + repr(str(SMALL)) + ")\n"
                "cycle = [Holder.engine]; cycle.append(cycle)\n"
                "print(RESULT.level)\n")
        p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, PYTHONPATH=str(support.SOURCE_DIR / "python")), check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().strip(), "self_care")
        self.assertEqual(p.stderr.decode(), "")

    def test_wrong_handle_type_is_an_argument_error(self):
        import ctypes
        from symtri import _lib
        with self.assertRaises(ctypes.ArgumentError):
            _lib.lib.symtri_engine_rule_count(_lib.ResultP())


if __name__ == "__main__":
    unittest.main()
