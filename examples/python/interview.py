#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An interactive symptom interview with the symtri Python binding.

    python3 examples/python/interview.py [--rules PATH]      (answers from stdin: it can be scripted)

1. asks age and sex first: some rules depend on them, and the engine's questions follow from them;
2. asks what is bothering the person (the main symptoms, by number);
3. then, one question at a time: triages the case so far and asks ``result.next_question`` -- a
   yes/no question about a finding, or a question about one attribute of a finding already present
   (its choices, or a number) -- with an honest label of what the answer would change, until
   ``result.complete`` is true;
4. prints the result: level, what to do, warning signs, advice.

Answers: y/yes, n/no, ?/dk or Enter for "don't know" (it goes to the case's ``unsure`` list and is not
asked again), q to stop asking. End of input stops the questions and prints the result so far.
examples/interview/interview.cpp is the same program in C++: same answers, same transcript.
"""

import argparse
import shutil
import sys
import textwrap
from typing import Any, Dict, List, Optional

try:
    import symtri
except ModuleNotFoundError:  # run from a source checkout, not installed: its python/ holds the package
    import pathlib

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
    import symtri

# The symptoms the interview opens with (those the rule set knows).
MAIN_SYMPTOMS = ["low_back_pain", "sciatica", "neck_pain", "neck_stiffness", "headache", "muscle_tightness",
                 "muscle_cramps", "muscle_spasm", "tingling", "numbness", "burning_pain", "weakness", "stress",
                 "poor_sleep", "fatigue"]

TOGETHER = "could matter together with other answers"
RETRY = "Please answer with one of the choices shown, ? (don't know) or q (stop)."
DONT_KNOW = ("", "?", "dk", "u", "unknown", "don't know")

WIDTH = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80


def say(text: str, first: str = "", rest: str = "") -> None:
    """Prints text wrapped to the terminal's width (80 when stdout is not a terminal)."""
    lines = textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    for line in lines:
        print(line)


class Input:
    """Reads answers line by line; remembers when stdin ran out."""

    def __init__(self) -> None:
        self.done = False

    def answer(self, prompt: str) -> str:
        print(prompt, end="", flush=True)
        text = sys.stdin.readline()
        if not text:
            self.done = True
            print()
            return ""
        return text.strip(" \t\r\n").lower()


def plain_number(a: str) -> bool:
    """ "12" or "2.5": a plain decimal number, nothing else."""
    def digits(s: str) -> bool:
        return 0 < len(s) <= 6 and all("0" <= ch <= "9" for ch in s)
    whole, dot, frac = a.partition(".")
    return digits(whole) and (not dot or digits(frac))


def choice_text(c: Any) -> str:
    """A choice as a person reads it: "lower_back" -> "lower back", True -> "yes"."""
    if isinstance(c, bool):
        return "yes" if c else "no"
    return str(c).replace("_", " ")


def label_text(engine: symtri.Engine, q: symtri.Question, rank: int) -> str:
    """The honest label (include/symtri/question_text.hpp): what this answer alone would change."""
    if q.attribute is not None:
        if not q.if_answer:
            return TOGETHER
        parts = []
        for key, level in q.if_answer.items():
            shown = "yes" if key == "true" else "no" if key == "false" else choice_text(key)
            parts.append(f"if {shown}: {engine.level(level).label}")
        return "; ".join(parts)
    if q.if_yes and engine.level(q.if_yes).rank > rank:
        return f"if yes: {engine.level(q.if_yes).label}"
    return TOGETHER


def number_text(q: symtri.Question) -> str:
    """ "a number of days, 0 or more", as question_choices_text in C++."""
    def num(v: Any) -> str:
        return str(int(v)) if float(v).is_integer() else repr(v)
    out = f"a number of {q.unit}"
    if q.min is not None and q.max is not None:
        out += f" from {num(q.min)} to {num(q.max)}"
    elif q.min is not None:
        out += f", {num(q.min)} or more"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", help="a rule set (default: the built-in one)")
    args = ap.parse_args()
    try:
        engine = symtri.Engine.open(args.rules) if args.rules else symtri.Engine.default()
    except symtri.RuleSetError as e:
        print(e, file=sys.stderr)
        return 3

    with engine:
        inp = Input()
        say(f"symtri symptom interview ({engine.title()})")
        say(engine.disclaimer())
        say("Answer y (yes), n (no) or ? (don't know); q stops the questions.")
        print()
        say("First your age and sex: some warning signs depend on them, so they decide which questions follow.")

        case: Dict[str, Any] = {"findings": {}, "unsure": []}
        age = inp.answer("How old are you, in years? (Enter to skip) ")
        if age and len(age) <= 3 and age.isdigit() and int(age) <= 130:
            case.setdefault("patient", {})["age"] = int(age)
        if not inp.done:
            sex = inp.answer("Sex: female, male or other? (Enter to skip) ")
            names = {"f": "female", "female": "female", "m": "male", "male": "male", "o": "other", "other": "other"}
            if sex in names:
                case.setdefault("patient", {})["sex"] = names[sex]

        # What is bothering the person: the main symptoms, by number.
        vocabulary = {f.id: f for f in engine.vocabulary()}
        offered = [vocabulary[s] for s in MAIN_SYMPTOMS if s in vocabulary]
        if not inp.done:
            print()
            say("What is bothering you? These are the symptoms this rule set knows:")
            for i, f in enumerate(offered, 1):
                n = str(i)
                say(f.label, " " * (4 - len(n)) + n + " ", "     ")
            picks = inp.answer("Type the numbers that apply, separated by spaces (Enter for none): ")
            for w in picks.split():
                if w.isdigit() and len(w) <= 3 and 1 <= int(w) <= len(offered):
                    case["findings"][offered[int(w) - 1].id] = True

        # One question at a time, until the interview is complete.
        stop = inp.done
        asked = 0
        while True:
            r = engine.triage(case)
            if stop or r.complete:
                break
            q = r.next_question
            if asked == 0:
                print()
                say("Now some questions, one at a time, most important first.")
            asked += 1
            print()
            say(q.prompt)
            say("(" + label_text(engine, q, r.level_rank) + ")", "  ", "   ")

            def present() -> Dict[str, Any]:
                f = case["findings"].get(q.finding)
                if not isinstance(f, dict):
                    f = case["findings"][q.finding] = {"present": True}
                return f

            answered = False
            for _ in range(3):
                yes_no = q.attribute is None or (q.choices is not None and len(q.choices) == 2
                                                 and isinstance(q.choices[0], bool))
                if yes_no:
                    a = inp.answer("  [y/n/?] ")
                elif q.choices is not None:
                    shown = ", ".join(f"{i} {choice_text(c)}" for i, c in enumerate(q.choices, 1))
                    say("Choices: " + shown + (" (one or more, separated by spaces)" if q.multiple else ""), "  ", "  ")
                    a = inp.answer("  [number/?] ")
                else:
                    say("Answer with " + number_text(q) + ".", "  ", "  ")
                    a = inp.answer("  [number/?] ")
                if inp.done or a in ("q", "quit"):
                    stop = True
                    break
                if a in DONT_KNOW:
                    case["unsure"].append(q.key)
                    answered = True
                elif yes_no:
                    if a not in ("y", "yes", "n", "no"):
                        say(RETRY, "  ", "  ")
                        continue
                    if q.attribute is None:
                        case["findings"][q.finding] = a in ("y", "yes")
                    else:
                        present()[q.attribute] = a in ("y", "yes")
                    answered = True
                elif q.choices is not None:
                    picked: List[Any] = []
                    ok = True
                    for w in a.split():
                        k = int(w) if w.isdigit() and len(w) <= 3 else 0
                        if 1 <= k <= len(q.choices):
                            picked.append(q.choices[k - 1])
                        else:
                            ok = False
                    if not ok or not picked or (not q.multiple and len(picked) != 1):
                        say(RETRY, "  ", "  ")
                        continue
                    present()[q.attribute] = picked if q.multiple else picked[0]
                    answered = True
                else:
                    v = float(a) if plain_number(a) else None
                    lo = q.min if q.min is not None else 0
                    if v is None or v < lo or (q.max is not None and v > q.max):
                        say(RETRY, "  ", "  ")
                        continue
                    present()[q.attribute] = int(v) if v.is_integer() else v
                    answered = True
                break
            if not answered and not stop:
                case["unsure"].append(q.key)  # three answers it could not read: don't know

        # The result, in plain words.
        level = engine.level(r.level)
        print("\n==================== Your result ====================")
        say(f"Level: {level.label}")
        say(f"What to do: {level.action}")
        if r.red_flags:
            print("\nWarning signs:")
            for rf in r.red_flags:
                say(rf.title, "  ! ", "    ")
                say(rf.advice, "    ", "    ")
        if r["recommendations"]:
            print("\nAdvice:")
            for rec in r["recommendations"]:
                say(f"{rec['title']}: {rec['advice']}", "  - ", "    ")
        if r["cautions"]:
            print("\nCautions:")
            for c in r["cautions"]:
                say(c["advice"], "  * ", "    ")
        print()
        say(f"If it gets worse: {r['if_worse']}")
        if r.questions:
            n = len(r.questions)
            print()
            say(f"You did not answer {n} question{'' if n == 1 else 's'} that could change this advice; "
                "if any applies to you, get help sooner.")
        if case["unsure"]:
            n = len(case["unsure"])
            print()
            say(f"You were unsure about {n} question{'' if n == 1 else 's'}; a clinician can help answer them.")
        print()
        say(r["disclaimer"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
