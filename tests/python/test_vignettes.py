# SPDX-License-Identifier: Apache-2.0
"""The public vignettes give byte-identical results through Python and through `symtri batch`."""

import json
import subprocess
import unittest

import support  # noqa: F401
import symtri
from support import CLI, RULES, VIGNETTES


def vignette_cases():
    return [json.loads(line)["case"] for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]


def cli_batch(cases, rules=None):
    cmd = [CLI, "batch"] + (["--rules", str(rules)] if rules else [])
    text = "".join(json.dumps(c) + "\n" for c in cases)
    p = subprocess.run(cmd, input=text.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return p.returncode, p.stdout.decode("utf-8").splitlines(), text


@unittest.skipUnless(CLI, "SYMTRI_CLI is not set")
class TestVignettes(unittest.TestCase):
    def compare(self, engine, rules):
        cases = vignette_cases()
        self.assertGreater(len(cases), 0)
        rc, cli_lines, text = cli_batch(cases, rules)
        self.assertEqual(len(cli_lines), len(cases))
        for case, line in zip(cases, cli_lines):
            try:
                mine = engine.triage(case).json
            except symtri.CaseError as e:
                expected = json.loads(line)
                self.assertEqual(e.code, expected["error"]["code"])
                continue
            self.assertEqual(mine, line, f"case {case.get('case_id')}")
        batch = engine.triage_jsonl(text, threads=2)
        self.assertEqual(batch.output.splitlines(), cli_lines)
        self.assertEqual(batch.failed == 0, rc == 0)
        many = engine.triage_many(cases, threads=2)
        self.assertEqual([r.json for r in many if r.ok], [line for line, r in zip(cli_lines, many) if r.ok])

    def test_test_rules(self):
        with symtri.Engine.open(RULES) as engine:
            self.compare(engine, RULES)

    def test_builtin_rules(self):
        if not symtri.Engine.has_builtin():
            self.skipTest("this build has no built-in rule set")
        try:
            engine = symtri.Engine.default()
        except symtri.RuleSetError:
            rc, _, _ = cli_batch([{}])
            self.assertEqual(rc, 3)  # both agree the shipped rules are broken
            return
        with engine:
            self.compare(engine, None)


if __name__ == "__main__":
    unittest.main()
