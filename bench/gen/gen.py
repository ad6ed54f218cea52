#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates benchmark data in symtri's formats (docs/rules-format.md, CONTRACT.md section 2).

    gen.py rules --n 100000 --out DIR [--minify]   rule set of N rules: DIR/index.json + DIR/parts/*.json
    gen.py cases --rules PATH --n 1000000 --out FILE.jsonl [--kind typical|findings|empty] [--max-finding K]
    gen.py examples --out DIR                  one typical, red-flag, findings-only and empty case for the
                                               generated sets (every size understands them)

Deterministic: the same arguments always give the same bytes (seeded). Python 3 standard library only.

The generated rule sets model a large triage knowledge base: the vocabulary grows with the rules
(max(100, N/10) findings), each rule reads 2-4 findings, so every finding is read by about 30 rules
whatever N is, and a case that answers the same findings touches about the same number of rules at
1k, 10k and 100k rules. Rule 0 of every size is an `ambulance` red flag on f00000 and f00001, so the
red-flag example case fires at every size. About 2% of the rules also test age or sex.
"""
import argparse
import json
import os
import random
import sys

LEVELS = [
    ("self_care", "Self-care", "Look after yourself at home.", "If it gets worse, book an appointment.", "info"),
    ("routine", "Routine", "Book a routine appointment if it persists or recurs.", "If it gets worse, see a clinician soon.", "info"),
    ("soon", "Soon", "See a clinician within about 2-14 days.", "If it gets worse, see a clinician today.", "warning"),
    ("same_day", "Same day", "See a clinician today.", "If it gets worse, go to an emergency department.", "warning"),
    ("emergency", "Emergency", "Go to an emergency department now.", "If it gets worse, call the emergency number.", "critical"),
    ("ambulance", "Ambulance", "Call the emergency number now.", "Call the emergency number now.", "critical"),
]
TAGS = ["tag%02d" % i for i in range(20)]
WORDS = ("pain stiffness weakness tingling numbness cramps spasm fatigue sleep stress back neck head leg arm "
         "shoulder worsening sudden constant night rest exercise stretch heat ice review clinician").split()


def fid(i):
    return "f%05d" % i


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def leaf(rng, f, allow_patient):
    r = rng.random()
    if allow_patient and r < 0.02:
        return {"age": {">=": rng.choice([40, 50, 60, 65])}} if rng.random() < 0.7 else {"sex": rng.choice(["female", "male"])}
    r = rng.random()
    if r < 0.55:
        return {"finding": f}
    if r < 0.70:
        return {"finding": f, "severity": {">=": rng.randint(3, 8)}}
    if r < 0.80:
        return {"finding": f, "duration_days": {">=": rng.choice([3, 7, 14, 28, 42, 90])}}
    if r < 0.92:
        return {"finding": f, "present": False}
    return {"finding": f, "side": rng.choice([["left"], ["right"], ["left", "right"], "both"])}


def condition(rng, nfind):
    k = rng.choice([2, 3, 3, 4])
    fs = rng.sample(range(nfind), k)
    # At most one age/sex test per rule: two could contradict each other (sex female and male), which
    # the compiler rightly rejects as a condition that can never be true.
    leaves = []
    for f in fs:
        x = leaf(rng, fid(f), not any("age" in l or "sex" in l for l in leaves))
        leaves.append(x)
    if k >= 3 and rng.random() < 0.2:  # all(a, any(b, c, ...))
        return {"all": [leaves[0], {"any": leaves[1:]}]}
    if rng.random() < 0.05:
        return {"at_least": 2, "of": leaves}
    return {"all": leaves}


def gen_rules(n, out, seed=1, per_file=5000, minify=False):
    rng = random.Random(seed)
    nfind = max(100, n // 10)
    vocab = {}
    for i in range(nfind):
        vocab[fid(i)] = {
            "label": "Finding %d: %s" % (i, sentence(rng, 3)[:-1].lower()),
            "question": "Do you have finding %d (%s)?" % (i, " ".join(rng.choice(WORDS) for _ in range(3))),
            "group": "g%02d" % (i % 40),
        }
    rules = []
    recommendations = []
    for r in range(n):
        rid = "r%06d" % r
        if r == 0:
            rule = {"id": rid, "kind": "red_flag", "level": "ambulance", "priority": 100,
                    "when": {"all": [{"finding": fid(0)}, {"finding": fid(1)}]},
                    "title": "Red flag 0: f00000 with f00001", "advice": "Call the emergency number now.",
                    "citations": [{"title": "Generated guideline 0", "url": "https://example.org/guideline/0"}]}
            rules.append(rule)
            continue
        x = rng.random()
        rule = {"id": rid}
        if x < 0.10:
            rule["kind"] = "red_flag"
            rule["level"] = rng.choice(["soon", "soon", "same_day", "same_day", "emergency", "ambulance"])
            rule["priority"] = rng.randint(0, 100)
        elif x < 0.70:
            rule["kind"] = "recommendation"
            if rng.random() < 0.3:
                rule["level"] = "routine"
        elif x < 0.90:
            rule["kind"] = "info"
        else:
            rule["kind"] = "caution"
        rule["when"] = condition(rng, nfind)
        rule["title"] = "Rule %d: %s" % (r, sentence(rng, 4)[:-1].lower())
        rule["advice"] = sentence(rng, 14)
        if rule["kind"] == "recommendation":
            recommendations.append(rid)
            if rng.random() < 0.3:
                rule["tags"] = [rng.choice(TAGS)]
        if rule["kind"] == "red_flag" or rng.random() < 0.2:
            rule["citations"] = [{"title": "Generated guideline %d" % r, "url": "https://example.org/guideline/%d" % r}]
        if rule["kind"] == "caution":
            if r % 1000 == 999:
                rule["blocks"] = {"tags": [rng.choice(TAGS)]}
            elif recommendations:
                rule["blocks"] = {"rules": [rng.choice(recommendations[-200:])]}
            else:
                rule["kind"] = "info"
        rules.append(rule)
    # a tag-blocking caution needs a recommendation with that tag: make sure every tag has one
    have = {t for r in rules for t in r.get("tags", []) if r["kind"] == "recommendation"}
    for r in rules:
        if r["kind"] == "caution" and "tags" in r.get("blocks", {}) and r["blocks"]["tags"][0] not in have:
            r["blocks"] = {"rules": [recommendations[0]]} if recommendations else None
            if r["blocks"] is None:
                del r["blocks"]
                r["kind"] = "info"

    os.makedirs(os.path.join(out, "parts"), exist_ok=True)
    for name in os.listdir(os.path.join(out, "parts")):
        os.remove(os.path.join(out, "parts", name))
    root = {
        "format": 1,
        "ruleset": {"id": "bench.generated-%d" % n, "version": "1.0.0", "title": "Generated rule set of %d rules" % n,
                    "authors": ["symtri benchmarks"], "last_reviewed": "2026-01-01", "validation": "research",
                    "license": "CC0-1.0", "disclaimer": "Generated for benchmarking only. Not medical advice."},
        "levels": [{"id": i, "label": l, "action": a, "worse": w, "indicator": ind} for i, l, a, w, ind in LEVELS],
        "include": ["parts/"],
        "vocabulary": vocab,
    }
    with open(os.path.join(out, "index.json"), "w") as fh:
        json.dump(root, fh, indent=None if minify else 1)
        fh.write("\n")
    for k in range(0, n, per_file):
        with open(os.path.join(out, "parts", "part-%04d.json" % (k // per_file)), "w") as fh:
            json.dump({"format": 1, "rules": rules[k:k + per_file]}, fh, indent=None if minify else 1)
            fh.write("\n")


# ---------------------------------------------------------------------------- cases

def read_vocabulary(path):
    """Finding ids and their allowed attributes, in vocabulary order, from a rule set (file or dir)."""
    if os.path.isdir(path):
        path = os.path.join(path, "index.json")
    seen, vocab = set(), []

    def load(p):
        p = os.path.normpath(p)
        if p in seen:
            return
        seen.add(p)
        with open(p) as fh:
            doc = json.load(fh)
        for k, v in doc.get("vocabulary", {}).items():
            if k.startswith("$"):
                continue
            vocab.append((k, v.get("attributes"), v.get("characters")))
        for inc in doc.get("include", []):
            t = os.path.join(os.path.dirname(p), inc)
            if os.path.isdir(t):
                for name in sorted(os.listdir(t)):
                    if name.endswith(".json"):
                        load(os.path.join(t, name))
            else:
                load(t)

    load(path)
    return vocab


ALL_ATTRS = ["side", "sites", "onset", "trend", "duration_days", "severity", "at_night", "constant", "character"]


def attributes(rng, allowed, characters):
    allowed = ALL_ATTRS if allowed is None else allowed
    out = {}
    for a in allowed:
        if rng.random() > 0.5:
            continue
        if a == "side":
            out[a] = rng.choice(["left", "right", "both"])
        elif a == "onset":
            out[a] = rng.choice(["sudden", "gradual"])
        elif a == "trend":
            out[a] = rng.choice(["improving", "stable", "worsening"])
        elif a == "duration_days":
            out[a] = rng.choice([1, 2, 3, 5, 7, 10, 14, 21, 30, 60, 90])
        elif a == "severity":
            out[a] = rng.randint(0, 10)
        elif a in ("at_night", "constant"):
            out[a] = rng.random() < 0.5
        elif a == "sites":
            out[a] = rng.sample(["neck", "shoulders", "lower_back", "legs", "head", "arms"], rng.randint(1, 2))
        elif a == "character" and characters:
            out[a] = rng.choice(characters)
    return out


def make_case(rng, vocab, kind, index, max_finding=None):
    pool = vocab if max_finding is None else vocab[:max_finding]
    case = {"case_id": "c%d" % index}
    if kind == "empty":
        case["findings"] = {}
        return case
    if kind == "typical" and rng.random() < 0.85:
        case["patient"] = {"age": rng.randint(18, 90), "sex": rng.choice(["female", "male", "other"])}
    findings = {}
    for fid_, allowed, chars in rng.sample(pool, min(len(pool), rng.randint(3, 8))):
        r = rng.random()
        if r < 0.35:
            findings[fid_] = True
        elif r < 0.7:
            findings[fid_] = False
        else:
            v = {"present": True}
            v.update(attributes(rng, allowed, chars))
            findings[fid_] = v
    case["findings"] = findings
    return case


def gen_cases(rules, n, out, kind="typical", seed=2, max_finding=None):
    rng = random.Random(seed)
    vocab = read_vocabulary(rules)
    with open(out, "w") as fh:
        for i in range(n):
            fh.write(json.dumps(make_case(rng, vocab, kind, i, max_finding), separators=(",", ":")))
            fh.write("\n")


def gen_examples(out):
    """Cases every generated size understands (findings f00000..f00099 exist in all of them)."""
    os.makedirs(out, exist_ok=True)
    typical = {"case_id": "typical", "patient": {"age": 52, "sex": "female"},
               "findings": {"f00010": True, "f00023": {"present": True, "severity": 6, "duration_days": 21, "side": "left"},
                            "f00042": False, "f00057": True, "f00066": False, "f00081": {"present": True, "severity": 3}}}
    findings_only = dict(typical, case_id="findings_only")
    del findings_only["patient"]
    red = {"case_id": "red_flag", "patient": {"age": 52, "sex": "female"},
           "findings": dict(typical["findings"], f00000=True, f00001=True)}
    empty = {"case_id": "empty", "findings": {}}
    for name, c in [("typical", typical), ("findings_only", findings_only), ("red_flag", red), ("empty", empty)]:
        with open(os.path.join(out, name + ".json"), "w") as fh:
            json.dump(c, fh)
            fh.write("\n")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rules")
    r.add_argument("--n", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--minify", action="store_true", help="each file on one line (as machine-written JSON often is)")
    c = sub.add_parser("cases")
    c.add_argument("--rules", required=True)
    c.add_argument("--n", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--kind", choices=["typical", "findings", "empty"], default="typical")
    c.add_argument("--max-finding", type=int)
    c.add_argument("--seed", type=int, default=2)
    e = sub.add_parser("examples")
    e.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    if a.cmd == "rules":
        gen_rules(a.n, a.out, a.seed, minify=a.minify)
    elif a.cmd == "cases":
        gen_cases(a.rules, a.n, a.out, a.kind, a.seed, a.max_finding)
    else:
        gen_examples(a.out)


if __name__ == "__main__":
    main(sys.argv[1:])
