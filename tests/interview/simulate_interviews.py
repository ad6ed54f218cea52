#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plays interviews over vignettes and reports how each went.

usage: simulate_interviews.py [--symtri PATH] [--rules PATH] [--markdown] [--check] VIGNETTES.jsonl...

For each vignette, the vignette's case is the truth. The interview starts from the truth's patient data
(the interview programs ask age and sex first) and its FIRST present finding, answered `true`; then it
triages, takes `interview.next` and answers it from the truth: a finding question "yes" when the truth has
the finding present, "no" when the truth lacks it or has it absent, `unsure` when the truth says null; an
attribute question with the truth's value, or `unsure` when the truth does not give it. It stops when
`interview.complete` is true (or after 80 prompts, which is reported as a failure).

Per case it reports: prompts asked, the level the interview reached, the level of the whole truth, and for
truths at emergency or above the prompts until that level was first reached. With --check it exits 1 unless
the targets of issue 14 hold: median prompts <= 12, none above 25, median prompts to emergency <= 4 for
emergency or ambulance truths, no interview ending below the level of the whole truth, and every first
question belonging to the presenting complaint or to the screening set.

All interviews advance in lock step: one `symtri batch` run per round triages every open interview.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

LEVELS = ["self_care", "routine", "soon", "same_day", "emergency", "ambulance"]
MAX_PROMPTS = 80


def find_symtri():
    for path in (os.environ.get("SYMTRI_BIN"), "build/bin/symtri"):
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("no symtri binary: build the project or set SYMTRI_BIN")


def batch(exe, rules, cases):
    cmd = [exe, "batch", "--threads", "2"] + (["--rules", rules] if rules else [])
    feed = "".join(json.dumps(c) + "\n" for c in cases)
    p = subprocess.run(cmd, input=feed, capture_output=True, text=True, timeout=300)
    out = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    if len(out) != len(cases):
        sys.exit("symtri batch gave %d results for %d cases: %s" % (len(out), len(cases), p.stderr[-400:]))
    return out


def present(value):
    return value is True or (isinstance(value, dict) and value.get("present") is True)


class Interview:
    def __init__(self, vid, truth):
        self.id = vid
        self.truth = truth
        self.findings = truth.get("findings") or {}
        first = next((f for f, v in self.findings.items() if present(v)), None)
        self.start = first
        self.case = {"case_id": vid, "findings": {first: True} if first else {}, "unsure": []}
        if truth.get("patient"):
            self.case["patient"] = truth["patient"]
        self.prompts = 0
        self.first_question = None
        self.level_by_prompt = []  # level after each triage (index = prompts asked before it)
        self.done = False
        self.failed = None

    def answer(self, q):
        f, attr = q["finding"], q.get("attribute")
        given = self.findings.get(f)
        if attr is None:
            if present(given):
                value = {"present": True}
            elif given is None and f in self.findings:
                self.case["unsure"].append(f)
                return
            else:
                value = False
            self.case["findings"][f] = value
            return
        truth_value = given.get(attr) if isinstance(given, dict) else None
        if truth_value is None:
            self.case["unsure"].append(f + "." + attr)
            return
        current = self.case["findings"].get(f)
        if not isinstance(current, dict):
            current = {"present": True}
        current[attr] = truth_value
        self.case["findings"][f] = current


def simulate(exe, rules, vignettes):
    interviews = [Interview(v["id"], v["case"]) for v in vignettes if "expect_error" not in v and v.get("case")]
    interviews = [iv for iv in interviews if iv.start]
    truth_levels = batch(exe, rules, [dict(iv.truth, case_id=iv.id) for iv in interviews])
    for iv, r in zip(interviews, truth_levels):
        iv.truth_level = r.get("level")
        if "error" in r:
            iv.failed = "the truth itself is rejected: %s" % r["error"]["message"]
            iv.done = True
    while True:
        open_ = [iv for iv in interviews if not iv.done]
        if not open_:
            break
        results = batch(exe, rules, [iv.case for iv in open_])
        for iv, r in zip(open_, results):
            if "error" in r:
                iv.failed = "case rejected after %d prompts: %s" % (iv.prompts, r["error"]["message"])
                iv.done = True
                continue
            iv.level_by_prompt.append(r["level"])
            iv.final_level = r["level"]
            nxt = r["interview"]["next"]
            if r["interview"]["complete"] or nxt is None:
                iv.done = True
                continue
            if iv.prompts == 0:
                iv.first_question = nxt
            if iv.prompts >= MAX_PROMPTS:
                iv.failed = "not complete after %d prompts" % MAX_PROMPTS
                iv.done = True
                continue
            iv.prompts += 1
            iv.answer(nxt)
    return interviews


def rule_reads(rules_dir):
    """For each rule of the rule set in rules_dir: the findings its condition reads (named conditions
    written out). Read from the rule files themselves, so the check does not trust the engine."""
    docs, seen = [], set()

    def load(path):
        path = os.path.realpath(path)
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(".json"):
                    load(os.path.join(path, name))
            return
        if path in seen:
            return
        seen.add(path)
        doc = json.load(open(path))
        docs.append(doc)
        for inc in doc.get("include", []):
            load(os.path.join(os.path.dirname(path), inc))

    load(os.path.join(rules_dir, "index.json") if os.path.isdir(rules_dir) else rules_dir)
    named = {}
    for d in docs:
        named.update(d.get("conditions", {}))

    def reads(c):
        if not isinstance(c, dict):
            return set()
        if "finding" in c:
            return {c["finding"]}
        if "ref" in c:
            return reads(named.get(c["ref"]))
        out = set()
        for key in ("all", "any", "of"):
            for x in c.get(key, []):
                out |= reads(x)
        if "not" in c:
            out |= reads(c["not"])
        return out

    return [reads(r["when"]) for d in docs for r in d.get("rules", [])]


def first_question_ok(iv, reads):
    """The first question is a screening question, or one a rule reading the presenting complaint asks."""
    q = iv.first_question
    if q is None or q.get("screening") is True or q["finding"] == iv.start:
        return True
    return any(iv.start in r and q["finding"] in r for r in reads)


def report(interviews, markdown):
    rows = []
    for iv in interviews:
        reached = None
        truth_rank = LEVELS.index(iv.truth_level) if iv.truth_level in LEVELS else -1
        if truth_rank >= LEVELS.index("emergency"):
            for i, level in enumerate(iv.level_by_prompt):
                if LEVELS.index(level) >= truth_rank:
                    reached = i
                    break
        rows.append((iv, reached))
    prompts = [iv.prompts for iv, _ in rows if not iv.failed]
    urgent = [(iv, reached) for iv, reached in rows if iv.truth_level in ("emergency", "ambulance")]
    to_urgent = [reached for _, reached in urgent if reached is not None]
    under = [iv for iv, _ in rows if not iv.failed and LEVELS.index(iv.final_level) < LEVELS.index(iv.truth_level)]
    failed = [iv for iv, _ in rows if iv.failed]
    summary = {
        "interviews": len(rows),
        "median_prompts": statistics.median(prompts) if prompts else None,
        "max_prompts": max(prompts) if prompts else None,
        "emergency_truths": len(urgent),
        "median_prompts_to_emergency": statistics.median(to_urgent) if to_urgent else None,
        "emergency_never_reached": sum(1 for _, r in urgent if r is None),
        "ended_below_truth": len(under),
        "failed": len(failed),
    }
    if markdown:
        print("| vignette | starts from | first question | prompts | level reached | level of the whole truth | prompts to that level |")
        print("|---|---|---|---|---|---|---|")
        for iv, reached in rows:
            fq = iv.first_question
            fq_text = "-" if fq is None else fq["finding"] + ("." + fq["attribute"] if fq.get("attribute") else "")
            print("| %s | %s | %s | %s | %s | %s | %s |" % (
                iv.id, iv.start, fq_text, iv.failed or iv.prompts, getattr(iv, "final_level", "-"), iv.truth_level,
                "-" if reached is None else reached))
        print()
    else:
        for iv, reached in rows:
            print("%-6s start=%-22s prompts=%-3s level=%-10s truth=%-10s%s%s" % (
                iv.id, iv.start, iv.prompts, getattr(iv, "final_level", "-"), iv.truth_level,
                "" if reached is None else " to-truth-level=%d" % reached,
                "  FAILED: " + iv.failed if iv.failed else ""))
    for iv in under:
        print("ENDED BELOW THE TRUTH: %s reached %s, truth %s" % (iv.id, iv.final_level, iv.truth_level))
    print("summary: " + json.dumps(summary))
    return summary, under, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--symtri")
    ap.add_argument("--rules")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("vignettes", nargs="+")
    a = ap.parse_args()
    exe = a.symtri or find_symtri()
    vignettes = []
    for path in a.vignettes:
        vignettes += [json.loads(l) for l in open(path) if l.strip()]
    interviews = simulate(exe, a.rules, vignettes)
    summary, under, failed = report(interviews, a.markdown)
    here = os.path.dirname(os.path.abspath(__file__))
    reads = rule_reads(a.rules or os.path.join(here, "..", "..", "rules"))
    bad_first = [iv for iv in interviews if not iv.failed and not first_question_ok(iv, reads)]
    for iv in bad_first:
        print("FIRST QUESTION OFF THE COMPLAINT: %s starts from %s, asked %s first" % (iv.id, iv.start, iv.first_question))
    if not a.check:
        return 0
    problems = []
    if failed:
        problems.append("%d interviews failed" % len(failed))
    if summary["median_prompts"] is not None and summary["median_prompts"] > 12:
        problems.append("median prompts %s > 12" % summary["median_prompts"])
    if summary["max_prompts"] is not None and summary["max_prompts"] > 25:
        problems.append("max prompts %s > 25" % summary["max_prompts"])
    if summary["median_prompts_to_emergency"] is not None and summary["median_prompts_to_emergency"] > 4:
        problems.append("median prompts to emergency %s > 4" % summary["median_prompts_to_emergency"])
    if summary["emergency_never_reached"] or under:
        problems.append("%d interviews ended below the level of the whole truth" % len(under))
    if bad_first:
        problems.append("%d first questions off the complaint" % len(bad_first))
    for p in problems:
        print("CHECK FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
