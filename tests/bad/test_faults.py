# SPDX-License-Identifier: Apache-2.0
"""`symtri batch` under faults, and the limits a host sets on the command line.

Batch: bad lines, a truncated last line, very long lines, NUL bytes, CRLF, and its output pipe closed
early. Every good line still gets its result in order, every bad line its error, and the exit status says
whether anything failed (0 all good, 4 a line was rejected, 1 the output could not be written).
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_bad import BIN, SANITIZED, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MINI = os.path.join(HERE, "..", "data", "mini")
GOOD = '{"case_id": "g%d", "findings": {"sciatica": true, "saddle_numbness": true}}'


def batch(stdin, *args, timeout=300):
    p = subprocess.run([BIN, "batch", "--quiet", *args], input=stdin, capture_output=True, timeout=timeout)
    lines = p.stdout.decode("utf-8").splitlines()
    return p.returncode, [json.loads(l) for l in lines], p.stderr.decode("utf-8", "replace")


class BatchFaults(unittest.TestCase):
    def test_bad_lines_get_errors_in_order_and_the_batch_goes_on(self):
        feed = "\n".join([GOOD % 1, '{"case_id": "b2", "findings": {"sadle_numbness": true}}', "",
                          '{"case_id": "b4", "findings": ', "not json", GOOD % 6, "   ", GOOD % 8]) + "\n"
        for threads in ("1", "2"):
            code, out, err = batch(feed.encode(), "--threads", threads)
            self.assertEqual(code, 4, err)
            self.assertEqual(len(out), 8)
            self.assertEqual([o.get("case_id") for o in out], ["g1", "b2", None, None, None, "g6", None, "g8"])
            self.assertEqual([o["error"]["code"] if "error" in o else "ok" for o in out],
                             ["ok", "unknown_finding", "empty_line", "invalid_json", "invalid_json", "ok", "empty_line", "ok"])
            self.assertEqual([o["line"] for o in out if "error" in o], [2, 3, 4, 5, 7])
            self.assertIn("5 of 8 lines were rejected", err)

    def test_all_good_exits_0(self):
        code, out, err = batch(("\n".join(GOOD % i for i in range(50)) + "\n").encode())
        self.assertEqual(code, 0, err)
        self.assertEqual([o["case_id"] for o in out], ["g%d" % i for i in range(50)])

    def test_a_truncated_last_line_is_still_a_line(self):
        code, out, _ = batch((GOOD % 1 + "\n" + (GOOD % 2)[:30]).encode())
        self.assertEqual(code, 4)
        self.assertEqual(len(out), 2)
        self.assertEqual(out[1]["line"], 2)
        self.assertEqual(out[1]["error"]["code"], "invalid_json")
        # complete but without the final newline: a result, exit 0
        code, out, _ = batch((GOOD % 1 + "\n" + GOOD % 2).encode())
        self.assertEqual(code, 0)
        self.assertEqual([o["case_id"] for o in out], ["g1", "g2"])

    def test_crlf_line_ends_and_nul_bytes(self):
        code, out, _ = batch((GOOD % 1 + "\r\n" + GOOD % 2 + "\r\n").encode())
        self.assertEqual(code, 0)
        self.assertEqual(len(out), 2)
        code, out, _ = batch(b'{"case_id": "n\x00"}\n' + (GOOD % 2).encode() + b"\n")
        self.assertEqual(code, 4)
        self.assertEqual(out[0]["error"]["code"], "invalid_json")
        self.assertEqual(out[1]["case_id"], "g2")

    def test_a_line_over_the_limit_is_rejected_without_holding_it(self):
        long_line = '{"case_id": "' + "x" * (2 << 20) + '"}'
        code, out, _ = batch(("\n".join([GOOD % 1, long_line, GOOD % 3]) + "\n").encode())
        self.assertEqual(code, 4)
        self.assertEqual(len(out), 3)
        self.assertEqual(out[1]["line"], 2)
        self.assertEqual(out[1]["error"]["code"], "limit")
        self.assertEqual(out[1]["error"]["message"], "line is longer than the limit of 1048576 bytes (max_case_bytes)")
        self.assertEqual([out[0]["case_id"], out[2]["case_id"]], ["g1", "g3"])
        code, out, _ = batch(("\n".join([GOOD % 1, GOOD % 2]) + "\n").encode(), "--max-case-bytes", "40")
        self.assertEqual([o["error"]["message"] for o in out], ["line is longer than the limit of 40 bytes (max_case_bytes)"] * 2)

    def test_many_long_lines_keep_memory_bounded(self):
        # 160 lines of ~900 KB each, all under the limit: about 150 MB in, and as much out (the
        # case_id is echoed). Blocks are capped at 16 MiB, so memory stays far below the input's size.
        line = '{"case_id": "' + "y" * 900000 + '", "findings": {"fever": true}}\n'
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "in.jsonl")
            with open(path, "w") as f:
                for _ in range(160):
                    f.write(line)
            with open(path, "rb") as stdin, open(os.devnull, "wb") as devnull:
                p = subprocess.Popen([BIN, "batch", "--quiet", "--threads", "2"], stdin=stdin, stdout=devnull,
                                     stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        if not SANITIZED:
            self.assertLess(usage.ru_maxrss / 1024, 200, "peak memory in MiB")

    def test_output_closed_early_exits_1_without_a_signal(self):
        feed = ("\n".join(GOOD % i for i in range(20000)) + "\n").encode()
        p = subprocess.Popen([BIN, "batch", "--quiet", "--threads", "2"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def feed_it():
            try:
                p.stdin.write(feed)
                p.stdin.close()
            except BrokenPipeError:
                pass
        writer = threading.Thread(target=feed_it)
        writer.start()
        first = p.stdout.readline()
        p.stdout.close()  # the reader goes away
        err = p.stderr.read().decode()
        p.stderr.close()
        code = p.wait(timeout=300)
        writer.join()
        self.assertEqual(json.loads(first)["case_id"], "g0")
        self.assertEqual(code, 1, err)  # not -SIGPIPE: the failure is noticed and reported
        self.assertIn("cannot write results", err)


MINI_ROOT = {"format": 1,
             "ruleset": {"id": "t", "version": "1", "title": "T", "authors": ["t"], "last_reviewed": "2026-01-01",
                         "validation": "research", "license": "CC0-1.0", "disclaimer": "Test."},
             "levels": [{"id": "low", "label": "L", "action": "Rest.", "worse": "Book."}],
             "vocabulary": {"a": {"label": "A", "question": "A?"}},
             "rules": [{"id": "r", "kind": "info", "when": {"finding": "a"}, "title": "R", "advice": "Rest."}]}


class Pathological(unittest.TestCase):
    """Inputs within every limit that once took minutes or gigabytes (found by fuzzing and review); each
    now takes well under a second. The bounds leave room for slow and sanitized builds."""

    def check(self, name, text, args, want_exit, seconds=30, rss_mb=512):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
            code, out, err, secs, rss = run([BIN, *args, name], tmp, 120)
        self.assertEqual(code, want_exit, err[-1000:])
        self.assertLess(secs, seconds if not SANITIZED else 4 * seconds)
        if not SANITIZED:
            self.assertLess(rss, rss_mb)
        return err

    def test_an_object_of_300000_keys_loads_in_linear_time(self):
        # ordered_json looked every key up linearly: O(n^2) string compares
        root = dict(MINI_ROOT)
        root["$comment"] = {"k%d" % i: 0 for i in range(300000)}
        self.check("index.json", json.dumps(root), ["check"], 0, seconds=20)

    def test_a_long_key_over_a_big_array_costs_memory_in_proportion(self):
        # positions were kept by whole JSON Pointer: 2 million values x a 1 MB key each
        text = '{"format": 1, "' + "k" * 1000000 + '": [' + ",".join(["0"] * 2000000) + "]}"
        err = self.check("index.json", text, ["check"], 3, seconds=30, rss_mb=1024)
        self.assertIn("unknown key 'kkkk", err)

    def test_a_one_line_case_reports_its_error_position_in_linear_time(self):
        # columns were counted from the line's start for every value: O(n^2) on one long line
        text = '{"findings": {"fever": true}, "pad": [' + ",".join(["0"] * 400000) + "]}"
        err = self.check("case.json", text, ["triage"], 4, seconds=10)
        self.assertIn("case.json:1:31: error: unknown key 'pad' in case", err)


class Limits(unittest.TestCase):
    def test_max_rules(self):
        code, _, err, _, _ = run([BIN, "check", "--max-rules", "2", MINI], HERE, 120)
        self.assertEqual(code, 3)
        self.assertIn("more than 2 rules (max_rules)", err)

    def test_max_depth_and_max_file_bytes(self):
        code, _, err, _, _ = run([BIN, "check", "--max-depth", "3", MINI], HERE, 120)
        self.assertEqual(code, 3)
        self.assertIn("nesting deeper than the limit of 3 levels (max_depth)", err)
        code, _, err, _, _ = run([BIN, "check", "--limit", "max_file_bytes=100", MINI], HERE, 120)
        self.assertEqual(code, 3)
        self.assertIn("over the limit of 100 (max_file_bytes)", err)

    def test_the_built_in_rules_obey_the_limits_too(self):
        code, _, err, _, _ = run([BIN, "check", "--max-rules", "10"], HERE, 120)
        self.assertEqual(code, 3)
        self.assertIn("(max_rules)", err)

    def test_case_limits(self):
        p = subprocess.run([BIN, "triage", "--max-case-bytes", "10", "-"], input=GOOD.encode(), capture_output=True)
        self.assertEqual(p.returncode, 4)
        self.assertEqual(json.loads(p.stdout)["error"]["code"], "limit")
        self.assertIn("over the limit of 10 bytes (max_case_bytes)", p.stderr.decode())
        p = subprocess.run([BIN, "triage", "--limit", "max_case_depth=1", "-"], input=GOOD.encode(), capture_output=True)
        self.assertEqual(p.returncode, 4)
        self.assertIn("(max_case_depth)", p.stderr.decode())

    def test_defaults_accept_the_shipped_rules(self):
        code, _, err, _, _ = run([BIN, "check"], HERE, 120)
        self.assertEqual(code, 0, err)

    def test_bad_limit_options_are_usage_errors(self):
        for args, msg in ((["--limit", "max_rule=5"], "unknown limit 'max_rule' (did you mean 'max_rules'?)"),
                          (["--limit", "max_rules"], "--limit needs NAME=VALUE"),
                          (["--max-rules", "0"], "max_rules must be a number from 1 to"),
                          (["--max-depth", "5000"], "max_depth must be a number from 1 to 1000, got '5000'"),
                          (["--max-case-bytes", "12Q"], "max_case_bytes must be a number"),
                          (["--max-file-bytes"], "--max-file-bytes needs a number")):
            # A case limit is an option of the commands that read cases (check refuses it, issue 16).
            cmd = "triage" if args[0] == "--max-case-bytes" else "check"
            code, _, err, _, _ = run([BIN, cmd, *args], HERE, 60)
            self.assertEqual(code, 2, args)
            self.assertIn(msg, err, args)

    def test_size_suffixes(self):
        code, _, err, _, _ = run([BIN, "check", "--max-file-bytes", "1K", MINI], HERE, 60)
        self.assertEqual(code, 3)
        self.assertIn("over the limit of 1024 (max_file_bytes)", err)
        code, _, err, _, _ = run([BIN, "check", "--max-file-bytes", "1M", MINI], HERE, 60)
        self.assertEqual(code, 0, err)


if __name__ == "__main__":
    unittest.main()
