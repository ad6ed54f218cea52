#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One workload, written in each engine's own format (bench/peers/run.py uses it).

    workload.py --n 5000 --out DIR [--cases 256] [--seed 7]

N rules, each an `all` of 3 conditions over 20 facts (b0..b9 boolean, i0..i9 integers 0..10), and
256 cases that give every fact. Written to DIR:

    workload-N.json          neutral form (rules as [fact, op, value] triples, cases) + the expected
                             matches (computed here, in Python) and their digest
    symtri-N/index.json      symtri rule set: b* are findings, i* findings with a `severity` (0-10)
    symtri-cases-N.jsonl     symtri cases
    jre-rules-N.json         json-rules-engine rules ({conditions: {all: [...]}, event: {type: "rK"}})
    jsonlogic-rules-N.json   json-logic rules ({"and": [...]})
    facts-N.jsonl            cases as plain fact objects (json-rules-engine, json-logic-js, ZEN)
    clips-rules-N.clp        CLIPS deftemplate + defrules (RHS asserts (fired K))
    clips-cases-N.txt        CLIPS facts, one (case ...) per line
    zen-rules-N.json         GoRules ZEN decision (JDM): request -> one decision table -> response; the
                             table has hit policy "collect", one input column per fact (field b0..i9,
                             unary tests), one row per rule with its 3 tests (other cells empty: any
                             value) and one output column "r" = the rule's id "rK", as json-rules-engine's
                             event type

The digest every engine must reproduce: sha256 of the lines "<case index>:<rule indices ascending,
comma separated>\\n" for all cases, in order.
"""
import argparse
import hashlib
import json
import os
import random

BOOLS = ["b%d" % i for i in range(10)]
INTS = ["i%d" % i for i in range(10)]
INT_OPS = [">=", "<=", ">", "<"]


def make(n, ncases, seed):
    rng = random.Random(seed)
    rules = []
    for _ in range(n):
        conds = []
        for f in rng.sample(BOOLS + INTS, 3):
            if f[0] == "b":
                conds.append([f, "==", rng.random() < 0.5])
            else:
                op = rng.choice(INT_OPS)
                # thresholds that hold about half the time
                v = {">=": rng.randint(3, 7), "<=": rng.randint(3, 7), ">": rng.randint(2, 6), "<": rng.randint(4, 8)}[op]
                conds.append([f, op, v])
        rules.append(conds)
    cases = []
    for _ in range(ncases):
        c = {b: rng.random() < 0.5 for b in BOOLS}
        c.update({i: rng.randint(0, 10) for i in INTS})
        cases.append(c)
    return rules, cases


def holds(cond, facts):
    f, op, v = cond
    x = facts[f]
    return {"==": x == v, ">=": x >= v, "<=": x <= v, ">": x > v, "<": x < v}[op]


def matches(rules, cases):
    return [[k for k, r in enumerate(rules) if all(holds(c, case) for c in r)] for case in cases]


def digest(m):
    text = "".join("%d:%s\n" % (i, ",".join(str(k) for k in ks)) for i, ks in enumerate(m))
    return hashlib.sha256(text.encode()).hexdigest()


def symtri_leaf(c):
    f, op, v = c
    if f[0] == "b":
        return {"finding": f} if v else {"finding": f, "present": False}
    return {"finding": f, "severity": {op: v}}


def symtri_case(k, c):
    findings = {}
    for f, x in c.items():
        findings[f] = x if f[0] == "b" else {"present": True, "severity": x}
    return {"case_id": "c%d" % k, "findings": findings}


JRE_OP = {"==": "equal", ">=": "greaterThanInclusive", "<=": "lessThanInclusive", ">": "greaterThan", "<": "lessThan"}
CLIPS_OP = {">=": ">=", "<=": "<=", ">": ">", "<": "<"}


ZEN_UNARY = {"==": "", ">=": ">= ", "<=": "<= ", ">": "> ", "<": "< "}


def zen_graph(table):
    """A JDM graph: request -> the decision table -> response."""
    nodes = [{"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
             {"id": "rules", "type": "decisionTableNode", "name": "Rules", "position": {"x": 300, "y": 0},
              "content": table},
             {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 600, "y": 0}}]
    edges = [{"id": "e1", "type": "edge", "sourceId": "request", "targetId": "rules"},
             {"id": "e2", "type": "edge", "sourceId": "rules", "targetId": "response"}]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def zen_decision(rules):
    """The rules as one ZEN decision table, hit policy "collect": a row per rule, its conditions as unary tests
    in the columns of their facts ("true", "false", ">= 5", ...), an empty cell (any value) elsewhere."""
    inputs = [{"id": "in_" + f, "name": f, "type": "expression", "field": f} for f in BOOLS + INTS]
    outputs = [{"id": "out_r", "name": "r", "type": "expression", "field": "r"}]
    rows = []
    for k, r in enumerate(rules):
        row = {"_id": "row%d" % k}
        row.update({"in_" + f: "" for f in BOOLS + INTS})
        for f, op, v in r:
            row["in_" + f] = ("true" if v else "false") if f[0] == "b" else ZEN_UNARY[op] + str(v)
        row["out_r"] = json.dumps("r%d" % k)
        rows.append(row)
    return zen_graph({"hitPolicy": "collect", "inputs": inputs, "outputs": outputs, "rules": rows})


def write(n, out, ncases, seed):
    rules, cases = make(n, ncases, seed)
    m = matches(rules, cases)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "workload-%d.json" % n), "w") as fh:
        json.dump({"n": n, "rules": rules, "cases": cases, "matches": m, "digest": digest(m),
                   "total_matches": sum(len(x) for x in m)}, fh)

    # symtri
    d = os.path.join(out, "symtri-%d" % n)
    os.makedirs(d, exist_ok=True)
    vocab = {}
    for b in BOOLS:
        vocab[b] = {"label": "fact " + b, "question": "Is %s true?" % b, "attributes": []}
    for i in INTS:
        vocab[i] = {"label": "fact " + i, "question": "What is %s?" % i, "attributes": ["severity"]}
    root = {
        "format": 1,
        "ruleset": {"id": "bench.peers-%d" % n, "version": "1", "title": "Peer workload, %d rules" % n,
                    "authors": ["symtri benchmarks"], "last_reviewed": "2026-01-01", "validation": "research",
                    "license": "CC0-1.0", "disclaimer": "Benchmark workload."},
        "levels": [{"id": "none", "label": "None", "action": "Nothing.", "worse": "Nothing."}],
        "vocabulary": vocab,
        "rules": [{"id": "r%d" % k, "kind": "info", "when": {"all": [symtri_leaf(c) for c in r]},
                   "title": "r%d" % k, "advice": "r%d" % k} for k, r in enumerate(rules)],
    }
    # Indented, as rule files are written. (Minified, one line of 1 MB, the loader's column counting
    # makes loading quadratic: docs/performance.md.)
    with open(os.path.join(d, "index.json"), "w") as fh:
        json.dump(root, fh, indent=1)
    with open(os.path.join(out, "symtri-cases-%d.jsonl" % n), "w") as fh:
        for k, c in enumerate(cases):
            fh.write(json.dumps(symtri_case(k, c), separators=(",", ":")) + "\n")

    # json-rules-engine and json-logic-js
    jre = [{"conditions": {"all": [{"fact": f, "operator": JRE_OP[op], "value": v} for f, op, v in r]},
            "event": {"type": "r%d" % k}} for k, r in enumerate(rules)]
    with open(os.path.join(out, "jre-rules-%d.json" % n), "w") as fh:
        json.dump(jre, fh)
    jl = [{"and": [{op: [{"var": f}, v]} for f, op, v in r]} for r in rules]
    with open(os.path.join(out, "jsonlogic-rules-%d.json" % n), "w") as fh:
        json.dump(jl, fh)
    with open(os.path.join(out, "facts-%d.jsonl" % n), "w") as fh:
        for c in cases:
            fh.write(json.dumps(c, separators=(",", ":")) + "\n")

    # GoRules ZEN
    with open(os.path.join(out, "zen-rules-%d.json" % n), "w") as fh:
        json.dump(zen_decision(rules), fh)

    # CLIPS
    with open(os.path.join(out, "clips-rules-%d.clp" % n), "w") as fh:
        fh.write("(deftemplate case %s)\n" % " ".join("(slot %s)" % f for f in BOOLS + INTS))
        for k, r in enumerate(rules):
            pats = []
            for f, op, v in r:
                if f[0] == "b":
                    pats.append("(%s %s)" % (f, "TRUE" if v else "FALSE"))
                else:
                    pats.append("(%s ?%s&:(%s ?%s %d))" % (f, f, CLIPS_OP[op], f, v))
            fh.write("(defrule r%d (case %s) => (assert (fired %d)))\n" % (k, " ".join(pats), k))
    with open(os.path.join(out, "clips-cases-%d.txt" % n), "w") as fh:
        for c in cases:
            fh.write("(case %s)\n" % " ".join(
                "(%s %s)" % (f, ("TRUE" if x else "FALSE") if f[0] == "b" else str(x)) for f, x in c.items()))
    return digest(m), sum(len(x) for x in m)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cases", type=int, default=256)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    dg, total = write(a.n, a.out, a.cases, a.seed)
    print(json.dumps({"n": a.n, "digest": dg, "total_matches": total}))


if __name__ == "__main__":
    main()
