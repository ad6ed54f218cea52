# SPDX-License-Identifier: Apache-2.0
"""The JSON Schemas in schemas/ against what symtri ships and produces, and against the loader itself.

- every shipped rule file names its schema and validates, and so does every rule file under tests/data;
- every case a rule set carries, every vignette case and every sample result validates;
- on a set of bad rule files and bad cases, the schema and the engine agree: both reject;
- what only the engine can tell (a finding, level or rule that does not exist, ...) is pinned too, so the
  documented boundary between the two does not drift.

Needs Debian's python3-jsonschema (scripts/dev.sh installs it). Run by CTest with SYMTRI_BIN and
SYMTRI_SOURCE_DIR set; by hand: SYMTRI_BIN=build/bin/symtri python3 -m unittest -v test_schemas
"""
import copy
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    from schema_store import validator  # the schemas by their $ids, no network
except ImportError as e:  # fail loudly, never skip: a schema test that does not run proves nothing
    raise SystemExit("test_schemas: cannot import jsonschema (%s). Install Debian's python3-jsonschema "
                     "(scripts/dev.sh test does) or run this with /usr/bin/python3." % e)

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("SYMTRI_BIN", str(SRC / "build" / "bin" / "symtri"))
SCHEMAS = SRC / "schemas"


RULES = validator("ruleset.schema.json")
CASE = validator("case.schema.json")
RESULT = validator("result.schema.json")
BATCH_LINE = validator("batch-line.schema.json")


def errors(v, doc):
    return ["%s: %s" % (e.json_path, e.message[:200]) for e in v.iter_errors(doc)]


def run(*args, stdin=""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


def rule_files():
    shipped = sorted((SRC / "rules").rglob("*.json"))
    data = sorted((SRC / "tests" / "data").rglob("*.json"))
    return shipped, data


def vignettes():
    out = []
    for f in sorted((SRC / "tests" / "vignettes").glob("*.jsonl")):
        out += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


class SchemasAreValid(unittest.TestCase):
    def test_every_schema_is_valid_draft_2020_12(self):
        names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
        self.assertEqual(names, ["batch-line.schema.json", "case.schema.json", "result.schema.json",
                                 "ruleset.schema.json"])
        for n in names:
            with self.subTest(schema=n):
                s = json.loads((SCHEMAS / n).read_text(encoding="utf-8"))
                self.assertEqual(s["$schema"], "https://json-schema.org/draft/2020-12/schema")
                Draft202012Validator.check_schema(s)


class ShippedFilesValidate(unittest.TestCase):
    def test_every_shipped_rule_file_names_its_schema_so_editors_validate_it(self):
        shipped, _ = rule_files()
        self.assertGreater(len(shipped), 1)
        for f in shipped:
            with self.subTest(file=str(f.relative_to(SRC))):
                doc = json.loads(f.read_text(encoding="utf-8"))
                want = os.path.relpath(SCHEMAS / "ruleset.schema.json", f.parent).replace(os.sep, "/")
                self.assertEqual(doc.get("$schema"), want)
                self.assertTrue((f.parent / doc["$schema"]).resolve().is_file())

    def test_every_shipped_and_test_rule_file_validates(self):
        shipped, data = rule_files()
        for f in shipped + data:
            with self.subTest(file=str(f.relative_to(SRC))):
                self.assertEqual(errors(RULES, json.loads(f.read_text(encoding="utf-8"))), [])

    def test_every_carried_test_case_validates(self):
        shipped, data = rule_files()
        n = 0
        for f in shipped + data:
            for t in json.loads(f.read_text(encoding="utf-8")).get("tests", []):
                n += 1
                with self.subTest(file=f.name, test=t["name"]):
                    errs = errors(CASE, t["case"])
                    if t["expect"].get("error") in STRUCTURAL_CASE_ERRORS - {"unknown_attribute"}:
                        self.assertNotEqual(errs, [], "the engine rejects this case; so must the schema")
                    else:
                        self.assertEqual(errs, [])
        self.assertGreater(n, 100)

    def test_every_vignette_case_validates_unless_the_engine_rejects_it(self):
        vs = vignettes()
        self.assertGreater(len(vs), 50)
        lines = run("batch", stdin="".join(json.dumps(v["case"]) + "\n" for v in vs)).stdout.splitlines()
        self.assertEqual(len(lines), len(vs))
        for v, line in zip(vs, lines):
            with self.subTest(vignette=v["id"]):
                r = json.loads(line)
                errs = errors(CASE, v["case"])
                if "error" not in r:
                    self.assertEqual(errs, [])
                elif schema_can_see(r["error"]):
                    self.assertNotEqual(errs, [], "engine: %s" % r["error"]["message"])

    def test_sample_results_and_batch_lines_validate(self):
        vs = vignettes()
        demo = json.loads((SRC / "examples" / "cases" / "demo.json").read_text(encoding="utf-8"))
        feed = [v["case"] for v in vs] + [demo, {"findings": {}}, {"findings": {"kidney_disease": True}},
                                         {"case_id": "fr", "locale": "fr-CA", "findings": {"sciatica": True}}]
        p = run("batch", stdin="".join(json.dumps(c) + "\n" for c in feed) + "\n{not json\n")
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), len(feed) + 2)
        results = 0
        for i, line in enumerate(lines, 1):
            doc = json.loads(line)
            with self.subTest(line=i):
                self.assertEqual(errors(BATCH_LINE, doc), [])
                if "error" not in doc:
                    results += 1
                    self.assertEqual(errors(RESULT, doc), [])
        self.assertGreater(results, 50)
        p = run("triage", str(SRC / "examples" / "cases" / "demo.json"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(errors(RESULT, json.loads(p.stdout)), [])

    def test_a_result_with_a_key_the_docs_do_not_name_is_rejected(self):
        p = run("triage", str(SRC / "examples" / "cases" / "demo.json"))
        r = json.loads(p.stdout)
        r["diagnosis"] = "sciatica"
        self.assertNotEqual(errors(RESULT, r), [])
        del r["diagnosis"]
        del r["disclaimer"]
        self.assertNotEqual(errors(RESULT, r), [])


# ---------------------------------------------------------------------------------------------------
# Agreement on bad files: a minimal valid rule set, and mutations of it that both the schema and the
# loader must reject (`symtri check` exits 3, invalid rule set).

BASE = {
    "$schema": "../schemas/ruleset.schema.json",
    "$comment": "A minimal rule set; the tests break it one way at a time.",
    "format": 1,
    "ruleset": {"id": "test.schema", "version": "1.0.0", "title": {"en": "Schema test", "fr": "Test"},
                "authors": ["symtri tests"], "last_reviewed": "2026-11-22", "validation": "research",
                "license": "CC0-1.0", "disclaimer": "Test rules, not medical advice."},
    "levels": [
        {"id": "self_care", "label": "Self-care", "action": "Rest.", "worse": "Book.", "indicator": "info"},
        {"id": "routine", "label": "Routine", "action": "Book.", "worse": "Ask sooner."},
        {"id": "emergency", "label": "Emergency", "action": "Go now.", "worse": "Call.", "indicator": "critical"},
    ],
    "vocabulary": {
        "$comment": "findings",
        "sciatica": {"label": "Sciatica", "question": "Does pain spread down a leg?", "aliases": ["sciatic_pain"],
                     "attributes": ["side", "duration_days", "severity", "onset", "trend", "sites", "character",
                                    "at_night", "constant"], "characters": ["shooting", "burning"],
                     "icd10": ["M54.3"], "group": "back"},
        "saddle_numbness": {"label": "Saddle numbness", "question": "Is the skin between your legs numb?"},
        "kidney_disease": {"label": "Kidney disease", "question": "Do you have kidney disease?"},
    },
    "conditions": {"$comment": "named", "ces": {"$comment": "cauda equina", "any": [{"finding": "saddle_numbness"}]}},
    "rules": [
        {"$comment": "a red flag", "id": "cauda_equina", "kind": "red_flag", "level": "emergency", "priority": 100,
         "when": {"all": [{"finding": "sciatica", "side": ["left", "both"], "severity": {">=": 2, "<=": 10}},
                          {"ref": "ces"}, {"age": {">=": 0}}, {"sex": ["female", "male", "other"]}]},
         "title": "Possible cauda equina syndrome", "advice": {"en": "Go now.", "fr": "Allez-y."},
         "citations": [{"title": "NICE CKS: Sciatica", "url": "https://cks.nice.org.uk/topics/sciatica-lumbar-radiculopathy/"}],
         "icd10": ["G83.4"], "validation": "research"},
        {"id": "sciatica_persisting", "kind": "recommendation", "level": "routine", "tags": ["back"],
         "when": {"at_least": 1, "of": [{"finding": "sciatica", "duration_days": {">": 28}},
                                         {"not": {"finding": "sciatica", "present": False}}]},
         "title": "Persisting sciatica", "advice": "Book a routine appointment."},
        {"id": "magnesium_food", "kind": "recommendation", "tags": ["magnesium"],
         "when": {"finding": "sciatica", "character": "shooting", "onset": "sudden", "trend": ["worsening"],
                  "sites": ["legs"], "at_night": True, "constant": False},
         "title": "Magnesium", "advice": "Food first."},
        {"id": "kidney", "kind": "caution", "when": {"finding": "kidney_disease"},
         "blocks": {"tags": ["magnesium"], "rules": ["magnesium_food"]},
         "title": "Kidney disease", "advice": "Ask a clinician before magnesium supplements."},
    ],
    "tests": [
        {"name": "saddle numbness with sciatica", "$comment": "a carried test",
         "case": {"findings": {"sciatica": {"present": True, "side": "left", "severity": 5}, "saddle_numbness": True},
                  "patient": {"age": 40, "sex": "female"}},
         "expect": {"level": "emergency", "fires": ["cauda_equina"], "not_fires": [], "questions_exclude": ["sciatica"]}},
        {"name": "a misspelt finding is rejected", "case": {"findings": {"sadle_numbness": True}},
         "expect": {"error": "unknown_finding"}},
    ],
}

# name -> (JSON Pointer of the member to change, new value; None deletes it)
BAD_RULE_FILES = {
    "unknown top-level key": ("/rule", []),
    "missing format": ("/format", None),
    "unsupported format": ("/format", 2),
    "format as a string": ("/format", "1"),
    "ruleset without license": ("/ruleset/license", None),
    "ruleset with an unknown key": ("/ruleset/owner", "x"),
    "ruleset id with capitals": ("/ruleset/id", "Test.Schema"),
    "last_reviewed not a date": ("/ruleset/last_reviewed", "22/11/2026"),
    "validation not in the list": ("/ruleset/validation", "beta"),
    "no authors": ("/ruleset/authors", []),
    "empty disclaimer": ("/ruleset/disclaimer", ""),
    "ruleset without levels": ("/levels", None),
    "empty levels": ("/levels", []),
    "level indicator not in the list": ("/levels/2/indicator", "severe"),
    "level without worse": ("/levels/0/worse", None),
    "text without English": ("/levels/0/label", {"fr": "Soins"}),
    "text with a bad locale tag": ("/levels/0/label", {"en": "Self-care", "English": "Self-care"}),
    "text neither string nor object": ("/levels/0/action", 3),
    "finding without question": ("/vocabulary/kidney_disease/question", None),
    "finding id with a space": ("/vocabulary/kidney disease", {"label": "K", "question": "K?"}),
    "finding with an unknown attribute": ("/vocabulary/sciatica/attributes/0", "colour"),
    "finding with an unknown key": ("/vocabulary/sciatica/synonyms", ["x"]),
    "alias that is not an id": ("/vocabulary/sciatica/aliases/0", "Sciatic Pain"),
    "rule without when": ("/rules/1/when", None),
    "rule kind not in the list": ("/rules/1/kind", "warning"),
    "rule with an unknown key": ("/rules/1/severity", "high"),
    "red flag without citations": ("/rules/0/citations", None),
    "red flag with no citation": ("/rules/0/citations", []),
    "red flag without level": ("/rules/0/level", None),
    "citation url not http": ("/rules/0/citations/0/url", "ftp://example.org/x"),
    "citation without url": ("/rules/0/citations/0/url", None),
    "priority not an integer": ("/rules/0/priority", 1.5),
    "tag that is not an id": ("/rules/2/tags/0", "Magnesium"),
    "blocks on a recommendation": ("/rules/2/blocks", {"tags": ["back"]}),
    "blocks naming nothing": ("/rules/3/blocks", {"rules": []}),
    "blocks with an unknown key": ("/rules/3/blocks/kinds", ["recommendation"]),
    "condition with two forms": ("/rules/1/when", {"finding": "sciatica", "any": [{"finding": "sciatica"}]}),
    "condition with no form": ("/rules/1/when", {"findings": "sciatica"}),
    "condition not an object": ("/rules/1/when", "sciatica"),
    "empty all": ("/rules/0/when/all", []),
    "all not an array": ("/rules/0/when/all", {"finding": "sciatica"}),
    "at_least without of": ("/rules/1/when", {"at_least": 1}),
    "at_least zero": ("/rules/1/when/at_least", 0),
    "at_least not an integer": ("/rules/1/when/at_least", "one"),
    "comparison with an unknown operator": ("/rules/1/when/of/0/duration_days", {"=>": 28}),
    "comparison with a string": ("/rules/1/when/of/0/duration_days", {">": "28"}),
    "comparison with a note in it": ("/rules/1/when/of/0/duration_days", {">": 28, "$comment": "4 weeks"}),
    "empty comparison": ("/rules/1/when/of/0/duration_days", {}),
    "severity above 10": ("/rules/0/when/all/0/severity", {">=": 11}),
    "age above 130": ("/rules/0/when/all/2/age", {">=": 200}),
    "sex not in the list": ("/rules/0/when/all/3/sex", ["woman"]),
    "side not in the list": ("/rules/0/when/all/0/side", "up"),
    "empty side list": ("/rules/0/when/all/0/side", []),
    "site not in the list": ("/rules/2/when/sites/0", "knee"),
    "sites as a string": ("/rules/2/when/sites", "legs"),
    "at_night not a boolean": ("/rules/2/when/at_night", "yes"),
    "character that is not an id": ("/rules/2/when/character", "Shooting Pain"),
    "finding not a string": ("/rules/0/when/all/0/finding", ["sciatica"]),
    "present not a boolean": ("/rules/1/when/of/1/not/present", "no"),
    "attribute test with present false": ("/rules/1/when/of/1/not/side", "left"),
    "unknown key in a finding test": ("/rules/2/when/colour", "red"),
    "unknown key in a not": ("/rules/1/when/of/1/extra", 1),
    "ref not a string": ("/conditions/ces", {"ref": 3}),
    "include not an array": ("/include", "more.json"),
    "test without expect": ("/tests/0/expect", None),
    "test with an empty name": ("/tests/0/name", ""),
    "expect with an unknown key": ("/tests/0/expect/fire", ["cauda_equina"]),
    "expect level not a string": ("/tests/0/expect/level", 3),
    "expect fires not an array": ("/tests/0/expect/fires", "cauda_equina"),
    "test case with an unknown key": ("/tests/0/case/symptoms", {}),
    "test case not an object": ("/tests/0/case", []),
    "rules not an array": ("/rules", {}),
    "vocabulary not an object": ("/vocabulary", []),
}

# What needs the whole rule set: only the loader can tell. The schema accepts these; the loader must not.
LOADER_ONLY = {
    "unknown finding in a condition": ("/rules/1/when/of/0/finding", "sciatika"),
    "unknown level": ("/rules/0/level", "urgent"),
    "unknown named condition": ("/conditions/ces", {"ref": "cse"}),
    "duplicate rule id": ("/rules/1/id", "cauda_equina"),
    "at_least more than the conditions": ("/rules/1/when/at_least", 3),
    "comparison that can never be true": ("/rules/1/when/of/0/duration_days", {">": 30, "<": 10}),
    "red flag at the lowest level": ("/rules/0/level", "self_care"),
    "caution blocking a tag no recommendation has": ("/rules/3/blocks", {"tags": ["iron"]}),
    "attribute the finding does not take": ("/conditions/ces/any/0/side", "left"),
    "expect naming an unknown rule": ("/tests/0/expect/fires/0", "cauda_equine"),
    "named condition referring to itself": ("/conditions/ces", {"ref": "ces"}),
}


def pointer_tokens(ptr):
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr.split("/")[1:]]


def mutate(doc, ptr, value):
    doc = copy.deepcopy(doc)
    *parents, last = pointer_tokens(ptr)
    node = doc
    for t in parents:
        node = node[int(t)] if isinstance(node, list) else node[t]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is None:
        del node[last]
    else:
        node[last] = value
    return doc


class SchemaAndLoaderAgree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self, doc):
        """Runs `symtri check` on the document as a one-file rule set: (exit code, stdout + stderr)."""
        path = os.path.join(self.tmp.name, "rules.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
        p = run("check", path)
        return p.returncode, p.stdout + p.stderr

    def test_the_base_file_is_valid_for_both(self):
        self.assertEqual(errors(RULES, BASE), [])
        code, out = self.check(BASE)
        self.assertEqual(code, 0, out)

    def test_bad_files_are_rejected_by_both(self):
        for name, (ptr, value) in BAD_RULE_FILES.items():
            with self.subTest(name):
                doc = mutate(BASE, ptr, value)
                self.assertNotEqual(errors(RULES, doc), [], "the schema accepts it")
                code, out = self.check(doc)
                # A carried test's case is checked when `symtri check` runs the test (exit 1), the rest on load (3).
                want = 1 if ptr.startswith("/tests/0/case/") else 3
                self.assertEqual(code, want, "symtri check does not reject it (exit %d): %s" % (code, out[-400:]))
                if want == 1:
                    self.assertIn("case rejected", out)

    def test_what_needs_the_whole_rule_set_is_left_to_the_loader(self):
        for name, (ptr, value) in LOADER_ONLY.items():
            with self.subTest(name):
                doc = mutate(BASE, ptr, value)
                if name == "attribute the finding does not take":
                    doc["vocabulary"]["saddle_numbness"]["attributes"] = ["sites"]
                self.assertEqual(errors(RULES, doc), [])
                code, out = self.check(doc)
                self.assertEqual(code, 3, "the loader does not reject it (exit %d): %s" % (code, out[-400:]))


# Case errors the schema can see. unknown_finding (and a finding that does not take an attribute) depend
# on the rule set, and limit and invalid_json happen before there is a document to validate.
STRUCTURAL_CASE_ERRORS = {"wrong_type", "unknown_key", "unknown_attribute", "missing_key", "invalid_value",
                          "out_of_range"}


def schema_can_see(error):
    """Whether the case schema alone should reject a case the engine rejected with `error`."""
    if error["code"] == "unknown_attribute":  # an attribute that exists, on a finding that does not take it
        return "does not take" not in error["message"]
    if error["code"] == "invalid_value":  # a character the finding does not list
        return "has no character" not in error["message"]
    return error["code"] in STRUCTURAL_CASE_ERRORS

BAD_CASES = [
    ({"findings": {"sciatica": "yes"}}, "wrong_type"),
    ({"symptoms": {"sciatica": True}}, "unknown_key"),
    ({"findings": {"sciatica": {"present": True, "colour": "red"}}}, "unknown_attribute"),
    ({"findings": {"sciatica": {"side": "left"}}}, "missing_key"),
    ({"findings": {"sciatica": {"present": True, "side": "up"}}}, "invalid_value"),
    ({"findings": {"sciatica": {"present": True, "severity": 11}}}, "out_of_range"),
    ({"findings": {"sciatica": {"present": True, "severity": 5.5}}}, "wrong_type"),
    ({"findings": {"sciatica": {"present": True, "duration_days": -1}}}, "out_of_range"),
    ({"findings": {"sciatica": {"present": "yes"}}}, "wrong_type"),
    ({"findings": {"tingling": {"present": True, "sites": ["knee"]}}}, "invalid_value"),
    ({"findings": {"tingling": {"present": True, "sites": "hands"}}}, "wrong_type"),
    ({"findings": {"headache": {"present": True, "at_night": "yes"}}}, "wrong_type"),
    ({"findings": {"headache": {"present": True, "character": "Band Like"}}}, "invalid_value"),
    ({"findings": []}, "wrong_type"),
    ({"patient": {"age": 200}, "findings": {}}, "out_of_range"),
    ({"patient": {"age": "fifty"}, "findings": {}}, "wrong_type"),
    ({"patient": {"sex": "woman"}, "findings": {}}, "invalid_value"),
    ({"patient": {"height": 180}, "findings": {}}, "unknown_key"),
    ({"patient": "old", "findings": {}}, "wrong_type"),
    ({"case_id": 5, "findings": {}}, "wrong_type"),
    ({"locale": 3, "findings": {}}, "wrong_type"),
]

ENGINE_ONLY_CASES = [
    ({"findings": {"sadle_numbness": True}}, "unknown_finding"),
    ({"findings": {"kidney_disease": {"present": True, "side": "left"}}}, "unknown_attribute"),
]


class CaseSchemaAndEngineAgree(unittest.TestCase):
    def batch(self, cases):
        p = run("batch", stdin="".join(json.dumps(c) + "\n" for c in cases))
        lines = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(lines), len(cases), p.stderr)
        return lines

    def test_bad_cases_are_rejected_by_both_with_the_same_kind_of_error(self):
        for (case, code), r in zip(BAD_CASES, self.batch([c for c, _ in BAD_CASES])):
            with self.subTest(case=json.dumps(case)):
                self.assertIn("error", r, "the engine accepts it")
                self.assertEqual(r["error"]["code"], code, r["error"]["message"])
                self.assertNotEqual(errors(CASE, case), [], "the schema accepts it")

    def test_what_depends_on_the_rule_set_is_left_to_the_engine(self):
        for (case, code), r in zip(ENGINE_ONLY_CASES, self.batch([c for c, _ in ENGINE_ONLY_CASES])):
            with self.subTest(case=json.dumps(case)):
                self.assertEqual(r["error"]["code"], code)
                self.assertEqual(errors(CASE, case), [])

    def test_good_cases_are_accepted_by_both(self):
        good = [{}, {"findings": None}, {"case_id": None, "patient": None, "locale": None, "findings": {}},
                {"case_id": "c", "patient": {"age": 0, "sex": None}, "locale": "fr-CA",
                 "findings": {"sciatica": {"present": None, "side": None, "sites": [], "severity": 0,
                                           "duration_days": 0.5, "onset": "gradual", "trend": "stable"},
                              "saddle_numbness": False, "urinary_retention": None, "lumbago": True}}]
        for case, r in zip(good, self.batch(good)):
            with self.subTest(case=json.dumps(case)):
                self.assertNotIn("error", r, r.get("error"))
                self.assertEqual(errors(CASE, case), [])


if __name__ == "__main__":
    unittest.main()
