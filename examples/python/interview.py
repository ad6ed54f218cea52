#!/usr/bin/env python3
"""An interactive symptom interview with the symtri Python binding.

    python3 examples/python/interview.py [--rules PATH]      (answers from stdin: it can be scripted)

Asks about the main symptoms (yes / no / don't know), then keeps asking the result's ``questions``
-- unknown findings whose answer could raise the level -- until none is left that could, and prints a
plain-language summary: level, what to do, red flags, advice and the disclaimer.

Answers: y/yes, n/no, ?/u/unknown/dk or Enter for "don't know", q to stop asking. End of input counts
as "don't know" for everything left.
"""

import argparse
import sys
from typing import Any, Dict, Optional, Set

import symtri

# The contract's symptom findings: what the interview opens with (those the rule set knows).
MAIN_SYMPTOMS = ["low_back_pain", "sciatica", "neck_pain", "neck_stiffness", "headache", "muscle_tightness",
                 "muscle_cramps", "muscle_spasm", "tingling", "numbness", "burning_pain", "weakness", "stress",
                 "poor_sleep", "fatigue"]

YES, NO, UNKNOWN, QUIT = "yes", "no", "unknown", "quit"


class Input:
    """Reads answers line by line; remembers when stdin ran out."""

    def __init__(self) -> None:
        self.done = False

    def line(self, prompt: str) -> Optional[str]:
        print(prompt, end=" ", flush=True)
        text = sys.stdin.readline()
        if not text:
            self.done = True
            print()
            return None
        return text.strip().lower()

    def answer(self, question: str) -> str:
        for _ in range(3):
            a = self.line(f"{question} [y/n/?]")
            if a is None:
                return UNKNOWN
            if a in ("y", "yes"):
                return YES
            if a in ("n", "no"):
                return NO
            if a in ("", "?", "u", "unknown", "dk", "don't know"):
                return UNKNOWN
            if a in ("q", "quit"):
                return QUIT
            print("  Please answer y (yes), n (no) or ? (don't know).")
        return UNKNOWN


def interview(engine: symtri.Engine, inp: Input) -> symtri.Result:
    print(f"symtri symptom interview ({engine.title()})")
    print(engine.disclaimer())
    print("Answer y (yes), n (no) or ? (don't know); q stops the questions.\n")

    case: Dict[str, Any] = {"findings": {}}
    age = inp.line("How old are you, in years? (Enter to skip)")
    if age and age.isdigit() and int(age) <= 130:
        case.setdefault("patient", {})["age"] = int(age)
    if not inp.done:
        sex = inp.line("Sex: female, male or other? (Enter to skip)")
        sexes = {"f": "female", "female": "female", "m": "male", "male": "male", "o": "other", "other": "other"}
        if sex in sexes:
            case.setdefault("patient", {})["sex"] = sexes[sex]

    asked: Set[str] = set()
    stop = inp.done

    def record(finding: str, answer: str) -> None:
        nonlocal stop
        asked.add(finding)
        if answer == QUIT:
            stop = True
        elif answer in (YES, NO):
            case["findings"][finding] = answer == YES

    # 1. The main symptoms.
    print("\nFirst, your main symptoms.")
    vocabulary = {f.id: f for f in engine.vocabulary()}
    for fid in MAIN_SYMPTOMS:
        if stop or inp.done:
            break
        if fid in vocabulary:
            record(fid, inp.answer(vocabulary[fid].question))

    # 2. Follow-up: the result's questions, highest possible level first, until none is left.
    said_more = False
    while True:
        result = engine.triage(case)
        if stop or inp.done:
            return result
        nxt = next((q for q in result.questions if q.finding not in asked), None)
        if nxt is None:  # nothing left that could raise the level
            return result
        if not said_more:
            print("\nA few more questions, to check for anything urgent.")
            said_more = True
        record(nxt.finding, inp.answer(nxt.prompt))


def summary(engine: symtri.Engine, result: symtri.Result) -> None:
    level = engine.level(result.level)
    print("\n==================== Your result ====================")
    print(f"Level: {level.label}")
    print(f"What to do: {level.action}")
    if result.red_flags:
        print("\nWarning signs:")
        for rf in result.red_flags:
            print(f"  ! {rf.title}")
            print(f"    {rf.advice}")
    if result["recommendations"]:
        print("\nAdvice:")
        for r in result["recommendations"]:
            print(f"  - {r['title']}: {r['advice']}")
    if result["cautions"]:
        print("\nCautions:")
        for r in result["cautions"]:
            print(f"  * {r['advice']}")
    print(f"\nIf it gets worse: {result['if_worse']}")
    n = len(result.questions)
    if n:
        print(f"\nYou did not answer {n} question{'' if n == 1 else 's'} that could change this advice; "
              "if any applies to you, get help sooner.")
    print(f"\n{result['disclaimer']}")


def main() -> int:
    ap = argparse.ArgumentParser(description="An interactive symptom interview.")
    ap.add_argument("--rules", help="a rule set file or directory (default: the built-in one)")
    args = ap.parse_args()
    try:
        engine = symtri.Engine.open(args.rules) if args.rules else symtri.Engine.default()
    except symtri.RuleSetError as e:
        print(e, file=sys.stderr)
        return 3
    with engine:
        result = interview(engine, Input())
        summary(engine, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
