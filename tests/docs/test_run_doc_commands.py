# SPDX-License-Identifier: Apache-2.0
"""run_doc_commands.py can fail: a failing command is reported with its file and line, output that differs
from the documented output is reported, '...' abridges, markers bind to the next block only, and a skip
needs a reason. Run by CTest with SYMTRI_SOURCE_DIR, SYMTRI_BIN_DIR and SYMTRI_LIB_DIR set."""
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_doc_commands as r  # noqa: E402

SRC = Path(os.environ.get("SYMTRI_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = Path(os.environ.get("SYMTRI_BIN_DIR", SRC / "build" / "bin"))
LIB = Path(os.environ.get("SYMTRI_LIB_DIR", SRC / "build" / "lib"))


def run(markdown):
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write(markdown)
    try:
        return r.run_doc(SRC, "t.md", BIN, LIB, path=f.name)
    finally:
        os.unlink(f.name)


class Matching(unittest.TestCase):
    def test_ellipsis(self):
        self.assertTrue(r.matches(["a ... c", "...", "z"], "a b c\nx\ny\nz\n"))
        self.assertTrue(r.matches(["a", "...", "z"], "a\nz"))
        self.assertFalse(r.matches(["a", "z"], "a\nb\nz\n"))
        self.assertFalse(r.matches(["a ... c"], "a b d\n"))
        self.assertTrue(r.matches(["x  "], "x\n"))  # trailing spaces do not count
        self.assertTrue(r.matches([], ""))


class Running(unittest.TestCase):
    def test_a_failing_command_is_named_by_file_and_line(self):
        failures, counts = run("# t\n\n```sh\ntrue\nfalse\ntrue\n```\n")
        self.assertEqual(counts["sh"], 1)
        self.assertEqual(len(failures), 1)
        self.assertTrue(failures[0].startswith("t.md:5: exit 1: false"), failures[0])

    def test_a_background_job_does_not_outlive_its_block(self):
        # A block that starts a server with & and then fails (say curl is missing) must not leave the server
        # holding the output pipe: the run would hang until CTest's timeout.
        import time
        start = time.monotonic()
        failures, _ = run("```sh\nsleep 600 &\nfalse\n```\n\n```sh\nsleep 600 &\ntrue\n```\n\n"
                          "```sh\nsleep 600 &\nkill %1\n```\n")  # the docs' own pattern: stopped by the block
        self.assertLess(time.monotonic() - start, 60)
        self.assertEqual(len(failures), 1)
        self.assertTrue(failures[0].startswith("t.md:3: exit 1: false"), failures[0])

    def test_output_differs(self):
        doc = "```sh\necho one\n```\n<!-- docs-test: output -->\n```text\ntwo\n```\n"
        failures, _ = run(doc)
        self.assertEqual(len(failures), 1)
        self.assertIn("the output differs", failures[0])
        self.assertEqual(run(doc.replace("two", "one"))[0], [])

    def test_transcripts_use_the_program_on_path(self):
        failures, counts = run("```text\n$ symtri check rules/ | tail -1\n  ... of ... carried tests passed\n"
                               "$ echo hi\nho\n```\n")
        self.assertEqual(counts["transcript"], 1)
        self.assertEqual(len(failures), 1)
        self.assertTrue(failures[0].startswith("t.md:4: echo hi: the output differs"), failures[0])

    def test_markers(self):
        failures, counts = run("<!-- docs-test: skip not now -->\n```sh\nfalse\n```\n\n```sh\ntrue\n```\n")
        self.assertEqual((failures, counts["skipped"], counts["sh"]), ([], 1, 1))
        # a marker binds to the next block only when nothing but blank lines come between
        failures, _ = run("<!-- docs-test: skip not now -->\ntext\n\n```sh\nfalse\n```\n")
        self.assertEqual(len(failures), 1)
        failures, _ = run("<!-- docs-test: skip -->\n```sh\nfalse\n```\n")
        self.assertEqual(len(failures), 1)
        self.assertIn("needs a reason", failures[0])
        failures, _ = run("<!-- docs-test: file x/y.txt -->\n```\nhello\n```\n\n```sh\ngrep -qx hello x/y.txt\n```\n")
        self.assertEqual(failures, [])

    def test_the_suite_itself_is_never_run(self):
        failures, _ = run("```sh\nscripts/dev.sh test\n```\n")
        self.assertEqual(len(failures), 1)
        self.assertIn("mark it docs-test: skip", failures[0])

    def test_the_readme_opens_with_its_two_commands_marked_skip(self):
        failures = []
        r.check_readme_top(SRC, failures)
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
