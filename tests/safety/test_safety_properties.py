# SPDX-License-Identifier: Apache-2.0
"""Safety properties of the shipped rule set, checked over many generated cases.

Standard library only. Generates random cases (seeded, so every run is the same) over the vocabulary read from the
rule files, runs them through `symtri batch`, and checks:

  1. adding a present red-flag finding never lowers the level;
  2. no result ends below the level of any red flag it reports, and every red flag whose condition holds (by an
     independent reading of the three-valued logic in docs/rules-format.md) is reported, so the level is at least
     that red flag's level;
  3. every result has a disclaimer;
  4. answered findings (true or false) never come back in `questions`;
  5. no result contains a recommendation tagged `magnesium` when kidney_disease is true;
  6. no generated (valid) case is rejected.

Environment:
  SYMTRI_BIN    the program (default build/bin/symtri); a relative path is taken from the working directory if it
                exists there, else from the repository root
  SYMTRI_RULES  a rule set to pass with --rules, resolved the same way (default: the set built into the program;
                the vocabulary is then read from the repository's rules/ directory, so rebuild after changing them)
  SYMTRI_SAFETY_CASES  number of base cases (default 3000)
"""
import copy
import json
import os
import random
import subprocess
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LEVELS = ["self_care", "routine", "soon", "same_day", "emergency", "ambulance"]
SIDES = ["left", "right", "both"]
SITES = ["head", "face", "jaw", "neck", "shoulders", "arms", "hands", "fingers", "thumb_base", "upper_back", "chest",
         "lower_back", "buttocks", "hips", "legs", "thighs", "calves", "feet", "saddle"]
ALL_ATTRIBUTES = ["side", "sites", "onset", "trend", "duration_days", "severity", "at_night", "constant", "character"]
CHARACTERS = ["band_like", "pressing", "tight", "throbbing", "shooting", "burning", "stabbing"]


def _resolve(path):
    return path if os.path.isabs(path) else os.path.join(REPO, path)


def symtri_bin():
    path = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
    if os.path.isabs(path) or os.path.exists(path):
        return path
    return _resolve(path)


def rules_arg():
    path = os.environ.get("SYMTRI_RULES")
    if not path or os.path.isabs(path) or os.path.exists(path):
        return path
    return _resolve(path)


# ---------------------------------------------------------------- rule files


def load_ruleset(path):
    """Merges a rule set's files (following `include`) into vocabulary, conditions, rules and levels."""
    root = os.path.join(path, "index.json") if os.path.isdir(path) else path
    merged = {"vocabulary": {}, "conditions": {}, "rules": [], "levels": []}
    seen = set()

    def load(file):
        file = os.path.normpath(file)
        if file in seen:
            return
        seen.add(file)
        with open(file, encoding="utf-8") as f:
            doc = json.load(f)
        if "levels" in doc:
            merged["levels"] = [lv["id"] for lv in doc["levels"]]
        merged["vocabulary"].update(doc.get("vocabulary", {}))
        merged["conditions"].update(doc.get("conditions", {}))
        merged["rules"].extend(doc.get("rules", []))
        base = os.path.dirname(file)
        for inc in doc.get("include", []):
            target = os.path.join(base, inc)
            if inc.endswith("/") or os.path.isdir(target):
                for name in sorted(os.listdir(target)):
                    if name.endswith(".json"):
                        load(os.path.join(target, name))
            else:
                load(target)

    load(root)
    merged["vocabulary"].pop("$comment", None)
    merged["conditions"].pop("$comment", None)
    return merged


def positive_findings(cond, conditions, out, negated=False, stack=()):
    """Findings a condition reads as present (not through `not` or `present: false`)."""
    if "all" in cond or "any" in cond:
        for c in cond.get("all", cond.get("any", [])):
            positive_findings(c, conditions, out, negated, stack)
    elif "of" in cond:
        for c in cond["of"]:
            positive_findings(c, conditions, out, negated, stack)
    elif "not" in cond:
        positive_findings(cond["not"], conditions, out, not negated, stack)
    elif "ref" in cond:
        if cond["ref"] not in stack:
            positive_findings(conditions[cond["ref"]], conditions, out, negated, stack + (cond["ref"],))
    elif "finding" in cond and cond.get("present", True) is not False and not negated:
        out.add(cond["finding"])
    return out


# ------------------------------------------------ an independent reading of the three-valued logic


def _compare(value, spec):
    ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}
    return all(ops[op](value, bound) for op, bound in spec.items())


def _kleene_all(values):
    values = list(values)
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _kleene_any(values):
    values = list(values)
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def _finding_state(case, fid):
    """(present, attributes): present is True, False or None (unknown)."""
    value = case.get("findings", {}).get(fid)
    if isinstance(value, dict):
        return value.get("present"), value
    return value, {}


def evaluate(cond, case, conditions):
    if "all" in cond:
        return _kleene_all(evaluate(c, case, conditions) for c in cond["all"])
    if "any" in cond:
        return _kleene_any(evaluate(c, case, conditions) for c in cond["any"])
    if "not" in cond:
        v = evaluate(cond["not"], case, conditions)
        return None if v is None else not v
    if "at_least" in cond:
        vals = [evaluate(c, case, conditions) for c in cond["of"]]
        n = cond["at_least"]
        if sum(v is True for v in vals) >= n:
            return True
        if sum(v is not False for v in vals) < n:
            return False
        return None
    if "ref" in cond:
        return evaluate(conditions[cond["ref"]], case, conditions)
    if "age" in cond:
        age = case.get("patient", {}).get("age")
        return None if age is None else _compare(age, cond["age"])
    if "sex" in cond:
        sex = case.get("patient", {}).get("sex")
        want = cond["sex"] if isinstance(cond["sex"], list) else [cond["sex"]]
        return None if sex is None else sex in want
    present, attrs = _finding_state(case, cond["finding"])
    if cond.get("present", True) is False:
        return None if present is None else present is False
    if present is None:
        return None
    if present is False:
        return False
    tests = []
    for key, want in cond.items():
        if key in ("finding", "present", "$comment"):
            continue
        have = attrs.get(key)
        if have is None:
            # `null` in a test's list matches an attribute the case does not give (docs/rules-format.md)
            tests.append(True if isinstance(want, list) and None in want else None)
        elif key == "sites":
            tests.append(bool(set(have) & set(want)))
        elif key in ("duration_days", "severity"):
            tests.append(_compare(have, want))
        elif key in ("at_night", "constant"):
            tests.append(have == want)
        else:
            tests.append(have in (want if isinstance(want, list) else [want]))
    return _kleene_all(tests)


# ---------------------------------------------------------------- case generation


def random_attributes(rng, allowed, characters):
    attrs = {}
    for name in rng.sample(allowed, rng.randint(0, len(allowed))):
        if name == "side":
            attrs[name] = rng.choice(SIDES)
        elif name == "sites":
            attrs[name] = rng.sample(SITES, rng.randint(1, 3))
        elif name == "onset":
            attrs[name] = rng.choice(["sudden", "gradual"])
        elif name == "trend":
            attrs[name] = rng.choice(["improving", "stable", "worsening"])
        elif name == "duration_days":
            attrs[name] = rng.choice([0, 1, 3, 7, 14, 27, 28, 30, 41, 42, 60, 89, 90, 120, 400])
        elif name == "severity":
            attrs[name] = rng.randint(0, 10)
        elif name in ("at_night", "constant"):
            attrs[name] = rng.random() < 0.5
        elif name == "character":
            attrs[name] = rng.choice(characters or CHARACTERS)
    return attrs


def random_case(rng, vocabulary, ids, index):
    findings = {}
    for fid in rng.sample(ids, rng.randint(1, 9)):
        entry = vocabulary[fid]
        roll = rng.random()
        if roll < 0.35:
            findings[fid] = True
        elif roll < 0.6:
            findings[fid] = False
        elif roll < 0.65:
            findings[fid] = None
        else:
            allowed = entry.get("attributes", ALL_ATTRIBUTES)
            if rng.random() < 0.9:
                obj = {"present": True}
                obj.update(random_attributes(rng, allowed, entry.get("characters")))
            else:
                # The engine accepts attributes only with "present": true, so absent or unknown objects carry none.
                obj = {"present": rng.choice([False, None])}
            findings[fid] = obj
    if rng.random() < 0.25:
        findings["kidney_disease"] = True
    case = {"case_id": "S%05d" % index, "findings": findings}
    patient = {}
    if rng.random() < 0.85:
        patient["age"] = rng.choice([1, 3, 5, 8, 9, 12, 17, 18, 25, 35, 49, 50, 51, 64, 65, 80, 95])
    if rng.random() < 0.7:
        patient["sex"] = rng.choice(["female", "male", "other"])
    if patient:
        case["patient"] = patient
    return case


def is_answered(value):
    if isinstance(value, dict):
        return value.get("present") in (True, False)
    return value in (True, False)


def is_present(value):
    return value is True or (isinstance(value, dict) and value.get("present") is True)


def run_batch(cases):
    cmd = [symtri_bin(), "batch"]
    if rules_arg():
        cmd += ["--rules", rules_arg()]
    feed = "".join(json.dumps(c) + "\n" for c in cases)
    proc = subprocess.run(cmd, input=feed, capture_output=True, text=True, timeout=120)
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    if len(lines) != len(cases):
        raise AssertionError("symtri batch (exit %d) gave %d lines for %d cases: %s"
                             % (proc.returncode, len(lines), len(cases), proc.stderr[-500:]))
    return [json.loads(l) for l in lines]


class SafetyProperties(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        exe = symtri_bin()
        if not os.access(exe, os.X_OK):
            raise AssertionError("no symtri program at %s: build the project or set SYMTRI_BIN" % exe)
        cls.ruleset = load_ruleset(rules_arg() or os.path.join(REPO, "rules"))
        cls.levels = cls.ruleset["levels"] or LEVELS
        vocab = cls.ruleset["vocabulary"]
        conds = cls.ruleset["conditions"]
        cls.red_flag_rules = [r for r in cls.ruleset["rules"] if r["kind"] == "red_flag"]
        red = set()
        for r in cls.red_flag_rules:
            positive_findings(r["when"], conds, red)
        cls.red_flag_findings = sorted(red)
        ids = sorted(vocab)
        rng = random.Random(20261122)
        n = int(os.environ.get("SYMTRI_SAFETY_CASES", "3000"))
        cls.cases = [random_case(rng, vocab, ids, i) for i in range(n)]
        # Each case again with one more red-flag finding made present.
        cls.augmented = []
        for case in cls.cases:
            absent = [f for f in cls.red_flag_findings if not is_present(case["findings"].get(f))]
            extra = copy.deepcopy(case)
            added = rng.choice(absent)
            extra["findings"][added] = True
            extra["case_id"] = case["case_id"] + "+" + added
            cls.augmented.append(extra)
        cls.results = run_batch(cls.cases)
        cls.augmented_results = run_batch(cls.augmented)

    def rank(self, level):
        return self.levels.index(level)

    def all_pairs(self):
        return list(zip(self.cases, self.results)) + list(zip(self.augmented, self.augmented_results))

    def test_generated_cases_are_accepted(self):
        for case, result in self.all_pairs():
            self.assertNotIn("error", result, "valid case %s was rejected: %s" % (case["case_id"], result.get("error")))

    def test_vocabulary_has_red_flag_findings(self):
        self.assertGreater(len(self.red_flag_rules), 10)
        self.assertGreater(len(self.red_flag_findings), 20)

    def test_adding_a_red_flag_finding_never_lowers_the_level(self):
        for case, before, after in zip(self.augmented, self.results, self.augmented_results):
            self.assertGreaterEqual(
                self.rank(after["level"]), self.rank(before["level"]),
                "%s: level fell from %s to %s" % (after.get("case_id"), before["level"], after["level"]))

    def test_no_result_is_below_a_red_flag_it_reports(self):
        for case, result in self.all_pairs():
            for flag in result.get("red_flags", []):
                self.assertGreaterEqual(
                    self.rank(result["level"]), self.rank(flag["level"]),
                    "%s: level %s is below red flag %s (%s)" % (case["case_id"], result["level"], flag["rule"],
                                                               flag["level"]))

    def test_every_red_flag_that_holds_is_reported_and_sets_the_floor(self):
        conds = self.ruleset["conditions"]
        for case, result in self.all_pairs():
            reported = {f["rule"] for f in result.get("red_flags", [])}
            for rule in self.red_flag_rules:
                if evaluate(rule["when"], case, conds) is True:
                    self.assertIn(rule["id"], reported, "%s: red flag %s holds but is not reported"
                                  % (case["case_id"], rule["id"]))
                    self.assertGreaterEqual(self.rank(result["level"]), self.rank(rule["level"]),
                                            "%s: level %s is below red flag %s (%s)"
                                            % (case["case_id"], result["level"], rule["id"], rule["level"]))

    def test_every_result_has_a_disclaimer(self):
        for case, result in self.all_pairs():
            self.assertTrue(isinstance(result.get("disclaimer"), str) and result["disclaimer"].strip(),
                            "%s: no disclaimer" % case["case_id"])

    def test_answered_findings_are_never_asked_again(self):
        for case, result in self.all_pairs():
            answered = {f for f, v in case["findings"].items() if is_answered(v)}
            # attribute questions ask about an unknown attribute of a present finding, not the finding again
            asked = {q["finding"] for q in result.get("questions", []) if "attribute" not in q}
            self.assertFalse(answered & asked, "%s: asks again about %s" % (case["case_id"], sorted(answered & asked)))
            given = {(f, a) for f, v in case["findings"].items() if isinstance(v, dict) for a in v if a != "present"}
            asked_attributes = {(q["finding"], q["attribute"]) for q in result.get("questions", []) if "attribute" in q}
            self.assertFalse(given & asked_attributes,
                             "%s: asks again about %s" % (case["case_id"], sorted(given & asked_attributes)))

    def test_no_magnesium_recommendation_with_kidney_disease(self):
        checked = 0
        for case, result in self.all_pairs():
            if not is_present(case["findings"].get("kidney_disease")):
                continue
            checked += 1
            tagged = [r["rule"] for r in result.get("recommendations", []) if "magnesium" in r.get("tags", [])]
            self.assertEqual(tagged, [], "%s: magnesium advice shown with kidney disease" % case["case_id"])
        self.assertGreater(checked, 100)

    def test_questions_could_raise_the_level(self):
        for case, result in self.all_pairs():
            for q in result.get("questions", []):
                self.assertGreater(self.rank(q["could_raise_to"]), self.rank(result["level"]),
                                   "%s: question %s cannot raise the level" % (case["case_id"], q["finding"]))


if __name__ == "__main__":
    unittest.main()
