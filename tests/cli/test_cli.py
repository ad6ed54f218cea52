# SPDX-License-Identifier: Apache-2.0
"""The symtri program end to end: commands, exit codes, error messages, batch order and bad lines."""
import json
import os
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
SRC = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data")
MINI = os.path.join(DATA, "mini")


def run(*args, stdin=""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


class Usage(unittest.TestCase):
    def test_help_lists_the_commands_and_exits_0(self):
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        for word in ("triage", "batch", "check", "--rules", "--threads"):
            self.assertIn(word, p.stdout)

    def test_no_command_is_a_usage_error(self):
        self.assertEqual(run().returncode, 2)

    def test_unknown_command_suggests_the_closest(self):
        p = run("triag")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'triag' (did you mean 'triage'?)", p.stderr)

    def test_bad_threads_is_a_usage_error(self):
        p = run("batch", "--threads", "0")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--threads must be a number from 1 to 256", p.stderr)

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^symtri \d+\.\d+\.\d+ \(rule format 1\.\.1\)")


class Triage(unittest.TestCase):
    def test_triage_a_case_file_with_the_built_in_rules(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"case_id": "c1", "findings": {"sciatica": True, "saddle_numbness": True}}, f)
        try:
            p = run("triage", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        r = json.loads(p.stdout)
        self.assertEqual(r["case_id"], "c1")
        self.assertIn(r["level"], ("emergency", "ambulance"))
        self.assertTrue(r["disclaimer"])
        self.assertTrue(r["red_flags"])

    def test_triage_reads_stdin_with_dash_or_no_file(self):
        case = json.dumps({"findings": {"sciatica": True}})
        for args in (("triage", "--rules", MINI, "-"), ("triage", "--rules", MINI)):
            p = run(*args, stdin=case)
            self.assertEqual(p.returncode, 0, p.stderr)
            r = json.loads(p.stdout)
            self.assertEqual(r["level"], "self_care")
            # the finding question, and the attribute questions about sciatica itself
            self.assertEqual([q["finding"] for q in r["questions"] if "attribute" not in q], ["saddle_numbness"])
            self.assertTrue(all(q["finding"] == "sciatica" for q in r["questions"] if "attribute" in q))
            self.assertEqual(r["interview"]["next"], r["questions"][0])

    def test_a_misspelled_finding_exits_4_naming_place_and_fix(self):
        p = run("triage", "--rules", MINI, "-", stdin='{"findings": {\n "sciatica": true,\n "sadle_numbness": true}}')
        self.assertEqual(p.returncode, 4)
        self.assertEqual(p.stderr.strip(),
                         "<stdin>:3:2: error: unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?) "
                         "at /findings/sadle_numbness")
        err = json.loads(p.stdout)["error"]
        self.assertEqual(err["code"], "unknown_finding")
        self.assertEqual(err["path"], "/findings/sadle_numbness")

    def test_a_missing_case_file_exits_4(self):
        p = run("triage", "--rules", MINI, "/nonexistent/case.json")
        self.assertEqual(p.returncode, 4)
        self.assertIn("cannot read case file '/nonexistent/case.json'", p.stderr)

    def test_an_invalid_rule_set_exits_3_with_the_place(self):
        p = run("triage", "--rules", os.path.join(DATA, "invalid"), "-", stdin="{}")
        self.assertEqual(p.returncode, 3)
        self.assertIn("invalid/index.json:6:60: error: unknown finding 'sadle_numbness' "
                      "(did you mean 'saddle_numbness'?) at /rules/0/when/finding", p.stderr)

    def test_a_missing_rule_set_exits_3(self):
        p = run("triage", "--rules", "/nonexistent/rules", "-", stdin="{}")
        self.assertEqual(p.returncode, 3)
        self.assertIn("cannot read '/nonexistent/rules'", p.stderr)

    def test_pretty_output_is_the_same_result(self):
        case = json.dumps({"case_id": "p", "findings": {"sciatica": True}})
        a = json.loads(run("triage", "--rules", MINI, stdin=case).stdout)
        b = json.loads(run("triage", "--rules", MINI, "--pretty", stdin=case).stdout)
        self.assertEqual(a, b)


class Batch(unittest.TestCase):
    def test_a_bad_line_in_the_middle_gets_an_error_and_the_batch_goes_on(self):
        lines = ['{"case_id": "a", "findings": {"sciatica": true}}',
                 '{"case_id": "b", "findings": {"sciatica": tru}}',
                 '{"case_id": "c", "findings": {"sadle_numbness": true}}',
                 '',
                 '{"case_id": "e", "findings": {"sciatica": true, "saddle_numbness": true}}']
        p = run("batch", "--rules", MINI, stdin="\n".join(lines) + "\n")
        self.assertEqual(p.returncode, 4)
        out = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(out), 5)
        self.assertEqual(out[0]["level"], "self_care")
        self.assertEqual(out[1]["line"], 2)
        self.assertEqual(out[1]["error"]["code"], "invalid_json")
        self.assertIsNone(out[1]["case_id"])
        self.assertEqual(out[2], {"case_id": "c", "line": 3, "error": {
            "code": "unknown_finding", "message": "unknown finding 'sadle_numbness' (did you mean 'saddle_numbness'?)",
            "path": "/findings/sadle_numbness", "line": 1, "column": 31}})
        self.assertEqual(out[3]["error"]["code"], "empty_line")
        self.assertEqual(out[4]["level"], "emergency")
        self.assertIn("3 of 5 lines were rejected", p.stderr)

    def test_all_good_lines_exit_0_and_a_last_line_without_newline_counts(self):
        p = run("batch", "--rules", MINI, stdin='{"case_id": "x"}\n{"case_id": "y"}')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([json.loads(l)["case_id"] for l in p.stdout.splitlines()], ["x", "y"])

    def test_threads_keep_input_order_and_give_the_same_results(self):
        cases = []
        for i in range(10000):
            f = {"sciatica": True} if i % 3 else {"sciatica": True, "saddle_numbness": i % 2 == 0}
            cases.append(json.dumps({"case_id": str(i), "findings": f}))
        feed = "\n".join(cases) + "\n"
        one = run("batch", "--rules", MINI, "--threads", "1", stdin=feed)
        two = run("batch", "--rules", MINI, "--threads", "2", stdin=feed)
        self.assertEqual(one.returncode, 0)
        self.assertEqual(two.returncode, 0)
        self.assertEqual(one.stdout, two.stdout)
        ids = [json.loads(l)["case_id"] for l in two.stdout.splitlines()]
        self.assertEqual(ids, [str(i) for i in range(10000)])

    def test_windows_line_endings_are_accepted(self):
        p = run("batch", "--rules", MINI, stdin='{"case_id": "w"}\r\n')
        self.assertEqual(p.returncode, 0, p.stdout)

    # The batch reads its input in jobs of some 64 KiB or 1024 lines; the tests below span many of them.
    @staticmethod
    def mixed_feed(n):
        """n lines, good ones and bad ones of every kind, of varied lengths so that lines fall across the
        batch's internal job boundaries at every offset. Returns (feed, expected per line: case_id or error code)."""
        lines, want = [], []
        for i in range(n):
            kind = i % 23
            if kind == 5:
                lines.append(""), want.append("empty_line")
            elif kind == 11:
                lines.append('{"case_id": "b%d", "findings": {"sciatica": tru}}' % i), want.append("invalid_json")
            elif kind == 17:
                lines.append('{"case_id": "b%d", "findings": {"sadle_numbness": true}}' % i), want.append("unknown_finding")
            elif kind == 19:
                lines.append('{"case_id": "%s"}\r' % ("p" * (i % 150))), want.append("p" * (i % 150))
            elif kind == 21:
                lines.append('{"case_id": "L%d", "x": "%s"}' % (i, "z" * 300)), want.append("limit")
            else:
                lines.append('{"case_id": "c%d", "findings": {"sciatica": true}}' % i), want.append("c%d" % i)
        return "\n".join(lines) + "\n", want

    def check_mixed(self, stdout, want):
        out = [json.loads(l) for l in stdout.splitlines()]
        self.assertEqual(len(out), len(want))
        for i, (o, w) in enumerate(zip(out, want)):
            if "error" in o:
                self.assertEqual((o["line"], o["error"]["code"]), (i + 1, w))
            else:
                self.assertEqual(o["case_id"], w, "line %d" % (i + 1))

    def test_many_jobs_keep_order_and_bad_lines_across_job_boundaries(self):
        feed, want = self.mixed_feed(30000)  # about 1.5 MB: a few dozen jobs
        outs = set()
        for threads in ("1", "2", "3"):
            p = run("batch", "--rules", MINI, "--threads", threads, "--max-case-bytes", "200", stdin=feed)
            self.assertEqual(p.returncode, 4, p.stderr)
            rejected = sum(w in ("empty_line", "invalid_json", "unknown_finding", "limit") for w in want)
            self.assertIn("%d of 30000 lines were rejected" % rejected, p.stderr)
            self.check_mixed(p.stdout, want)
            outs.add(p.stdout)
        self.assertEqual(len(outs), 1, "the same output whatever the thread count")

    def test_input_from_a_file_reads_the_same_as_from_a_pipe(self):
        feed, want = self.mixed_feed(5000)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write(feed)
        try:
            for threads in ("1", "2"):
                with open(f.name) as stdin:
                    p = subprocess.run([BIN, "batch", "--rules", MINI, "--threads", threads, "--max-case-bytes", "200"],
                                       stdin=stdin, capture_output=True, text=True, timeout=120)
                self.assertEqual(p.stdout, run("batch", "--rules", MINI, "--threads", threads, "--max-case-bytes", "200",
                                               stdin=feed).stdout)
                self.check_mixed(p.stdout, want)
        finally:
            os.unlink(f.name)

    def test_empty_input_gives_no_output_and_exit_0(self):
        for threads in ("1", "2"):
            p = run("batch", "--rules", MINI, "--threads", threads, stdin="")
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))

    def test_a_lone_newline_is_one_empty_line(self):
        for threads in ("1", "2"):
            p = run("batch", "--rules", MINI, "--threads", threads, stdin="\n")
            self.assertEqual(p.returncode, 4)
            self.assertEqual([json.loads(l)["error"]["code"] for l in p.stdout.splitlines()], ["empty_line"])

    def test_a_last_line_without_newline_after_many_jobs_counts(self):
        feed = "\n".join('{"case_id": "%d"}' % i for i in range(20001))  # no final newline
        for threads in ("1", "2"):
            p = run("batch", "--rules", MINI, "--threads", threads, stdin=feed)
            self.assertEqual(p.returncode, 0, p.stderr)
            ids = [json.loads(l)["case_id"] for l in p.stdout.splitlines()]
            self.assertEqual(ids, [str(i) for i in range(20001)])

    def test_long_lines_over_the_limit_between_jobs(self):
        # Lines longer than a job's input (64 KiB), some over the limit, among short ones: each long line is
        # triaged or rejected whole, and the lines around it keep their places.
        big = '{"case_id": "%s", "findings": {"sciatica": true}}'
        lines, want = [], []
        for i in range(60):
            if i % 7 == 3:
                lines.append(big % ("q" * (150000 + i))), want.append("q" * (150000 + i))
            elif i % 7 == 5:
                lines.append(big % ("r" * (300000 + i))), want.append("limit")
            else:
                lines.append('{"case_id": "s%d"}' % i), want.append("s%d" % i)
        feed = "\n".join(lines)
        for threads in ("1", "2"):
            p = run("batch", "--rules", MINI, "--threads", threads, "--max-case-bytes", "200000", stdin=feed)
            self.assertEqual(p.returncode, 4, p.stderr)
            self.check_mixed(p.stdout, want)


class Check(unittest.TestCase):
    def test_check_runs_carried_tests(self):
        p = run("check", MINI)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("3 of 3 carried tests passed", p.stdout)

    def test_a_failing_carried_test_exits_1_with_its_place(self):
        p = run("check", os.path.join(DATA, "failing"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("failing/index.json:8:12: test 'expects too much' failed: level is low, expected high", p.stdout)

    def test_an_invalid_rule_set_exits_3(self):
        self.assertEqual(run("check", os.path.join(DATA, "invalid")).returncode, 3)


class Limits(unittest.TestCase):
    """The limits added with issue #6 (the older ones are tested in tests/bad/test_faults.py): each set
    from the command line, just under passes, just over fails naming the limit."""

    MANY_UNKNOWNS = json.dumps({"findings": {"muscle_cramps": True}})

    def mini_bytes(self):
        return sum(os.path.getsize(os.path.join(MINI, f)) for f in os.listdir(MINI) if f.endswith(".json"))

    def test_help_lists_every_limit(self):
        out = run("--help").stdout
        for name in ("--max-file-bytes", "--max-total-bytes", "--max-depth", "--max-files", "--max-rules",
                     "max_condition_nodes", "--max-case-bytes", "--max-case-depth", "--max-questions"):
            self.assertIn(name, out)

    def test_max_total_bytes(self):
        total = self.mini_bytes()
        for args in (["--limit", "max_total_bytes=%d" % total], ["--max-total-bytes", str(total)]):
            p = run("check", *args, MINI)
            self.assertEqual(p.returncode, 0, p.stderr)
        p = run("check", "--limit", "max_total_bytes=%d" % (total - 1), MINI)
        self.assertEqual(p.returncode, 3)
        # names the file that crossed it (the last one read)
        self.assertIn("error: cannot read '%s': its " % os.path.normpath(os.path.join(MINI, "rules.json")), p.stderr)
        self.assertIn("over the limit of %d bytes for all its files (max_total_bytes;" % (total - 1), p.stderr)
        p = run("check", "--max-total-bytes=%d" % (total - 1), MINI)
        self.assertEqual(p.returncode, 3)
        self.assertIn("(max_total_bytes;", p.stderr)

    def test_max_total_bytes_default_admits_the_shipped_rules(self):
        p = run("check", "--quiet", os.path.join(SRC, "rules"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_max_condition_nodes(self):
        # The documented --limit max_condition_nodes=N was rejected as an unknown limit before.
        rules = {"format": 1,
                 "ruleset": {"id": "t.nodes", "version": "1.0.0", "title": "Nodes", "authors": ["t"],
                             "last_reviewed": "2026-01-01", "validation": "research", "license": "CC0-1.0",
                             "disclaimer": "Test rules."},
                 "levels": [{"id": "low", "label": "L", "action": "A.", "worse": "W."},
                            {"id": "high", "label": "H", "action": "A.", "worse": "W."}],
                 "vocabulary": {"f%d" % i: {"label": "F", "question": "Q?"} for i in range(10)},
                 "rules": [{"id": "wide", "kind": "recommendation", "level": "high", "title": "W", "advice": "A.",
                            "when": {"any": [{"finding": "f%d" % i} for i in range(10)]}}]}  # 11 nodes
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(rules, f)
        self.addCleanup(os.unlink, f.name)
        p = run("check", "--limit", "max_condition_nodes=11", f.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("check", "--limit", "max_condition_nodes=10", f.name)
        self.assertEqual(p.returncode, 3)
        self.assertIn("condition of rule 'wide' has more than 10 tests once its named conditions are written out "
                      "(max_condition_nodes)", p.stderr)

    def test_max_questions_values(self):
        for args in (["--max-questions", "0"], ["--max-questions", "3"], ["--limit", "max_questions=3"],
                     ["--max-questions=3"]):
            p = run("triage", *args, stdin=self.MANY_UNKNOWNS)
            self.assertEqual(p.returncode, 0, (args, p.stderr))
        for args, msg in ((["--max-questions", "-1"], "max_questions must be a number from 0 to"),
                          (["--max-questions", "x"], "max_questions must be a number from 0 to"),
                          (["--max-questions"], "--max-questions needs a number")):
            p = run("triage", *args, stdin=self.MANY_UNKNOWNS)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr, args)

    def test_max_questions_zero_is_all(self):
        a = run("triage", stdin=self.MANY_UNKNOWNS)
        b = run("triage", "--max-questions", "0", stdin=self.MANY_UNKNOWNS)
        self.assertEqual(a.stdout, b.stdout)
        self.assertGreater(len(json.loads(a.stdout)["questions"]), 3)

    def test_max_questions_cuts_triage(self):
        full = json.loads(run("triage", stdin=self.MANY_UNKNOWNS).stdout)["questions"]
        for args in (["--max-questions", "3"], ["--limit", "max_questions=3"]):
            p = run("triage", *args, stdin=self.MANY_UNKNOWNS)
            self.assertEqual(json.loads(p.stdout)["questions"], full[:3], args)

    def test_max_questions_cuts_batch(self):
        feed = (self.MANY_UNKNOWNS + "\n") * 100
        for threads in ("1", "2"):
            p = run("batch", "--threads", threads, "--max-questions", "3", stdin=feed)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual({len(json.loads(l)["questions"]) for l in p.stdout.splitlines()}, {3})


if __name__ == "__main__":
    unittest.main()
