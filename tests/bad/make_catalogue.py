#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the bad-input catalogue's inputs: tests/bad/rules/* (bad rule sets) and tests/bad/cases/* (bad cases).

    python3 tests/bad/make_catalogue.py            # rewrite the input files from the lists below
    python3 tests/bad/make_catalogue.py --update BIN  # also record what BIN says about each in catalogue.json

catalogue.json holds, per input, the exact error expected (exit status, stderr, and for cases the error code
and JSON Pointer); test_bad.py checks every one. --update is for adding entries: read every changed
expectation before committing it, as a clear message naming the place and the problem is the point.

Huge inputs (200 MB, 100,000 levels deep) are not stored: catalogue.json describes them ("generate") and
test_bad.py writes them to a temporary directory.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def base():
    """A small valid root file; each bad rule set changes one thing."""
    return {
        "format": 1,
        "ruleset": {"id": "bad.base", "version": "1.0", "title": "Base", "authors": ["tests"],
                    "last_reviewed": "2026-01-01", "validation": "research", "license": "CC0-1.0",
                    "disclaimer": "Test rules, not medical advice."},
        "levels": [
            {"id": "low", "label": "Low", "action": "Rest.", "worse": "Book if worse."},
            {"id": "high", "label": "High", "action": "Go to hospital now.", "worse": "Call 999."},
        ],
        "vocabulary": {
            "back_pain": {"label": "Back pain", "question": "Do you have back pain?", "aliases": ["lumbago"]},
            "saddle_numbness": {"label": "Saddle numbness", "question": "Is the skin between your legs numb?"},
            "cramps": {"label": "Cramps", "question": "Do you have cramps?", "attributes": ["severity", "side", "character"],
                       "characters": ["band_like"]},
        },
        "rules": [
            {"id": "ces", "kind": "red_flag", "level": "high",
             "when": {"all": [{"finding": "back_pain"}, {"finding": "saddle_numbness"}]},
             "title": "Possible cauda equina syndrome", "advice": "Go to hospital now.",
             "citations": [{"title": "NICE CKS", "url": "https://cks.nice.org.uk/"}]},
            {"id": "stretch", "kind": "recommendation", "tags": ["exercise"], "when": {"finding": "cramps"},
             "title": "Stretch", "advice": "Stretch gently."},
        ],
    }


def dump(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def with_(change):
    d = base()
    change(d)
    return dump(d)


def rule(**kw):
    r = {"id": "extra", "kind": "info", "when": {"finding": "back_pain"}, "title": "Extra", "advice": "Extra advice."}
    r.update(kw)
    return r


def add_rule(**kw):
    return lambda d: d["rules"].append(rule(**kw))


def set_in(path, value):
    def change(d):
        x = d
        for k in path[:-1]:
            x = x[k]
        x[path[-1]] = value
    return change


def delete(path):
    def change(d):
        x = d
        for k in path[:-1]:
            x = x[k]
        del x[path[-1]]
    return change


def chain_of_refs(n):
    def change(d):
        d["conditions"] = {"c%d" % i: {"ref": "c%d" % (i + 1)} for i in range(n)}
        d["conditions"]["c%d" % n] = {"finding": "back_pain"}
        d["rules"].append(rule(when={"ref": "c0"}))
    return change


def doubling(n):
    def change(d):
        d["conditions"] = {"c0": {"finding": "back_pain"}}
        for i in range(1, n + 1):
            d["conditions"]["c%d" % i] = {"all": [{"ref": "c%d" % (i - 1)}, {"ref": "c%d" % (i - 1)}]}
        d["rules"].append(rule(when={"ref": "c%d" % n}))
    return change


VALID = dump(base())

# name -> text (bytes or str) of a one-file rule set; dicts of name -> text for a directory rule set.
RULES = {
    # --- not JSON at all
    "empty": "",
    "whitespace_only": " \n\t\n",
    "truncated": VALID[: len(VALID) // 2],
    "invalid_utf8": VALID.replace("Test rules", "Test \udcff rules").encode("utf-8", "surrogateescape"),
    "overlong_utf8": VALID.replace("Rest.", "Rest\udcc0\udcae").encode("utf-8", "surrogateescape"),
    "lone_surrogate_escape": VALID.replace("Rest.", "Rest \\ud800."),
    "bom_in_the_middle": VALID.replace('"levels"', '\ufeff"levels"'),
    "nan": VALID.replace('"format": 1', '"format": NaN'),
    "infinity": VALID.replace('"format": 1', '"format": -Infinity'),
    "number_too_large": VALID.replace('"format": 1', '"format": 1e400'),
    "leading_zero": VALID.replace('"format": 1', '"format": 01'),
    "duplicate_key": VALID.replace('"format": 1,', '"format": 1,\n "format": 1,'),
    "trailing_comma": VALID.replace('"Stretch gently."\n', '"Stretch gently.",\n'),
    "single_quotes": VALID.replace('"format"', "'format'"),
    "comment": "// rules\n" + VALID,
    "control_character": VALID.replace("Rest.", "Rest\t."),
    "garbage_after": VALID + "}\n",
    "top_level_array": "[" + VALID + "]\n",
    # --- wrong shape at the top
    "missing_format": with_(delete(["format"])),
    "format_2": with_(set_in(["format"], 2)),
    "format_string": with_(set_in(["format"], "1")),
    "missing_ruleset": with_(delete(["ruleset"])),
    "ruleset_is_array": with_(set_in(["ruleset"], [])),
    "unknown_top_key": with_(lambda d: d.update(rulez=[])),
    "bad_ruleset_id": with_(set_in(["ruleset", "id"], "Bad Id")),
    "bad_date": with_(set_in(["ruleset", "last_reviewed"], "2026-13-01")),
    "bad_validation": with_(set_in(["ruleset", "validation"], "prod")),
    "no_authors": with_(set_in(["ruleset", "authors"], [])),
    "empty_levels": with_(set_in(["levels"], [])),
    "duplicate_level": with_(lambda d: d["levels"].append(dict(d["levels"][1]))),
    "level_without_action": with_(delete(["levels", 0, "action"])),
    "bad_indicator": with_(set_in(["levels", 1, "indicator"], "red")),
    # --- vocabulary
    "vocabulary_is_array": with_(set_in(["vocabulary"], [])),
    "bad_finding_id": with_(lambda d: d["vocabulary"].update({"Back Pain": {"label": "B", "question": "B?"}})),
    "finding_without_question": with_(delete(["vocabulary", "cramps", "question"])),
    "alias_clash": with_(set_in(["vocabulary", "cramps", "aliases"], ["back_pain"])),
    "unknown_attribute_name": with_(set_in(["vocabulary", "cramps", "attributes"], ["sidee"])),
    "text_without_english": with_(set_in(["vocabulary", "cramps", "label"], {"fr": "Crampes"})),
    "bad_locale_tag": with_(set_in(["vocabulary", "cramps", "label"], {"en": "Cramps", "EN_us": "Cramps"})),
    "empty_title": with_(set_in(["rules", 1, "title"], "")),
    # --- rules
    "unknown_finding": with_(set_in(["rules", 0, "when", "all", 1, "finding"], "sadle_numbness")),
    "unknown_level": with_(set_in(["rules", 0, "level"], "hihg")),
    "unknown_kind": with_(set_in(["rules", 1, "kind"], "recomendation")),
    "red_flag_without_citations": with_(delete(["rules", 0, "citations"])),
    "red_flag_at_lowest_level": with_(set_in(["rules", 0, "level"], "low")),
    "red_flag_without_level": with_(delete(["rules", 0, "level"])),
    "citation_not_http": with_(set_in(["rules", 0, "citations", 0, "url"], "ftp://example.org/x")),
    "duplicate_rule_id": with_(add_rule(id="ces")),
    "unknown_rule_key": with_(add_rule(advise="x")),
    "priority_not_integer": with_(add_rule(priority=1.5)),
    "wrong_types_everywhere": with_(lambda d: d["rules"].append(
        {"id": 7, "kind": ["info"], "when": "back_pain", "title": 5, "advice": None, "tags": "x", "icd10": [1]})),
    "too_many_errors": with_(lambda d: d["rules"].extend(rule(id="r%d" % i, when={"finding": "nope%d" % i}) for i in range(60))),
    # --- conditions
    "condition_not_object": with_(add_rule(when="back_pain")),
    "condition_two_forms": with_(add_rule(when={"all": [{"finding": "cramps"}], "any": [{"finding": "cramps"}]})),
    "condition_no_form": with_(add_rule(when={"findng": "cramps"})),
    "empty_all": with_(add_rule(when={"all": []})),
    "at_least_too_many": with_(add_rule(when={"at_least": 3, "of": [{"finding": "cramps"}, {"finding": "back_pain"}]})),
    "at_least_over_65535": with_(add_rule(when={"at_least": 70000, "of": [{"finding": "cramps"}]})),
    "severity_out_of_range": with_(add_rule(when={"finding": "cramps", "severity": {">": 11}})),
    "unknown_comparison": with_(add_rule(when={"finding": "cramps", "severity": {"=>": 3}})),
    "attribute_not_taken": with_(add_rule(when={"finding": "cramps", "onset": "sudden"})),
    "invalid_side": with_(add_rule(when={"finding": "cramps", "side": "up"})),
    "unknown_character": with_(add_rule(when={"finding": "cramps", "character": "throbbing"})),
    "present_false_with_attribute": with_(add_rule(when={"finding": "cramps", "present": False, "side": "left"})),
    "unknown_condition_ref": with_(add_rule(when={"ref": "cauda"})),
    "condition_cycle": with_(lambda d: (d.update(conditions={"a": {"ref": "b"}, "b": {"any": [{"ref": "a"}]}}),
                                        d["rules"].append(rule(when={"ref": "a"})))),
    "ref_chain_too_deep": with_(chain_of_refs(70)),
    "exponential_condition": with_(doubling(25)),
    # --- conditions that can never be true, rules that shadow each other
    "never_true_range": with_(add_rule(when={"finding": "cramps", "severity": {">": 7, "<": 3}})),
    "never_true_present_and_absent": with_(add_rule(
        when={"all": [{"finding": "cramps"}, {"finding": "cramps", "present": False}]})),
    "never_true_sides": with_(add_rule(
        when={"all": [{"finding": "cramps", "side": "left"}, {"finding": "cramps", "side": "right"}]})),
    "never_true_ages": with_(add_rule(when={"all": [{"age": {">=": 65}}, {"age": {"<": 18}}]})),
    "never_true_through_named": with_(lambda d: (d.update(conditions={"old": {"age": {">": 80}}}),
                                                 d["rules"].append(rule(when={"all": [{"ref": "old"}, {"age": {"<": 30}}]})))),
    "duplicate_rule": with_(lambda d: d["rules"].append(dict(d["rules"][0], id="ces_copy"))),
    "recommendation_always_blocked": with_(lambda d: d["rules"].append(
        {"id": "no_stretch", "kind": "caution", "when": {"finding": "cramps"}, "blocks": {"rules": ["stretch"]},
         "title": "No stretching", "advice": "Do not stretch."})),
    # --- blocks and tests
    "caution_blocks_red_flag": with_(add_rule(kind="caution", blocks={"rules": ["ces"]})),
    "blocks_unknown_rule": with_(add_rule(kind="caution", blocks={"rules": ["strech"]})),
    "blocks_unknown_tag": with_(add_rule(kind="caution", blocks={"tags": ["magnesium"]})),
    "blocks_on_a_recommendation": with_(add_rule(kind="recommendation", blocks={"tags": ["exercise"]})),
    "test_expects_unknown_rule": with_(lambda d: d.update(tests=[
        {"name": "t", "case": {"findings": {"cramps": True}}, "expect": {"fires": ["strech"]}}])),
    "duplicate_test_name": with_(lambda d: d.update(tests=[
        {"name": "t", "case": {}, "expect": {"level": "low"}}, {"name": "t", "case": {}, "expect": {"level": "low"}}])),
    "test_unknown_expectation": with_(lambda d: d.update(tests=[
        {"name": "t", "case": {}, "expect": {"levle": "low"}}])),
    # --- includes (directories: the root is index.json)
    "include_cycle": {"index.json": with_(set_in(["include"], ["a.json"])),
                      "a.json": '{"format": 1, "include": ["b.json"]}\n',
                      "b.json": '{"format": 1, "include": ["a.json"]}\n'},
    "include_outside": {"index.json": with_(set_in(["include"], ["../outside_part.json"]))},
    "include_absolute": {"index.json": with_(set_in(["include"], ["/etc/passwd"]))},
    "include_missing": {"index.json": with_(set_in(["include"], ["parts/missing.json"]))},
    "include_not_array": {"index.json": with_(set_in(["include"], "parts/"))},
    "include_empty_directory": {"index.json": with_(set_in(["include"], ["empty/"])), "empty/README": "nothing here\n"},
    "included_file_has_levels": {"index.json": with_(set_in(["include"], ["part.json"])),
                                 "part.json": '{"format": 1, "levels": []}\n'},
    "included_file_not_object": {"index.json": with_(set_in(["include"], ["part.json"])), "part.json": '"rules"\n'},
    "included_file_bad_json": {"index.json": with_(set_in(["include"], ["part.json"])),
                               "part.json": '{"format": 1,\n "rules": [\n'},
    "directory_without_index": {"rules.json": VALID},
}

# A file outside every rule-set folder, for include_outside (not itself an entry).
OUTSIDE = {"outside_part.json": '{"format": 1}\n'}

# Generated at test time (too big to store), or using the CLI's limit options on a stored input.
RULES_SPECIAL = [
    {"name": "nesting_100000_deep", "generate": {"kind": "nesting", "depth": 100000}},
    {"name": "file_of_200_mb", "generate": {"kind": "big", "bytes": 200 * 1000 * 1000}},
    {"name": "device_file", "path": "/dev/zero"},
    {"name": "limit_max_rules", "input": "rules/duplicate_rule_id.json", "args": ["--max-rules", "2"]},
    {"name": "limit_max_depth", "input": "rules/condition_two_forms.json", "args": ["--max-depth", "4"]},
    {"name": "limit_max_file_bytes", "input": "rules/empty_title.json", "args": ["--limit", "max_file_bytes=1K"]},
]


def case(findings=None, **kw):
    c = {"case_id": "bad"}
    if findings is not None:
        c["findings"] = findings
    c.update(kw)
    return json.dumps(c) + "\n"


GOOD = case({"sciatica": {"present": True, "side": "left", "duration_days": 30}}, patient={"age": 40, "sex": "female"})

CASES = {
    # --- not JSON
    "empty": "",
    "whitespace_only": "  \n",
    "truncated": '{"case_id": "bad", "findings": {"sciatica": tr',
    "invalid_utf8": b'{"case_id": "bad \xff", "findings": {}}\n',
    "overlong_utf8": b'{"case_id": "bad \xc0\xaf", "findings": {}}\n',
    "lone_surrogate_escape": '{"case_id": "bad \\udc00", "findings": {}}\n',
    "bom_in_the_middle": '{"case_id": "bad", \ufeff"findings": {}}\n',
    "nan": '{"case_id": "bad", "patient": {"age": NaN}}\n',
    "infinity": '{"case_id": "bad", "findings": {"sciatica": {"present": true, "duration_days": Infinity}}}\n',
    "number_too_large": '{"case_id": "bad", "patient": {"age": 1e999}}\n',
    "duplicate_key": '{"case_id": "bad", "findings": {"fever": true, "fever": false}}\n',
    "duplicate_case_id": '{"case_id": "a", "case_id": "b"}\n',
    "trailing_comma": '{"case_id": "bad", "findings": {"fever": true,}}\n',
    "single_quotes": "{'case_id': 'bad'}\n",
    "garbage_after": GOOD.strip() + " x\n",
    "two_cases": GOOD.strip() + GOOD,
    "control_character": '{"case_id": "bad\tcase"}\n',
    "nesting_17_deep": '{"case_id": "bad", "findings": {"fever": ' + "[" * 15 + "]" * 15 + "}}\n",
    # --- wrong shape
    "top_level_array": "[" + GOOD.strip() + "]\n",
    "top_level_string": '"fever"\n',
    "case_id_number": '{"case_id": 7}\n',
    "unknown_top_key": '{"case_id": "bad", "finding": {"fever": true}}\n',
    "patient_not_object": case({}, patient="adult"),
    "unknown_patient_key": case({}, patient={"gender": "female"}),
    "age_negative": case({}, patient={"age": -1}),
    "age_too_high": case({}, patient={"age": 131}),
    "age_string": case({}, patient={"age": "40"}),
    "sex_invalid": case({}, patient={"sex": "femal"}),
    "findings_array": '{"case_id": "bad", "findings": ["fever"]}\n',
    "locale_number": case({}, locale=44),
    # --- findings
    "unknown_finding": case({"sciatica": True, "sadle_numbness": True}),
    "unknown_finding_far": case({"xyzzy": True}),
    "finding_given_twice": case({"sciatica": True, "sciatic_pain": False}),
    "finding_string": case({"fever": "yes"}),
    "finding_number": case({"fever": 1}),
    "finding_without_present": case({"sciatica": {"side": "left"}}),
    "present_string": case({"sciatica": {"present": "true"}}),
    "unknown_attribute": case({"sciatica": {"present": True, "sidee": "left"}}),
    "attribute_not_taken": case({"recent_trauma": {"present": True, "side": "left"}}),
    "side_invalid": case({"sciatica": {"present": True, "side": "up"}}),
    "sites_not_array": case({"tingling": {"present": True, "sites": "hands"}}),
    "site_unknown": case({"tingling": {"present": True, "sites": ["hands", "knee"]}}),
    "onset_invalid": case({"headache": {"present": True, "onset": "slow"}}),
    "trend_invalid": case({"sciatica": {"present": True, "trend": "better"}}),
    "duration_negative": case({"sciatica": {"present": True, "duration_days": -3}}),
    "duration_string": case({"sciatica": {"present": True, "duration_days": "3 weeks"}}),
    "severity_too_high": case({"sciatica": {"present": True, "severity": 11}}),
    "severity_fraction": case({"sciatica": {"present": True, "severity": 5.5}}),
    "at_night_string": case({"low_back_pain": {"present": True, "at_night": "yes"}}),
    "character_not_an_id": case({"headache": {"present": True, "character": "Band Like"}}),
}

CASES_SPECIAL = [
    {"name": "nesting_100000_deep", "generate": {"kind": "nesting", "depth": 100000}},
    {"name": "case_of_200_mb", "generate": {"kind": "big", "bytes": 200 * 1000 * 1000}},
    {"name": "case_just_over_1_mib", "generate": {"kind": "big", "bytes": (1 << 20) + 1}},
    {"name": "limit_max_case_bytes", "input": "cases/unknown_finding.json", "args": ["--max-case-bytes", "16"]},
    {"name": "limit_max_case_depth", "input": "cases/finding_without_present.json", "args": ["--max-case-depth", "2"]},
]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))


def write_inputs():
    for name, text in RULES.items():
        if isinstance(text, dict):
            for fname, ftext in text.items():
                write(os.path.join(HERE, "rules", name, fname), ftext)
        else:
            write(os.path.join(HERE, "rules", name + ".json"), text)
    for name, text in OUTSIDE.items():
        write(os.path.join(HERE, "rules", name), text)
    for name, text in CASES.items():
        write(os.path.join(HERE, "cases", name + ".json"), text)


def entries():
    out = []
    for name, text in RULES.items():
        out.append({"name": name, "kind": "rules", "input": "rules/" + name + ("" if isinstance(text, dict) else ".json")})
    out += [dict(e, kind="rules") for e in RULES_SPECIAL]
    for name in CASES:
        out.append({"name": name, "kind": "case", "input": "cases/" + name + ".json"})
    out += [dict(e, kind="case") for e in CASES_SPECIAL]
    return out


def main():
    write_inputs()
    if len(sys.argv) >= 3 and sys.argv[1] == "--update":
        sys.path.insert(0, HERE)
        import test_bad  # noqa: E402  (runs an entry the way the test does)
        old = {}
        path = os.path.join(HERE, "catalogue.json")
        if os.path.exists(path):
            old = {e["name"] + "/" + e["kind"]: e for e in json.load(open(path))["entries"]}
        result = []
        for e in entries():
            got = test_bad.run_entry(sys.argv[2], e)
            e.update(expect=got["expect"])
            prev = old.get(e["name"] + "/" + e["kind"])
            if prev and prev.get("expect") != e["expect"]:
                print("changed:", e["name"], json.dumps(e["expect"], ensure_ascii=False))
            elif not prev:
                print("new:", e["name"], json.dumps(e["expect"], ensure_ascii=False))
            result.append(e)
        doc = {"$comment": "The bad-input catalogue: each input and the exact error it must give. "
                           "Checked by test_bad.py; inputs written by make_catalogue.py.",
               "entries": result}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(len([e for e in result if e["kind"] == "rules"]), "rule sets,",
              len([e for e in result if e["kind"] == "case"]), "cases")


if __name__ == "__main__":
    main()
