#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The shipped rule set (rules/) translated for json-rules-engine, with 256 fully answered cases.

    shipped.py --rules ROOT/rules --out DIR [--cases 256] [--seed 11]

Writes to DIR:
    symtri-shipped             a symlink to the rule set (symtri reads it as it is)
    symtri-cases-shipped.jsonl the cases, in symtri's format
    jre-rules-shipped.json     {"conditions": {name: condition}, "rules": [...]}: every named condition
                               becomes an engine.setCondition, every rule a rule whose event type is
                               the rule's id
    facts-shipped.jsonl        the cases as flat facts: <finding> true/false, <finding>__<attribute>,
                               age, sex
    rule-ids-shipped.json      the rule ids, sorted: matches are reported as indices into this list
    zen-rules-shipped.json     the same rules as a GoRules ZEN decision (JDM): one decision table, hit
                               policy "collect", one expression column; a rule's row holds its
                               json-rules-engine condition written as a ZEN expression, operator for
                               operator, with every named condition written out where it is referenced
                               (ZEN has no named conditions); output column "r" = the rule's id

symtri's logic is three-valued; json-rules-engine's is two-valued. They agree when nothing is unknown,
so every case answers every finding, gives every attribute each present finding accepts, and gives age
and sex. There is no independent expected answer here: bench/peers/run.py requires json-rules-engine
(and ZEN) to find exactly the rules symtri fires (outcome.fired, blocked recommendations included).

Attribute facts of an absent finding are missing from the facts. json-rules-engine reads them as
undefined (allowUndefinedFacts); in ZEN a comparison with the null they read as is an error, which makes
the table skip the row. Neither reaches them: every attribute test follows `<finding> == true` in an
`all`, and both engines stop an `all`/`and` at its first false.
"""
import argparse
import json
import os
import random

from workload import zen_graph  # bench/peers/workload.py

ATTRS = ["side", "sites", "onset", "trend", "duration_days", "severity", "at_night", "constant", "character"]
CMP = {"<": "lessThan", "<=": "lessThanInclusive", ">": "greaterThan", ">=": "greaterThanInclusive", "==": "equal"}


def load(path):
    docs, seen = [], set()

    def one(p):
        p = os.path.normpath(p)
        if p in seen:
            return
        seen.add(p)
        with open(p) as fh:
            d = json.load(fh)
        docs.append(d)
        for inc in d.get("include", []):
            t = os.path.join(os.path.dirname(p), inc)
            if os.path.isdir(t):
                for name in sorted(os.listdir(t)):
                    if name.endswith(".json"):
                        one(os.path.join(t, name))
            else:
                one(t)

    one(os.path.join(path, "index.json") if os.path.isdir(path) else path)
    return docs


def as_list(v):
    return v if isinstance(v, list) else [v]


def compare(fact, comparison):
    return [{"fact": fact, "operator": CMP[op], "value": v} for op, v in comparison.items() if not op.startswith("$")]


def translate(c):
    if "all" in c:
        return {"all": [translate(x) for x in c["all"]]}
    if "any" in c:
        return {"any": [translate(x) for x in c["any"]]}
    if "not" in c:
        return {"not": translate(c["not"])}
    if "ref" in c:
        return {"condition": c["ref"]}
    if "at_least" in c:
        raise SystemExit("at_least is not translated (json-rules-engine has no counting condition)")
    if "age" in c:
        return {"all": compare("age", c["age"])}
    if "sex" in c:
        return {"fact": "sex", "operator": "in", "value": as_list(c["sex"])}
    f = c["finding"]
    if c.get("present", True) is False:
        return {"fact": f, "operator": "equal", "value": False}
    parts = [{"fact": f, "operator": "equal", "value": True}]
    for a in ATTRS:
        if a not in c:
            continue
        v, fact = c[a], f + "__" + a
        if a == "sites":
            parts.append({"any": [{"fact": fact, "operator": "contains", "value": s} for s in v]})
        elif a in ("side", "onset", "trend", "character"):
            parts.append({"fact": fact, "operator": "in", "value": as_list(v)})
        elif a in ("at_night", "constant"):
            parts.append({"fact": fact, "operator": "equal", "value": v})
        else:
            parts.extend(compare(fact, v))
    return {"all": parts}


ZEN_OP = {"equal": "==", "lessThan": "<", "lessThanInclusive": "<=", "greaterThan": ">",
          "greaterThanInclusive": ">="}


def zen_value(v):
    if isinstance(v, list):
        return "[%s]" % ", ".join(zen_value(x) for x in v)
    if isinstance(v, str) and any(ch in v for ch in "\\\"'"):
        raise SystemExit("string %r is not translated for ZEN (no escapes written)" % v)
    return json.dumps(v)  # numbers, true/false, "strings"


def zen_expr(c, conditions):
    """A json-rules-engine condition as a ZEN expression. Named conditions are written out in place."""
    if "all" in c:
        return "(%s)" % " and ".join(zen_expr(x, conditions) for x in c["all"]) if c["all"] else "true"
    if "any" in c:
        return "(%s)" % " or ".join(zen_expr(x, conditions) for x in c["any"]) if c["any"] else "false"
    if "not" in c:
        return "not(%s)" % zen_expr(c["not"], conditions)
    if "condition" in c:
        return zen_expr(conditions[c["condition"]], conditions)
    fact, op, v = c["fact"], c["operator"], c["value"]
    if op in ZEN_OP:
        return "%s %s %s" % (fact, ZEN_OP[op], zen_value(v))
    if op == "in":  # the fact's value is one of the list
        return "%s in %s" % (fact, zen_value(v))
    if op == "contains":  # the fact (a list) holds the value
        return "contains(%s, %s)" % (fact, zen_value(v))
    raise SystemExit("operator %s is not translated for ZEN" % op)


def zen_decision(rules, conditions):
    """The rules as one ZEN decision table, hit policy "collect": one input column without a field (each cell
    a whole expression: the rule's condition), one output column "r" (the rule's id)."""
    rows = [{"_id": "row%d" % k, "in_when": zen_expr(r["conditions"], conditions),
             "out_r": json.dumps(r["event"]["type"])} for k, r in enumerate(rules)]
    table = {"hitPolicy": "collect",
             "inputs": [{"id": "in_when", "name": "when", "type": "expression", "field": ""}],
             "outputs": [{"id": "out_r", "name": "r", "type": "expression", "field": "r"}], "rules": rows}
    return zen_graph(table)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cases", type=int, default=256)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    docs = load(a.rules)
    vocab, conditions, rules, characters = [], {}, [], set()
    for d in docs:
        for k, v in d.get("vocabulary", {}).items():
            if not k.startswith("$"):
                vocab.append((k, v.get("attributes", ATTRS), v.get("characters")))
        for k, v in d.get("conditions", {}).items():
            if not k.startswith("$"):
                conditions[k] = translate(v)
        for r in d.get("rules", []):
            rules.append({"conditions": {"all": [translate(r["when"])]}, "event": {"type": r["id"]}})

    def chars(x):
        if isinstance(x, dict):
            if "character" in x:
                characters.update(as_list(x["character"]))
            for k, v in x.items():
                if k != "attribute_prompts":  # {"character": "<a question>"}: a prompt, not a value
                    chars(v)
        elif isinstance(x, list):
            for v in x:
                chars(v)
    chars(docs)

    os.makedirs(a.out, exist_ok=True)
    link = os.path.join(a.out, "symtri-shipped")
    if os.path.islink(link):
        os.remove(link)
    os.symlink(os.path.abspath(a.rules), link)
    with open(os.path.join(a.out, "jre-rules-shipped.json"), "w") as fh:
        json.dump({"conditions": conditions, "rules": rules}, fh)
    with open(os.path.join(a.out, "zen-rules-shipped.json"), "w") as fh:
        json.dump(zen_decision(rules, conditions), fh)
    with open(os.path.join(a.out, "rule-ids-shipped.json"), "w") as fh:
        json.dump(sorted(r["event"]["type"] for r in rules), fh)

    rng = random.Random(a.seed)
    sites = ["head", "face", "jaw", "neck", "shoulders", "arms", "hands", "fingers", "thumb_base", "upper_back", "chest",
             "lower_back", "buttocks", "hips", "legs", "thighs", "calves", "feet", "saddle"]
    with open(os.path.join(a.out, "symtri-cases-shipped.jsonl"), "w") as cs, \
            open(os.path.join(a.out, "facts-shipped.jsonl"), "w") as fs:
        for i in range(a.cases):
            age, sex = rng.randint(18, 90), rng.choice(["female", "male", "other"])
            case = {"case_id": "s%d" % i, "patient": {"age": age, "sex": sex}, "findings": {}}
            facts = {"age": age, "sex": sex}
            for f, allowed, fchars in vocab:
                if rng.random() >= 0.2:
                    case["findings"][f] = False
                    facts[f] = False
                    continue
                v = {"present": True}
                facts[f] = True
                for attr in allowed:
                    if attr == "side":
                        x = rng.choice(["left", "right", "both"])
                    elif attr == "sites":
                        x = rng.sample(sites, rng.randint(1, 3))
                    elif attr == "onset":
                        x = rng.choice(["sudden", "gradual"])
                    elif attr == "trend":
                        x = rng.choice(["improving", "stable", "worsening"])
                    elif attr == "duration_days":
                        x = rng.choice([0, 1, 2, 3, 5, 7, 10, 14, 21, 28, 42, 60, 90, 180])
                    elif attr == "severity":
                        x = rng.randint(0, 10)
                    elif attr in ("at_night", "constant"):
                        x = rng.random() < 0.5
                    else:
                        pool = fchars or sorted(characters) or ["other"]
                        x = rng.choice(pool)
                    v[attr] = x
                    facts[f + "__" + attr] = x
                case["findings"][f] = v
            cs.write(json.dumps(case, separators=(",", ":")) + "\n")
            fs.write(json.dumps(facts, separators=(",", ":")) + "\n")
    print(json.dumps({"rules": len(rules), "conditions": len(conditions), "findings": len(vocab)}))


if __name__ == "__main__":
    main()
