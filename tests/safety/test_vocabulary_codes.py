# SPDX-License-Identifier: Apache-2.0
"""The shipped vocabulary's coded concepts (rules/vocabulary.json, `codes`) are well-formed.

`symtri serve` maps an EHR's FHIR Conditions and Observations to findings through these codes
(docs/service.md), so a mistyped code would send a clinician's record to the wrong finding, or to none.
The codes could not be checked against the SNOMED CT browser from the build machine; what can be
checked offline is checked here: every SNOMED CT code is a concept identifier (digits, 6 to 18 of
them, no leading zero, partition identifier 00 = concept) whose last digit is its Verhoeff check
digit, as the SNOMED CT Technical Implementation Guide (section 6.5, "Check-digit") defines. A typo in
one digit, or two neighbouring digits swapped, fails the check digit. No code is given to two findings.
"""
import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
VOCABULARY = os.path.join(HERE, "..", "..", "rules", "vocabulary.json")
SNOMED = "http://snomed.info/sct"

# Verhoeff's dihedral-group tables (multiplication and position permutation).
_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def verhoeff_ok(digits):
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def concept_id_problem(code):
    """Why `code` is not a well-formed SNOMED CT concept id, or None."""
    if not code.isdigit() or not 6 <= len(code) <= 18 or code[0] == "0":
        return "not 6 to 18 digits without a leading zero"
    if code[-3:-1] not in ("00", "10"):  # 00: concept (core), 10: concept (extension)
        return "partition identifier %s is not a concept's" % code[-3:-1]
    if not verhoeff_ok(code):
        return "its check digit is wrong (Verhoeff)"
    return None


class CheckDigitTest(unittest.TestCase):
    """The checker itself fails on what it must catch (so the test below can fail)."""

    def test_known_concepts_pass(self):
        for code in ("25064002", "386661006", "279039007"):  # headache, fever, low back pain
            self.assertIsNone(concept_id_problem(code), code)

    def test_typos_fail(self):
        self.assertIsNotNone(concept_id_problem("25064003"))   # last digit changed
        self.assertIsNotNone(concept_id_problem("25604002"))   # two digits swapped
        self.assertIsNotNone(concept_id_problem("386661016"))  # partition 01: a description id
        self.assertIsNotNone(concept_id_problem("0386661006"))
        self.assertIsNotNone(concept_id_problem("headache"))


class ShippedCodesTest(unittest.TestCase):
    def test_every_snomed_code_is_a_well_formed_concept_id(self):
        with open(VOCABULARY, encoding="utf-8") as f:
            vocabulary = json.load(f)["vocabulary"]
        seen, checked = {}, 0
        for finding, entry in vocabulary.items():
            for coding in entry.get("codes", []):
                key = (coding["system"], coding["code"])
                self.assertNotIn(key, seen, "%s|%s is given to %s and %s" % (key + (seen.get(key), finding)))
                seen[key] = finding
                if coding["system"] != SNOMED:
                    continue
                problem = concept_id_problem(coding["code"])
                self.assertIsNone(problem, "%s: SNOMED CT code %s (%s): %s" % (finding, coding["code"],
                                                                               coding.get("display", ""), problem))
                checked += 1
        self.assertGreater(checked, 0, "the shipped vocabulary has SNOMED CT codes")


if __name__ == "__main__":
    unittest.main()
