# SPDX-License-Identifier: Apache-2.0
"""Every limit a host can set, through Engine.open / default / from_string keyword arguments
(docs/reliability.md, "Limits a host can set"): input just under the limit passes, just over fails
with code "limit" and a message naming the limit by the keyword's name, and the defaults admit the
shipped rules. Also max_questions (a cap, not an error) and pool_size."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401  (puts the package on sys.path)
import symtri
from support import SMALL, SOURCE_DIR

MANY_UNKNOWNS = {"findings": {"muscle_cramps": True}}


def ruleset(rules=1, chain=0, any_of=0):
    """A generated rule set: `rules` recommendations r<i> (when f<i>); `chain` > 0 adds named
    conditions c0 -> ... -> c<chain> (a leaf) and a rule on c0; `any_of` > 0 adds a rule whose
    condition is one `any` over that many leaves."""
    nf = max(rules, any_of, 2)
    d = {"format": 1,
         "ruleset": {"id": "t.limits", "version": "1.0.0", "title": "Limits", "authors": ["t"],
                     "last_reviewed": "2026-01-01", "validation": "research", "license": "CC0-1.0",
                     "disclaimer": "Test rules."},
         "levels": [{"id": "self_care", "label": "S", "action": "A.", "worse": "W."},
                    {"id": "routine", "label": "R", "action": "A.", "worse": "W."}],
         "vocabulary": {"f%d" % i: {"label": "F%d" % i, "question": "Q%d?" % i} for i in range(nf)},
         "rules": [{"id": "r%d" % i, "kind": "recommendation", "level": "routine", "when": {"finding": "f%d" % i},
                    "title": "T%d" % i, "advice": "A."} for i in range(rules)]}
    if chain:
        d["conditions"] = {"c%d" % i: {"ref": "c%d" % (i + 1)} for i in range(chain)}
        d["conditions"]["c%d" % chain] = {"finding": "f0", "severity": {">=": 5}}
        d["rules"].append({"id": "chain", "kind": "recommendation", "level": "routine", "when": {"ref": "c0"},
                           "title": "C", "advice": "A."})
    if any_of:
        d["rules"].append({"id": "wide", "kind": "recommendation", "level": "routine",
                           "when": {"any": [{"finding": "f%d" % i, "severity": {">=": 3}} for i in range(any_of)]},
                           "title": "W", "advice": "A."})
    return d


def text_of(**kw):
    return json.dumps(ruleset(**kw))


def json_depth(v):
    if isinstance(v, dict):
        return 1 + max([json_depth(x) for x in v.values()], default=0)
    if isinstance(v, list):
        return 1 + max([json_depth(x) for x in v], default=0)
    return 0


def write_multi_file(folder: Path, parts: int) -> int:
    """index.json (header, levels, vocabulary) including part<i>.json of one rule each; total bytes."""
    whole = ruleset(rules=parts)
    index = {k: v for k, v in whole.items() if k != "rules"}
    index["include"] = ["part%d.json" % i for i in range(parts)]
    texts = {"index.json": json.dumps(index, indent=1)}
    for i in range(parts):
        texts["part%d.json" % i] = json.dumps({"format": 1, "rules": [whole["rules"][i]]}, indent=1)
    total = 0
    for name, text in texts.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
    return total


class LimitTest(unittest.TestCase):
    def assert_rule_set_limit(self, fn, name, message, status=None):
        """fn() must raise RuleSetError with a "limit" diagnostic whose message holds `message` and
        names the limit `name`."""
        with self.assertRaises(symtri.RuleSetError) as cm:
            fn()
        limits = [d for d in cm.exception.diagnostics if d.code == "limit"]
        self.assertTrue(limits, cm.exception.diagnostics)
        self.assertIn(message, limits[0].message)
        self.assertIn("(%s" % name, limits[0].message)
        if status is not None:
            self.assertEqual(cm.exception.status, status)
        return cm.exception


class TestNamesAndDefaults(LimitTest):
    def test_every_keyword_is_accepted_at_its_default(self):
        defaults = dict(max_file_bytes=8 << 20, max_total_bytes=64 << 20, max_depth=64, max_files=1000,
                        max_rules=100000, max_condition_nodes=10000, max_case_bytes=1 << 20, max_case_depth=16,
                        max_questions=0, pool_size=64)
        with symtri.Engine.open(SOURCE_DIR / "rules", **defaults) as e:
            self.assertGreater(e.rule_count, 0)

    def test_the_defaults_admit_the_shipped_rules(self):
        with symtri.Engine.open(SOURCE_DIR / "rules") as e:
            self.assertGreater(e.rule_count, 0)
        if symtri.Engine.has_builtin():
            with symtri.Engine.default() as e:
                r = e.triage({"findings": {"sciatica": True, "saddle_numbness": True}})
                self.assertEqual(r.level, "emergency")

    def test_unknown_duplicate_and_out_of_range(self):
        with self.assertRaises(TypeError) as cm:
            symtri.Engine.open(SMALL, max_rule=5)
        self.assertIn("max_rules", str(cm.exception))  # the list of names
        with self.assertRaises(TypeError) as cm:
            symtri.Engine.open(SMALL, max_depth=5, max_rule_depth=6)
        self.assertIn("'max_depth' given twice", str(cm.exception))
        for name in ("max_file_bytes", "max_total_bytes", "max_depth", "max_files", "max_rules",
                     "max_condition_nodes", "max_case_bytes", "max_case_depth"):
            with self.assertRaises(ValueError, msg=name) as cm:
                symtri.Engine.open(SMALL, **{name: 0})
            self.assertIn(name + "=0", str(cm.exception))
        for name in ("max_questions", "pool_size"):
            with self.assertRaises(ValueError, msg=name):
                symtri.Engine.open(SMALL, **{name: -1})
            with symtri.Engine.open(SMALL, **{name: 0}) as e:
                self.assertEqual(e.id, "symtri.test.small")


class TestRuleSetLimits(LimitTest):
    def test_max_file_bytes(self):
        size = SMALL.stat().st_size
        with symtri.Engine.open(SMALL, max_file_bytes=size) as e:
            self.assertEqual(e.id, "symtri.test.small")
        self.assert_rule_set_limit(lambda: symtri.Engine.open(SMALL, max_file_bytes=size - 1), "max_file_bytes",
                                   "cannot read", symtri.Status.INVALID_RULESET)
        text = text_of(rules=2)
        n = len(text.encode())
        symtri.Engine.from_string(text, max_file_bytes=n).close()
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_file_bytes=n - 1), "max_file_bytes",
                                   "rule text is %d bytes, over the limit of %d (max_file_bytes)" % (n, n - 1),
                                   symtri.Status.LIMIT)

    def test_max_total_bytes(self):
        folder = Path(tempfile.mkdtemp(prefix="symtri_py_limits_"))
        self.addCleanup(shutil.rmtree, folder, True)
        total = write_multi_file(folder, 3)
        with symtri.Engine.open(folder, max_total_bytes=total) as e:
            self.assertEqual(e.rule_count, 3)
        err = self.assert_rule_set_limit(
            lambda: symtri.Engine.open(folder, max_total_bytes=total - 1), "max_total_bytes",
            "over the limit of %d bytes for all its files (max_total_bytes;" % (total - 1),
            symtri.Status.INVALID_RULESET)
        self.assertIn("cannot read '%s'" % (folder / "part2.json").as_posix(), err.message)  # the file that crossed it
        self.assertNotIn("max_file_bytes", str(err))
        text = text_of(rules=2)
        n = len(text.encode())
        symtri.Engine.from_string(text, max_total_bytes=n).close()
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_total_bytes=n - 1), "max_total_bytes",
                                   "rule text is %d bytes, over the limit of %d (max_total_bytes)" % (n, n - 1),
                                   symtri.Status.LIMIT)

    def test_max_depth_json_nesting(self):
        doc = ruleset(rules=2)
        depth = json_depth(doc)
        self.assertEqual(depth, 4)  # root / rules / rule / when
        text = json.dumps(doc)
        symtri.Engine.from_string(text, max_depth=depth).close()
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_depth=depth - 1), "max_depth",
                                   "nesting deeper than the limit of 3 levels (max_depth)")
        # The older keyword sets the same limit.
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_rule_depth=depth - 1), "max_depth",
                                   "nesting deeper than the limit of 3 levels (max_depth)")

    def test_max_depth_through_named_conditions(self):
        text = text_of(rules=1, chain=10)  # when -> c0 -> ... -> c10: 12 levels of condition
        symtri.Engine.from_string(text, max_depth=12).close()
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_depth=11), "max_depth",
                                   "condition nests deeper than the limit of 11 levels, counting named conditions")

    def test_max_files(self):
        folder = Path(tempfile.mkdtemp(prefix="symtri_py_limits_"))
        self.addCleanup(shutil.rmtree, folder, True)
        write_multi_file(folder, 4)  # 5 files
        with symtri.Engine.open(folder, max_files=5) as e:
            self.assertEqual(e.rule_count, 4)
        self.assert_rule_set_limit(lambda: symtri.Engine.open(folder, max_files=4), "max_files",
                                   "more than 4 rule files (max_files)")

    def test_max_rules(self):
        text = text_of(rules=7)
        with symtri.Engine.from_string(text, max_rules=7) as e:
            self.assertEqual(e.rule_count, 7)
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_rules=6), "max_rules",
                                   "more than 6 rules (max_rules)")

    def test_max_condition_nodes(self):
        text = text_of(rules=1, any_of=10)  # any[10 leaves]: 11 nodes
        symtri.Engine.from_string(text, max_condition_nodes=11).close()
        self.assert_rule_set_limit(lambda: symtri.Engine.from_string(text, max_condition_nodes=10),
                                   "max_condition_nodes", "condition of rule 'wide' has more than 10 tests")


class TestCaseLimits(LimitTest):
    CASE = '{"findings": {"sciatica": {"present": true}}}'  # 3 levels deep

    def test_max_case_bytes(self):
        n = len(self.CASE)
        with symtri.Engine.open(SMALL, max_case_bytes=n) as e:
            self.assertTrue(e.triage(self.CASE).ok)
            self.assertEqual(e.triage_jsonl(self.CASE + "\n").failed, 0)
        with symtri.Engine.open(SMALL, max_case_bytes=n - 1) as e:
            with self.assertRaises(symtri.CaseError) as cm:
                e.triage(self.CASE)
            self.assertEqual(cm.exception.code, "limit")
            self.assertIn("case is %d bytes, over the limit of %d (max_case_bytes)" % (n, n - 1), cm.exception.message)
            out = e.triage_jsonl(self.CASE + "\n")
            self.assertEqual(out.failed, 1)
            self.assertEqual(json.loads(out.output)["error"]["code"], "limit")
            self.assertIn("(max_case_bytes)", out.output)

    def test_max_case_depth(self):
        with symtri.Engine.open(SMALL, max_case_depth=3) as e:
            self.assertTrue(e.triage(self.CASE).ok)
        with symtri.Engine.open(SMALL, max_case_depth=2) as e:
            with self.assertRaises(symtri.CaseError) as cm:
                e.triage(self.CASE)
            self.assertEqual(cm.exception.code, "limit")
            self.assertIn("nesting deeper than the limit of 2 levels (max_case_depth)", cm.exception.message)


@unittest.skipUnless(symtri.Engine.has_builtin(), "the library has no built-in rule set")
class TestMaxQuestions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with symtri.Engine.default() as e:
            cls.full = e.triage(MANY_UNKNOWNS)
        cls.all = [q.finding for q in cls.full.questions]

    def test_the_list_is_long_enough_to_cut(self):
        self.assertGreater(len(self.all), 5)

    def test_cut_keeps_the_first_questions_in_order(self):
        for pool in (0, 64):
            with self.subTest(pool_size=pool), symtri.Engine.default(max_questions=3, pool_size=pool) as e:
                for _ in range(3):  # sessions reused from the pool keep the option
                    r = e.triage(MANY_UNKNOWNS)
                    self.assertEqual([q.finding for q in r.questions], self.all[:3])
                    self.assertEqual(len(json.loads(r.json)["questions"]), 3)
                many = e.triage_many([MANY_UNKNOWNS] * 100, threads=2)
                self.assertEqual({len(r.questions) for r in many}, {3})
                out = e.triage_jsonl((json.dumps(MANY_UNKNOWNS) + "\n") * 70, threads=2)
                self.assertEqual({len(json.loads(line)["questions"]) for line in out.output.splitlines()}, {3})

    def test_zero_and_caps_above_the_count_change_nothing(self):
        for cap in (0, len(self.all), len(self.all) + 5):
            with self.subTest(max_questions=cap), symtri.Engine.default(max_questions=cap) as e:
                self.assertEqual(e.triage(MANY_UNKNOWNS).json, self.full.json)
        with symtri.Engine.default(max_questions=len(self.all) - 1) as e:
            self.assertEqual([q.finding for q in e.triage(MANY_UNKNOWNS).questions], self.all[:-1])

    def test_open_and_from_string_take_it_too(self):
        rules = SOURCE_DIR / "rules"
        with symtri.Engine.open(rules, max_questions=2) as e:
            self.assertEqual(len(e.triage(MANY_UNKNOWNS).questions), 2)
        d = ruleset(rules=6)
        for finding in d["vocabulary"].values():  # asked of everyone, so an empty case has 6 questions
            finding["screening"] = True
        text = json.dumps(d)
        with symtri.Engine.from_string(text) as all_, symtri.Engine.from_string(text, max_questions=2) as cut:
            c = {"findings": {}}
            self.assertEqual(len(all_.triage(c).questions), 6)
            self.assertEqual([q.finding for q in cut.triage(c).questions], ["f0", "f1"])


class TestPoolSize(unittest.TestCase):
    def test_pool_size_zero_gives_the_same_results(self):
        cases = [{"findings": {"sciatica": True, "saddle_numbness": True}}, {"findings": {}}]
        with symtri.Engine.open(SMALL, pool_size=0) as a, symtri.Engine.open(SMALL) as b:
            for c in cases:
                self.assertEqual(a.triage(c).json, b.triage(c).json)
            with self.assertRaises(symtri.CaseError):
                a.triage({"findings": {"nope": True}})


if __name__ == "__main__":
    unittest.main()
