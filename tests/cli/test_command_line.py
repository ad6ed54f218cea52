# SPDX-License-Identifier: Apache-2.0
"""The symtri program's command line (issue 16): per-command help, options refused where they do not
belong, missing values, unknown commands and options, batch's input file, and what goes to stdout and
stderr. The commands' behaviour is tested in test_cli.py and beside it."""
import json
import os
import re
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SYMTRI_BIN", "build/bin/symtri")
SRC = os.environ.get("SYMTRI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data")
MINI = os.path.join(DATA, "mini")
CASE = os.path.join(SRC, "examples", "cases", "demo.json")
COMMANDS = ["triage", "batch", "check", "diff", "rules", "explain"]


def run(*args, stdin=""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


class Help(unittest.TestCase):
    def test_every_command_has_its_help_on_stdout(self):
        for cmd in COMMANDS:
            for flag in ("--help", "-h"):
                with self.subTest(cmd=cmd, flag=flag):
                    p = run(cmd, flag)
                    self.assertEqual((p.returncode, p.stderr), (0, ""))
                    self.assertTrue(p.stdout.startswith("usage: symtri " + cmd + " "), p.stdout[:200])
                    self.assertIn("\noptions:\n", p.stdout)
                    self.assertIn("  -h,--help", p.stdout)
                    self.assertIn("\nexit codes: 0 ", p.stdout)

    def test_help_wins_over_other_arguments_and_help_command_is_the_same(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                want = run(cmd, "--help").stdout
                self.assertEqual(run(cmd, "--rules", MINI, "--help").stdout, want)
                self.assertEqual(run("help", cmd).stdout, want)

    def test_each_option_of_the_usage_line_is_described(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                out = run(cmd, "--help").stdout
                usage = out.splitlines()[0]
                described = out[out.index("\noptions:\n"):]
                for opt in re.findall(r"--[a-z-]+", usage):
                    self.assertRegex(described, r"\n  (-\w,)?%s\b" % re.escape(opt), opt)

    def test_program_help_lists_every_command_with_its_usage(self):
        p = run("--help")
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        for cmd in COMMANDS:
            usage = run(cmd, "--help").stdout.splitlines()[0][len("usage: symtri "):]
            self.assertIn("\n  " + usage + "\n", p.stdout)
        self.assertEqual(run("help").stdout, p.stdout)

    def test_no_command_prints_the_help_on_stderr_and_exits_2(self):
        p = run()
        self.assertEqual((p.returncode, p.stdout), (2, ""))
        self.assertIn("commands:", p.stderr)

    def test_the_docs_head_each_command_with_its_usage_and_name_its_options(self):
        with open(os.path.join(SRC, "docs", "cli.md"), encoding="utf-8") as f:
            doc = f.read()
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                out = run(cmd, "--help").stdout
                usage = out.splitlines()[0][len("usage: "):]
                self.assertIn("## `%s`\n" % usage, doc)
                for opt in re.findall(r"\n  (?:-\w,)?(--[a-z-]+)", out):
                    self.assertIn("`" + opt, doc, "%s %s is not in docs/cli.md" % (cmd, opt))


class UsageErrors(unittest.TestCase):
    """Every usage error: exit 2, nothing on stdout, one line saying what was wrong, then a hint to --help."""

    def usage_error(self, args, message, stdin=""):
        p = run(*args, stdin=stdin)
        self.assertEqual(p.returncode, 2, (args, p.stderr))
        self.assertEqual(p.stdout, "", args)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 2, (args, p.stderr))
        self.assertIn(message, lines[0], args)
        self.assertRegex(lines[1], r"^\(run 'symtri( \w+)? --help' for usage\)$")
        return lines[0]

    def test_options_of_other_commands_are_refused(self):
        for args, message in ((["triage", "--threads", "3", CASE], "--threads applies to batch and serve only"),
                              (["triage", "--threads", "3", "--quiet"], "--threads applies to batch and serve only"),
                              (["triage", "--quiet", CASE], "--quiet applies to batch and check only"),
                              (["triage", "-q", CASE], "-q applies to batch and check only"),
                              (["triage", "--coverage"], "--coverage applies to check only"),
                              (["check", "--threads", "2"], "--threads applies to batch and serve only"),
                              (["check", "--pretty"], "--pretty applies to triage and explain only"),
                              (["batch", "--pretty"], "--pretty applies to triage and explain only"),
                              (["batch", "--case", "x"], "--case applies to explain only"),
                              (["rules", "--all-questions"], "--all-questions applies to triage, batch and serve only"),
                              (["rules", "--format", "json"], "--format applies to triage only"),
                              (["diff", "--rules", MINI, MINI, MINI], "--rules applies to triage, batch, check, rules, explain and serve only"),
                              (["explain", "--threads=2", "x"], "--threads applies to batch and serve only"),
                              (["check", "--max-case-bytes", "10"], "--max-case-bytes applies to triage, batch, diff, explain and serve only"),
                              (["rules", "--max-questions", "1"], "--max-questions applies to triage, batch and serve only")):
            with self.subTest(args=args):
                self.usage_error(args, message)

    def test_options_that_need_another(self):
        self.usage_error(["explain", "cauda_equina", "--format", "json"], "--format needs --case")
        self.usage_error(["explain", "cauda_equina", "--pretty"], "--pretty needs --case")
        self.usage_error(["explain", "cauda_equina", "--max-case-bytes", "9"], "--max-case-bytes needs --case")
        self.usage_error(["check", "--min-mcdc", "50"], "--min-mcdc needs --coverage")
        self.usage_error(["check", "--rules", MINI, MINI], "give --rules or PATH, not both")
        self.usage_error(["check", MINI, "--rules", MINI], "give --rules or PATH, not both")

    def test_limits_by_name_that_the_command_does_not_take(self):
        self.usage_error(["check", "--limit", "max_case_bytes=10"],
                         "'max_case_bytes' is not a limit of check; the limits of check are max_file_bytes")
        self.usage_error(["check", "--limit", "max_rule=5"], "unknown limit 'max_rule' (did you mean 'max_rules'?)")

    def test_unknown_options_suggest_the_closest(self):
        self.usage_error(["triage", "--prety"], "unknown option '--prety' (did you mean '--pretty'?)")
        self.usage_error(["batch", "--thread=2"], "unknown option '--thread=2' (did you mean '--threads'?)")
        self.usage_error(["rules", "--bogus"], "unknown option '--bogus'")

    def test_options_before_the_command(self):
        self.usage_error(["--rules", MINI, "triage"], "'--rules' before the command: options follow it")
        self.usage_error(["--bogus"], "'--bogus' before the command")

    def test_unknown_commands(self):
        self.assertEqual(self.usage_error(["triag"], "unknown command 'triag' (did you mean 'triage'?)"),
                         "symtri: unknown command 'triag' (did you mean 'triage'?)")
        self.usage_error(["help", "nosuch"], "unknown command 'nosuch'")
        self.usage_error(["frobnicate"], "unknown command 'frobnicate'")

    def test_missing_values_name_what_they_need(self):
        for args, message in ((["triage", "--rules"], "--rules needs a path"),
                              (["triage", "--format"], "--format needs json, text or cds-hooks"),
                              (["diff", MINI, MINI, "--format"], "--format needs text or json"),
                              (["batch", "--threads"], "--threads needs a number"),
                              (["batch", "--max-case-bytes"], "--max-case-bytes needs a number"),
                              (["check", "--limit"], "--limit needs NAME=VALUE"),
                              (["check", "--coverage", "--min-mcdc"], "--min-mcdc needs a percentage from 0 to 100"),
                              (["explain", "cauda_equina", "--case"], "--case needs a case file (or '-')"),
                              (["explain"], "missing RULE-ID (a rule id; 'symtri rules' lists them)"),
                              (["explain", "--rules", MINI], "missing RULE-ID"),
                              (["diff"], "missing OLD (two rule sets, OLD and NEW: paths, or 'builtin')"),
                              (["diff", MINI], "missing NEW")):
            with self.subTest(args=args):
                line = self.usage_error(args, message)
                self.assertTrue(line.startswith("symtri %s: " % args[0]), line)

    def test_bad_values(self):
        self.usage_error(["batch", "--threads", "0"], "--threads must be a number from 1 to 256, got '0'")
        self.usage_error(["triage", "--format", "txt"], "--format must be json, text or cds-hooks, got 'txt' (did you mean 'text'?)")
        self.usage_error(["diff", "--format", "cds-hooks", MINI, MINI], "--format must be text or json, got 'cds-hooks'")
        self.usage_error(["check", "--coverage", "--min-mcdc", "101"], "--min-mcdc must be a percentage from 0 to 100")
        self.usage_error(["check", "--max-depth", "5000"], "max_depth must be a number from 1 to 1000, got '5000'")

    def test_too_many_arguments(self):
        for args in (["triage", CASE, CASE], ["batch", CASE, CASE], ["check", MINI, MINI], ["rules", MINI],
                     ["explain", "a", "b"], ["diff", MINI, MINI, CASE, CASE]):
            with self.subTest(args=args):
                self.usage_error(args, "unexpected argument '%s' (usage: symtri %s " % (args[-1], args[0]))


class Repeats(unittest.TestCase):
    def test_the_last_of_a_repeated_option_wins(self):
        p = run("triage", "--format", "text", "--format", "json", CASE)
        self.assertEqual(p.returncode, 0, p.stderr)
        json.loads(p.stdout)
        a = run("triage", "--max-questions", "1", "--limit", "max_questions=2", CASE)
        self.assertEqual(len(json.loads(a.stdout)["questions"]), 2, a.stderr)

    def test_option_values_may_look_like_options_and_equals_works(self):
        p = run("triage", "--rules=" + MINI, "--max-questions=1", "-", stdin='{"findings": {"sciatica": true}}')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(json.loads(p.stdout)["questions"]), 1)
        p = run("triage", "--max-questions", "-1", CASE)
        self.assertEqual(p.returncode, 2)
        self.assertIn("max_questions must be a number from 0 to", p.stderr)


class BatchInput(unittest.TestCase):
    FEED = '{"case_id": "a", "findings": {"sciatica": true}}\n{"case_id": "b", "findings": {"x": true}}\n'

    def test_a_file_argument_reads_as_stdin_does(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write(self.FEED)
        self.addCleanup(os.unlink, f.name)
        piped = run("batch", "--rules", MINI, stdin=self.FEED)
        self.assertEqual(piped.returncode, 4)
        self.assertEqual(len(piped.stdout.splitlines()), 2)
        for args in ((f.name,), (f.name, "--threads", "2"), ("--threads", "1", f.name)):
            with self.subTest(args=args):
                p = run("batch", "--rules", MINI, *args, stdin="ignored, the file is read\n")
                self.assertEqual((p.returncode, p.stdout, p.stderr), (piped.returncode, piped.stdout, piped.stderr))
        dash = run("batch", "--rules", MINI, "-", stdin=self.FEED)
        self.assertEqual((dash.returncode, dash.stdout), (piped.returncode, piped.stdout))

    def test_an_input_file_that_cannot_be_read_exits_4(self):
        p = run("batch", "--rules", MINI, "/nonexistent/cases.jsonl")
        self.assertEqual((p.returncode, p.stdout), (4, ""))
        self.assertEqual(p.stderr, "symtri: cannot read input file '/nonexistent/cases.jsonl' (No such file or directory)\n")
        d = tempfile.mkdtemp()
        self.addCleanup(os.rmdir, d)
        p = run("batch", "--rules", MINI, d)
        self.assertEqual((p.returncode, p.stdout), (4, ""))
        self.assertIn("(Is a directory)", p.stderr)


class Streams(unittest.TestCase):
    """Results on stdout; errors and diagnostics on stderr."""

    def test_check_reports_its_result_on_stdout_and_why_it_failed_on_stderr(self):
        p = run("check", os.path.join(DATA, "failing"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("test 'expects too much' failed", p.stdout)   # the failures are the report
        self.assertIn("carried tests passed", p.stdout)
        self.assertEqual(p.stderr, "symtri check: 1 of 1 carried tests failed\n")
        p = run("check", os.path.join(DATA, "invalid"))
        self.assertEqual((p.returncode, p.stdout), (3, ""))           # a rule set that does not load: diagnostics
        self.assertIn("error: unknown finding", p.stderr)

    def test_a_passing_check_writes_nothing_on_stderr(self):
        p = run("check", MINI)
        self.assertEqual((p.returncode, p.stderr), (0, ""))

    def test_version_is_on_stdout(self):
        p = run("--version")
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        self.assertTrue(p.stdout.startswith("symtri "))


if __name__ == "__main__":
    unittest.main()
