# SPDX-License-Identifier: Apache-2.0
"""The JSON Schemas resolve each other by their `$id`s through jsonschema's `referencing` API (the
replacement of the deprecated RefResolver), with no network and no file paths: each schema has an
absolute `$id` (https://symtri.example/schemas/NAME, an identifier, never fetched), so the relative
`$ref: "result.schema.json"` of batch-line.schema.json resolves to result.schema.json's `$id`.

Validates the shipped rule files, the sample cases (examples/cases) and sample results (the program's
output for them, and its batch lines) through one `referencing.Registry`. Needs `referencing` (jsonschema
4.18 or later, e.g. from pip); Debian 12's python3-jsonschema 4.10 has no such API, so there this test is
skipped, saying so (test_schemas.py checks the same files through RefResolver there).
"""
import json
import os
import pathlib
import subprocess
import unittest
from urllib.parse import urljoin

try:
    import referencing
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    MISSING = ""
except ImportError as e:
    MISSING = ("skipped: cannot import jsonschema's `referencing` API (%s); it comes with jsonschema 4.18 or "
               "later, which Debian 12 does not have (its python3-jsonschema is 4.10)" % e)

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("SYMTRI_BIN", str(SRC / "build" / "bin" / "symtri"))
SCHEMAS = SRC / "schemas"
BASE = "https://symtri.example/schemas/"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def refs(node):
    """Every $ref in a schema."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for v in node.values():
            yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def run(*args, stdin=""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


@unittest.skipIf(MISSING, MISSING)
class SchemasResolveByTheirIds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schemas = {p.name: load(p) for p in sorted(SCHEMAS.glob("*.schema.json"))}
        cls.registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in cls.schemas.values())

    def validator(self, name):
        return Draft202012Validator(self.schemas[name], registry=self.registry)

    def assertValid(self, name, doc, what):
        errs = ["%s: %s" % (e.json_path, e.message[:200]) for e in self.validator(name).iter_errors(doc)]
        self.assertEqual(errs, [], what)

    def test_every_schema_has_an_absolute_id_naming_its_file(self):
        self.assertEqual(len(self.schemas), 4)
        for name, s in self.schemas.items():
            self.assertEqual(s["$id"], BASE + name)
        self.assertEqual(len({s["$id"] for s in self.schemas.values()}), len(self.schemas))

    def test_relative_refs_resolve_to_another_schemas_id(self):
        outside = 0
        for name, s in self.schemas.items():
            resolver = self.registry.resolver(base_uri=s["$id"])
            for ref in sorted(refs(s)):
                with self.subTest(schema=name, ref=ref):
                    self.assertIsNotNone(resolver.lookup(ref).contents)
                    if not ref.startswith("#"):
                        outside += 1
                        self.assertEqual(urljoin(s["$id"], ref), BASE + ref)
        self.assertGreater(outside, 0)  # batch-line.schema.json -> result.schema.json

    def test_a_ref_by_id_from_outside_resolves(self):
        # What a user's own schema does: {"$ref": "https://symtri.example/schemas/case.schema.json"}.
        mine = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://mine.example/x.json",
                "type": "array", "items": {"$ref": BASE + "case.schema.json"}}
        v = Draft202012Validator(mine, registry=self.registry)
        self.assertEqual(list(v.iter_errors([{"findings": {"sciatica": True}}])), [])
        self.assertNotEqual(list(v.iter_errors([{"findings": {"sciatica": "very"}}])), [])
        with self.assertRaises(referencing.exceptions.Unresolvable):
            self.registry.resolver(base_uri=BASE).lookup("no-such.schema.json")

    def test_shipped_rule_files_validate(self):
        files = sorted((SRC / "rules").rglob("*.json"))
        self.assertGreater(len(files), 5)
        for f in files:
            self.assertValid("ruleset.schema.json", load(f), str(f))

    def test_sample_cases_and_their_results_validate(self):
        cases = sorted((SRC / "examples" / "cases").glob("*.json"))
        self.assertGreater(len(cases), 3)
        for f in cases:
            self.assertValid("case.schema.json", load(f), str(f))
            p = run("triage", str(f))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertValid("result.schema.json", json.loads(p.stdout), "the result for %s" % f)

    def test_batch_lines_validate_through_the_relative_ref(self):
        lines = (SRC / "examples" / "cases" / "cases.jsonl").read_text(encoding="utf-8")
        p = run("batch", stdin=lines + '{"findings": {"sadle_numbness": true}}\n')
        out = p.stdout.splitlines()
        self.assertEqual(len(out), len(lines.splitlines()) + 1)
        self.assertIn('"error"', out[-1])
        for i, line in enumerate(out, 1):
            self.assertValid("batch-line.schema.json", json.loads(line), "batch line %d" % i)
        # and a line that is neither a result nor an error line is rejected
        self.assertNotEqual(list(self.validator("batch-line.schema.json").iter_errors({"level": "x"})), [])


if __name__ == "__main__":
    unittest.main()
