# SPDX-License-Identifier: Apache-2.0
"""The program's outputs for people and for health IT, end to end.

- `symtri triage --format cds-hooks` on every vignette: a CDS Hooks 2.0 response whose cards carry exactly the
  card fields of the specification (cds-hooks-2.0-response.schema.json, written from its tables), summaries
  under 140 characters, indicators from the level, source label and url from the citations;
- `symtri triage --format text`: the plain-language report;
- `symtri rules` and `symtri explain RULE-ID`;
- `symtri batch`: progress and summary on stderr only when it is a terminal.

Needs Debian's python3-jsonschema. Run by CTest with SYMTRI_BIN and SYMTRI_SOURCE_DIR set.
"""
import json
import os
import pathlib
import pty
import subprocess
import tempfile
import threading
import time
import unittest

try:
    from jsonschema import Draft202012Validator
except ImportError as e:
    raise SystemExit("test_outputs: cannot import jsonschema (%s). Install Debian's python3-jsonschema "
                     "(scripts/dev.sh test does) or run this with /usr/bin/python3." % e)

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BIN = os.environ.get("SYMTRI_BIN", str(SRC / "build" / "bin" / "symtri"))
HERE = pathlib.Path(__file__).resolve().parent
CDS = Draft202012Validator(json.loads((HERE / "cds-hooks-2.0-response.schema.json").read_text(encoding="utf-8")))
MINI = str(SRC / "tests" / "data" / "mini")

# CONTRACT.md section 1: the CDS Hooks indicator of each level of the shipped rule set.
INDICATOR = {"self_care": "info", "routine": "info", "soon": "warning", "same_day": "warning",
             "emergency": "critical", "ambulance": "critical"}


def run(*args, stdin="", **kw):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120, **kw)


def cases():
    out = []
    for f in sorted((SRC / "tests" / "vignettes").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                v = json.loads(line)
                if "expect_error" not in v:
                    out.append(v["case"])
    out.append(json.loads((SRC / "examples" / "cases" / "demo.json").read_text(encoding="utf-8")))
    return out


CASES = cases()


def results():
    p = run("batch", stdin="".join(json.dumps(c) + "\n" for c in CASES))
    return [json.loads(l) for l in p.stdout.splitlines()]


class CdsHooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = results()
        assert len(cls.results) == len(CASES)

    def cards_for(self, case):
        p = run("triage", "--format", "cds-hooks", "-", stdin=json.dumps(case))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(p.stdout.splitlines()), 1, "one line of JSON without --pretty")
        return json.loads(p.stdout)

    def test_every_vignette_gives_valid_cds_hooks_2_0_cards(self):
        self.assertGreater(len(CASES), 50)
        for case, result in zip(CASES, self.results):
            with self.subTest(case=case.get("case_id")):
                resp = self.cards_for(case)
                errs = ["%s: %s" % (e.json_path, e.message[:200]) for e in CDS.iter_errors(resp)]
                self.assertEqual(errs, [])
                cards = resp["cards"]
                for c in cards:
                    self.assertLess(len(c["summary"]), 140, c["summary"])  # code points, as the spec counts
                    for link in c.get("links", []):
                        self.assertEqual(link["type"], "absolute")
                # a summary card, then one per fired rule shown in the result
                shown = [r for k in ("red_flags", "cautions", "recommendations", "info") for r in result.get(k, [])]
                self.assertEqual(len(cards), 1 + len(shown))
                self.assertEqual(cards[0]["indicator"], INDICATOR[result["level"]])
                for card, rule in zip(cards[1:], shown):
                    if rule in result["red_flags"]:
                        self.assertEqual(card["indicator"], INDICATOR[rule["level"]])
                    elif rule in result["cautions"]:
                        self.assertEqual(card["indicator"], "warning")
                    if rule["citations"]:
                        self.assertEqual(card["source"]["label"], rule["citations"][0]["title"])
                        self.assertEqual(card["source"]["url"], rule["citations"][0]["url"])
                        self.assertEqual([l["url"] for l in card["links"]], [c["url"] for c in rule["citations"]])
                    self.assertIn("`%s`" % rule["rule"], card["detail"])
                self.assertIn(result["disclaimer"].split(".")[0], cards[0]["detail"])

    def test_pretty_prints_the_same_response(self):
        case = {"findings": {"sciatica": True, "saddle_numbness": True}}
        one = run("triage", "--format", "cds-hooks", "-", stdin=json.dumps(case))
        pretty = run("triage", "--format", "cds-hooks", "--pretty", "-", stdin=json.dumps(case))
        self.assertGreater(len(pretty.stdout.splitlines()), 10)
        self.assertEqual(json.loads(one.stdout), json.loads(pretty.stdout))


class Text(unittest.TestCase):
    def test_every_vignette_gives_a_report_a_person_can_read(self):
        for case, result in zip(CASES[:40], results()):
            with self.subTest(case=case.get("case_id")):
                p = run("triage", "--format", "text", "-", stdin=json.dumps(case))
                self.assertEqual(p.returncode, 0, p.stderr)
                t = p.stdout
                self.assertIn("WHAT TO DO: ", t)
                self.assertIn("PLEASE NOTE", t)
                self.assertIn("Rule set: symtri.neuromuscular", t)
                self.assertIn("not for use with patients", t)
                for f in result["red_flags"]:
                    self.assertIn(f["title"].split(" ")[0], t)
                self.assertNotIn('{"', t, "the text report must not be JSON")

    def test_a_rejected_case_gives_the_error_on_stderr_and_nothing_on_stdout(self):
        p = run("triage", "--format", "text", "-", stdin='{"findings": {"sadle_numbness": true}}')
        self.assertEqual(p.returncode, 4)
        self.assertEqual(p.stdout, "")
        self.assertIn("unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)", p.stderr)

    def test_json_stays_the_default(self):
        p = run("triage", "-", stdin='{"findings": {}}')
        self.assertEqual(json.loads(p.stdout)["level"], "self_care")
        self.assertEqual(run("triage", "--format", "json", "-", stdin='{"findings": {}}').stdout, p.stdout)


class Usage(unittest.TestCase):
    def test_an_unknown_format_is_a_usage_error_with_a_suggestion(self):
        p = run("triage", "--format", "txt", "-", stdin="{}")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--format must be json, text or cds-hooks, got 'txt' (did you mean 'text'?)", p.stderr)

    def test_format_is_for_triage_only(self):
        p = run("batch", "--format", "text", stdin="{}\n")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--format applies to triage only", p.stderr)

    def test_help_lists_the_new_commands(self):
        p = run("--help")
        for word in ("--format", "cds-hooks", "explain", "rules", "progress"):
            self.assertIn(word, p.stdout)


class RulesAndExplain(unittest.TestCase):
    def test_rules_lists_levels_findings_and_every_rule(self):
        p = run("rules", "--rules", MINI)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertIn("test.mini 1.0.0: Mini", out)
        self.assertIn("levels, lowest first (3):", out)
        for rule in ("cauda_equina", "sciatica_persisting", "magnesium_food", "kidney"):
            self.assertIn("    " + rule + " ", out)
        self.assertIn("red flags (1):", out)
        self.assertIn("3 carried tests", out)

    def test_rules_of_the_built_in_set_name_every_rule(self):
        out = run("rules").stdout
        self.assertIn("symtri.neuromuscular", out)
        ids = {r["rule"] for res in results() for k in ("red_flags", "recommendations", "cautions", "info")
               for r in res.get(k, [])}
        self.assertGreater(len(ids), 20)
        for i in ids:
            self.assertIn(" " + i + " ", out)

    def test_explain_shows_the_condition_and_the_citations(self):
        p = run("explain", "--rules", MINI, "cauda_equina")
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertIn("cauda_equina: red flag, raises the level to emergency (Emergency), priority 100", out)
        self.assertIn("fires when:\n  all of:\n    - sciatica present  (Sciatica)\n    - saddle_numbness present", out)
        self.assertIn("why this rule exists:\n  - NICE CKS: Sciatica\n    https://cks.nice.org.uk/topics/sciatica-lumbar-radiculopathy/", out)
        self.assertIn("defined at: ", out)

    def test_explain_a_caution_names_what_it_holds_back_and_a_recommendation_what_holds_it(self):
        self.assertIn("holds back these recommendations:\n  - magnesium_food", run("explain", "--rules", MINI, "kidney").stdout)
        self.assertIn("held back when any of these cautions fires: kidney",
                      run("explain", "--rules", MINI, "magnesium_food").stdout)

    def test_explain_comparisons_and_attributes_read_plainly(self):
        out = run("explain", "--rules", MINI, "sciatica_persisting").stdout
        self.assertIn("- sciatica present with duration_days >= 28", out)

    def test_explain_an_unknown_rule_suggests_the_closest(self):
        p = run("explain", "--rules", MINI, "cauda_equine")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown rule 'cauda_equine' (did you mean 'cauda_equina'?)", p.stderr)
        self.assertEqual(run("explain").returncode, 2)

    def test_explain_for_a_case_unknown_lists_what_would_make_it_fire(self):
        p = run("explain", "--rules", MINI, "cauda_equina", "--case", "-", stdin='{"findings": {"sciatica": true}}')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout,
                         "cauda_equina for this case: unknown (could still fire)\n"
                         "  /when        unknown  all of:\n"
                         "  /when/all/0  true       - sciatica present\n"
                         "  /when/all/1  unknown    - saddle_numbness present\n"
                         "it could fire with more answers; any of these could settle it (some only together):\n"
                         "  - saddle_numbness answered yes\n")

    def test_explain_for_a_case_false_names_what_blocks_it_and_true_fires(self):
        out = run("explain", "--rules", MINI, "cauda_equina", "--case", "-", stdin='{"findings": {"sciatica": false}}').stdout
        self.assertIn("cauda_equina for this case: does not fire\n", out)
        self.assertIn("it does not fire because of:\n  - /when/all/0: sciatica present is false\n", out)
        out = run("explain", "--rules", MINI, "cauda_equina", "--case", "-",
                  stdin='{"findings": {"sciatica": true, "saddle_numbness": true}}').stdout
        self.assertTrue(out.startswith("cauda_equina for this case: fires\n"), out)

    def test_explain_for_a_case_as_json(self):
        p = run("explain", "--rules", MINI, "sciatica_persisting", "--case", "-", "--format", "json",
                stdin='{"findings": {"sciatica": true}}')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout), {
            "rule": "sciatica_persisting", "kind": "recommendation", "level": "routine", "value": "unknown",
            "fires": False,
            "tests": [{"pointer": "/when", "test": "finding", "text": "sciatica present with duration_days >= 28",
                       "value": "unknown"}],
            "would_fire_if": ["sciatica answered with duration_days >= 28"], "blocked_by": []})

    def test_explain_case_errors(self):
        p = run("explain", "--rules", MINI, "cauda_equina", "--case", "-", stdin='{"findings": {"x": 1}}')
        self.assertEqual(p.returncode, 4)
        self.assertIn("<stdin>:1:15: error: unknown finding 'x' at /findings/x", p.stderr)
        self.assertEqual(run("explain", "--rules", MINI, "cauda_equina", "--case", "-", "--format", "cds-hooks",
                             stdin="{}").returncode, 2)
        self.assertIn("--case applies to explain only", run("triage", "--case", "-", stdin="{}").stderr)

    def test_all_questions_lists_the_other_questions(self):
        case = '{"findings": {"sciatica": true}}'
        plain = json.loads(run("triage", "-", stdin=case).stdout)
        every = json.loads(run("triage", "--all-questions", "-", stdin=case).stdout)
        self.assertNotIn("other_question_list", plain)
        self.assertGreater(plain["other_questions"], 0)
        self.assertEqual(len(every["other_question_list"]), plain["other_questions"])
        self.assertEqual(every["questions"], plain["questions"])
        line = json.loads(run("batch", "--all-questions", "--quiet", stdin=case + "\n").stdout)
        self.assertEqual(line["other_question_list"], every["other_question_list"])
        self.assertIn("--all-questions applies to triage, batch and serve only", run("rules", "--all-questions").stderr)

    def test_every_built_in_red_flag_is_explained_with_its_sources(self):
        for res in results():
            for f in res["red_flags"]:
                out = run("explain", f["rule"]).stdout
                for c in f["citations"]:
                    self.assertIn(c["url"], out)


def batch_on_a_terminal(args, chunks, pause=0.0):
    """Runs `symtri batch` with stderr on a pseudo-terminal; feeds stdin in chunks. Returns (stdout, stderr)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "batch", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    got = []

    def drain():
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO once the program has exited and the terminal is closed
                break
            if not data:
                break
            got.append(data)

    t = threading.Thread(target=drain)
    t.start()
    out = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()))
    reader.start()
    for c in chunks:
        p.stdin.write(c.encode())
        p.stdin.flush()
        time.sleep(pause)
    p.stdin.close()
    p.wait(timeout=120)
    reader.join()
    t.join(timeout=10)
    os.close(master)
    return out[0].decode(), b"".join(got).decode(errors="replace")


class BatchProgress(unittest.TestCase):
    LINE = '{"findings": {"sciatica": true}}\n'

    def test_on_a_terminal_a_summary_of_cases_errors_and_levels(self):
        stdin = self.LINE * 3 + '{"findings": {"speech_difficulty": true}}\n' + "oops\n"
        out, err = batch_on_a_terminal(["--threads", "1"], [stdin])
        self.assertEqual(len(out.splitlines()), 5)
        self.assertRegex(err, r"symtri batch: 5 cases in [0-9.]+ s \([0-9,]+ cases/s\): 4 triaged, 1 rejected")
        self.assertIn("levels: self_care 3, ambulance 1", err)
        self.assertIn("1 of 5 lines were rejected", err)

    def test_on_a_terminal_a_live_count_and_rate_while_it_runs(self):
        block = self.LINE * 4096
        out, err = batch_on_a_terminal(["--threads", "2"], [block, block, block], pause=0.3)
        self.assertEqual(len(out.splitlines()), 3 * 4096)
        self.assertRegex(err, r"\r[0-9,]+ cases  [0-9,]+ cases/s")
        self.assertIn("symtri batch: 12,288 cases", err)
        self.assertIn("levels: self_care 12,288", err)

    def test_a_bar_when_stdin_is_a_file_of_known_size(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write(self.LINE * 4096 * 40)
        try:
            master, slave = pty.openpty()
            with open(f.name, "rb") as inp:
                p = subprocess.run([BIN, "batch", "--threads", "1"], stdin=inp, stdout=subprocess.DEVNULL,
                                   stderr=slave, timeout=300)
            os.close(slave)
            err = b""
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                err += data
            os.close(master)
        finally:
            os.unlink(f.name)
        self.assertEqual(p.returncode, 0)
        text = err.decode(errors="replace")
        self.assertIn("symtri batch: 163,840 cases", text)
        if "cases/s  " in text or "%" in text:  # drawn only if the run took over 0.1 s, as it should here
            self.assertRegex(text, r"\[[#.]{24}\] +[0-9]+%")

    def test_quiet_turns_it_off(self):
        _, err = batch_on_a_terminal(["--quiet"], [self.LINE])
        self.assertEqual(err, "")

    def test_not_a_terminal_keeps_stderr_clean(self):
        p = run("batch", stdin=self.LINE * 10)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stderr, "")


if __name__ == "__main__":
    unittest.main()
