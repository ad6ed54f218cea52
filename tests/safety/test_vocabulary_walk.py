# SPDX-License-Identifier: Apache-2.0
"""Walks the whole vocabulary of the shipped rule set: every finding, answered yes on its own.

Standard library only. For every finding in the rule files it computes the highest level any rule reading that
finding (as present) can set, triages {"findings": {f: true}} with nothing else (no other findings, no patient
data) and checks:

  1. every finding is classified: it is in FLOORS (its single-yes level must be at least the floor) or in
     EXCEPTIONS (its single-yes level may be lower than the highest level it can lead to, for the reason logged
     under the given hazard id in docs/clinical-safety.md). A new finding in neither table fails, so every new
     finding must be classified by whoever adds it;
  2. a finding that can lead to emergency or ambulance and is not an exception has a floor of at least same_day
     unless its comment says why (issue 15: "a question that says 'if yes, up to: call an ambulance' must not lead
     to self-care");
  3. every exception's hazard id exists in the hazard log;
  4. urgent-first ordering works at every level above routine: every rule that can set soon or above has its
     condition listed in the named condition the matching caution reads (urgent_red_flag_signs for same_day and
     above, soon_red_flag_signs for soon), and no single-yes result above routine shows a recommendation tagged
     `referral` or `plan` ("book a routine appointment", the 4-week plan).

Environment (as tests/safety/test_safety_properties.py):
  SYMTRI_BIN    the program (default build/bin/symtri)
  SYMTRI_RULES  the rule set passed with --rules (default: the source rules/ directory of this repository, so the
                test checks the files, not whatever set was compiled into the program)
"""
import json
import os
import re
import subprocess
import unittest

from test_safety_properties import LEVELS, REPO, load_ruleset, positive_findings, symtri_bin


def rules_dir():
    path = os.environ.get("SYMTRI_RULES") or os.path.join(REPO, "rules")
    return path if os.path.isabs(path) or os.path.exists(path) else os.path.join(REPO, path)


# The level a single "yes" must reach at least. Each floor names its guideline.
FLOORS = {
    # --- stroke (FAST and its variants): NICE NG128
    "facial_droop": "ambulance",               # NICE NG128 (FAST)
    "speech_difficulty": "ambulance",          # NICE NG128 (FAST); the question asks about sudden speech change, and an
                                               # unknown onset is FAST (gradual: soon, NG127/NG12; H25)
    "sudden_one_sided_weakness": "ambulance",  # NICE NG128 (FAST; one-sided weakness, numbness or tingling)
    "sudden_unsteadiness": "ambulance",        # NICE NG128 (sudden loss of balance; posterior circulation)
    # --- breathing, heart, consciousness
    "breathing_difficulty": "emergency",       # NHS shortness of breath; NICE NG51 (the rule sets ambulance)
    "chest_pain": "emergency",                 # NICE CG95
    "confusion": "emergency",                  # NICE NG51 (new altered mental state); NICE NG240
    "fainting": "same_day",                    # NICE CG109: everyone with a blackout needs an ECG and assessment
    "irregular_heartbeat": "soon",             # NHS heart palpitations: see a GP; emergency only with chest pain,
                                               # breathlessness or fainting (each asked on its own)
    # --- nerves and spine
    "ascending_weakness": "emergency",         # NICE NG127 (Guillain-Barre)
    "swallowing_difficulty": "same_day",       # BRIEF "life threats on their own"; NICE NG12 / NG127
    "saddle_numbness": "emergency",            # NICE CKS sciatica; NICE NG127 (cauda equina)
    "urinary_retention": "same_day",           # BRIEF; NICE CG97 (acute retention), CKS sciatica
    "bowel_incontinence": "soon",              # NICE CG49; with back pain -> emergency (cauda equina)
    "urinary_incontinence": "routine",         # NICE NG123; with back pain -> emergency (cauda equina)
    "foot_drop": "same_day",                   # NICE CKS sciatica
    "unsteady_walking": "same_day",            # PMC5737310 (myelopathy); sudden onset -> ambulance (NICE NG128),
                                               # and sudden_unsteadiness is its own finding
    # --- head and eyes
    "non_blanching_rash": "emergency",         # NICE NG240
    "thunderclap_headache": "emergency",       # NICE CG150; SNNOOP10
    "vision_change": "emergency",              # NHS vision loss; NICE NG128 (sudden visual loss)
    "painful_red_eye": "same_day",             # NHS red eye (urgent same-day eye assessment); CG150
    # --- findings whose rules never go above same_day: no life-threat floor, the complaint rules apply
    "muscle_tightness": "self_care",
    "muscle_spasm": "self_care",
    "muscle_cramps": "self_care",              # NICE CKS leg cramps: cramps alone are self-care
    "burning_pain": "self_care",
    "stress": "self_care",
    "poor_sleep": "self_care",
    "fatigue": "self_care",
    "new_headache_pattern": "self_care",       # soon needs a headache and age >= 50 (CG150, SNNOOP10)
    "headache_cough_exertion": "self_care",
    "headache_positional": "self_care",
    "face_hands_swelling": "self_care",        # same_day needs pregnancy (NICE NG133)
    "clumsy_hands": "self_care",
    "muscle_wasting": "self_care",
    "fasciculations": "self_care",
    "unexplained_weight_loss": "self_care",
    "night_pain": "self_care",
    "recent_trauma": "self_care",
    "osteoporosis": "self_care",
    "long_term_steroids": "self_care",
    "immunosuppression": "self_care",
    "iv_drug_use": "self_care",
    "diabetes": "self_care",
    "pregnancy": "self_care",
    "diarrhoea": "self_care",
    "asks_about_magnesium": "self_care",
    "bisphosphonate_use": "self_care",
    "tetracycline_or_quinolone_use": "self_care",
    "diuretic_use": "self_care",
    "ppi_use": "self_care",
}

# Findings that can lead to emergency or ambulance together with other findings, but on their own give less.
# Each names the hazard in docs/clinical-safety.md that says why.
EXCEPTIONS = {
    # H23: a common complaint; the emergency level needs a second finding that the interview asks for it.
    "low_back_pain": "H23",
    "sciatica": "H23",
    "neck_pain": "H23",
    "neck_stiffness": "H23",
    "tingling": "H23",      # sudden one-sided tingling is FAST through its onset and side
    "numbness": "H23",
    "weakness": "H23",      # alone: routine (weakness_check)
    "headache": "H23",
    "fever": "H23",         # NICE NG240: fever alone is not meningitis
    "vomiting": "H23",
    "calf_swelling": "H23",  # alone: routine; one side -> same_day; with breathlessness -> emergency
    # H24: a history or context finding; it changes the level only together with a complaint.
    "cancer_history": "H24",
    "kidney_disease": "H24",
    "magnesium_supplement_use": "H24",
    "magnesium_high_dose": "H24",
    "head_injury_recent": "H24",
    "sexual_dysfunction": "H24",
    "jaw_claudication": "H24",   # giant cell arteritis needs age >= 50, which cannot be asked (H18)
    "scalp_tenderness": "H24",
}

SAFETY_NET_MINIMUM = "same_day"   # floor for a finding that can reach emergency, unless listed below
LOWER_FLOORS_ALLOWED = {"irregular_heartbeat", "bowel_incontinence", "urinary_incontinence"}


def rank(level):
    return LEVELS.index(level)


def highest_reading_levels(rs):
    """finding -> the highest level of any rule (of any kind) with a level whose condition reads it as present."""
    out = {}
    for rule in rs["rules"]:
        level = rule.get("level")
        if level is None:
            continue
        for f in positive_findings(rule["when"], rs["conditions"], set()):
            if f not in out or rank(level) > rank(out[f]):
                out[f] = level
    return out


class VocabularyWalk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = rules_dir()
        cls.rs = load_ruleset(cls.rules)
        cls.vocabulary = list(cls.rs["vocabulary"])
        cls.highest = highest_reading_levels(cls.rs)
        feed = "".join(json.dumps({"case_id": f, "findings": {f: True}}) + "\n" for f in cls.vocabulary)
        p = subprocess.run([symtri_bin(), "batch", "--rules", cls.rules], input=feed, capture_output=True,
                           text=True, timeout=300)
        lines = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        if len(lines) != len(cls.vocabulary):
            raise AssertionError("symtri batch gave %d lines for %d cases: %s"
                                 % (len(lines), len(cls.vocabulary), p.stderr[-500:]))
        cls.results = dict(zip(cls.vocabulary, lines))
        with open(os.path.join(REPO, "docs", "clinical-safety.md"), encoding="utf-8") as f:
            cls.hazard_ids = set(re.findall(r"^\| (H\d+) \|", f.read(), re.M))

    def test_every_finding_is_classified(self):
        missing = [f for f in self.vocabulary if f not in FLOORS and f not in EXCEPTIONS]
        self.assertEqual(missing, [], "findings in neither FLOORS nor EXCEPTIONS: classify them in this test")
        both = sorted(set(FLOORS) & set(EXCEPTIONS))
        self.assertEqual(both, [], "findings in both tables")
        stale = sorted((set(FLOORS) | set(EXCEPTIONS)) - set(self.vocabulary))
        self.assertEqual(stale, [], "table entries that are not in the vocabulary")

    def test_single_yes_reaches_its_floor(self):
        for f, floor in FLOORS.items():
            if f not in self.results:
                continue
            with self.subTest(finding=f):
                r = self.results[f]
                self.assertNotIn("error", r, r.get("error"))
                self.assertGreaterEqual(rank(r["level"]), rank(floor),
                                        "%s alone gives %s, below its floor %s" % (f, r["level"], floor))

    def test_life_threat_findings_have_a_safety_net(self):
        for f in self.vocabulary:
            top = self.highest.get(f, LEVELS[0])
            if rank(top) < rank("emergency") or f in EXCEPTIONS:
                continue
            with self.subTest(finding=f, can_reach=top):
                self.assertIn(f, FLOORS)
                if f not in LOWER_FLOORS_ALLOWED:
                    self.assertGreaterEqual(rank(FLOORS[f]), rank(SAFETY_NET_MINIMUM),
                                            "%s can lead to %s but its floor is %s" % (f, top, FLOORS[f]))
                # the safety net is a red flag that fires on the finding alone (citations: the test below)
                if rank(FLOORS[f]) >= rank("soon"):
                    self.assertTrue(self.results[f]["red_flags"], "%s alone fires no red flag" % f)

    def test_exceptions_name_a_logged_hazard(self):
        for f, hazard in EXCEPTIONS.items():
            with self.subTest(finding=f):
                self.assertIn(hazard, self.hazard_ids, "hazard %s is not in docs/clinical-safety.md" % hazard)
                self.assertGreaterEqual(rank(self.highest.get(f, LEVELS[0])), rank("emergency"),
                                        "%s cannot lead to emergency: move it to FLOORS" % f)

    def test_red_flags_alone_cite_sources(self):
        for f, r in self.results.items():
            for flag in r.get("red_flags", []):
                with self.subTest(finding=f, rule=flag["rule"]):
                    self.assertTrue(flag.get("citations"), "red flag %s has no citation" % flag["rule"])

    def test_urgent_first_lists_every_rule_above_routine(self):
        conditions = self.rs["conditions"]
        urgent = conditions["urgent_red_flag_signs"]["any"]
        soon = conditions["soon_red_flag_signs"]["any"]
        for rule in self.rs["rules"]:
            level = rule.get("level")
            if level is None or rank(level) < rank("soon"):
                continue
            with self.subTest(rule=rule["id"], level=level):
                listed = urgent if rank(level) >= rank("same_day") else soon
                self.assertIn(rule["when"], listed,
                              "%s (%s): add its condition to %s" % (rule["id"], level,
                                                                    "urgent_red_flag_signs" if listed is urgent
                                                                    else "soon_red_flag_signs"))

    def test_no_routine_appointment_advice_above_routine(self):
        for f, r in self.results.items():
            if rank(r["level"]) <= rank("routine"):
                continue
            with self.subTest(finding=f, level=r["level"]):
                shown = [x["rule"] for x in r.get("recommendations", [])
                         if {"referral", "plan"} & set(x.get("tags", []))]
                self.assertEqual(shown, [], "routine-appointment advice shown at %s" % r["level"])

    def triage(self, case):
        p = subprocess.run([symtri_bin(), "triage", "--rules", self.rules, "-"], input=json.dumps(case),
                           capture_output=True, text=True, timeout=60)
        return json.loads(p.stdout)

    def test_gradual_speech_difficulty_is_not_fast(self):
        """Hazard H25, closed in round 3: speech difficulty with a sudden or unknown onset calls an ambulance
        (stroke_fast_speech reads onset ["sudden", null]); a gradual onset is soon (speech_difficulty_gradual,
        NICE NG127 / NG12), not FAST."""
        for onset, level, rule in ((None, "ambulance", "stroke_fast_speech"), ("sudden", "ambulance", "stroke_fast_speech"),
                                   ("gradual", "soon", "speech_difficulty_gradual")):
            with self.subTest(onset=onset):
                finding = {"present": True} if onset is None else {"present": True, "onset": onset}
                r = self.triage({"findings": {"speech_difficulty": finding}})
                self.assertEqual(r["level"], level)
                self.assertIn(rule, [f["rule"] for f in r["red_flags"]])
        self.assertIn("H25", self.hazard_ids)

if __name__ == "__main__":
    unittest.main()
