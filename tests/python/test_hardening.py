# SPDX-License-Identifier: Apache-2.0
"""Issue 17 (an outside test): depth limits, case_id with U+0000, KeyboardInterrupt safety, NUL in
strings, and the exception types for wrong input."""

import ctypes
import dis
import gc
import subprocess
import sys
import unittest

import support  # noqa: F401  (puts the package on sys.path)
import symtri
from symtri import _lib
from support import CLI, RULES


class TestDepthLimits(unittest.TestCase):
    def test_depths_over_1000_are_refused(self):
        for name in ("max_depth", "max_case_depth", "max_rule_depth"):
            with self.assertRaises(ValueError):
                symtri.Engine.default(**{name: 10**9})
            with symtri.Engine.default(**{name: 1000}):
                pass

    def test_the_c_setter_refuses_them(self):
        L = _lib.lib
        o = _lib.OptionsP()
        self.assertEqual(L.symtri_options_create(ctypes.byref(o)), 0)
        try:
            for opt in (2, 4):
                self.assertEqual(L.symtri_options_set(o, opt, 1000), 0)
                self.assertEqual(L.symtri_options_set(o, opt, 1001), symtri.Status.MISUSE)
                self.assertEqual(L.symtri_options_get(o, opt), 1000)
        finally:
            L.symtri_options_destroy(o)

    def test_a_100000_deep_case_is_a_limit_error(self):
        with symtri.Engine.default(max_case_depth=1000) as e:
            with self.assertRaises(symtri.CaseError) as c:
                e.triage("[" * 100000 + "]" * 100000)
            self.assertEqual(c.exception.code, "limit")


class TestCaseIdWithNul(unittest.TestCase):
    def test_case_id_is_whole(self):
        with symtri.Engine.default() as e:
            r = e.triage('{"case_id": "a\\u0000b", "findings": {}}')
            self.assertEqual(r.case_id, "a\0b")
            self.assertEqual(r["case_id"], "a\0b")
            with self.assertRaises(symtri.CaseError) as c:
                e.triage('{"case_id": "x\\u0000y", "findings": {"nope": true}}')
            self.assertEqual(c.exception.case_id, "x\0y")
            [bad] = e.triage_many(['{"case_id": "p\\u0000q", "findings": 1}'])
            self.assertEqual(bad.error.case_id, "p\0q")

    def test_error_message_and_path_are_whole(self):  # a sibling: the error's C strings stop at a NUL too
        with symtri.Engine.default() as e:
            with self.assertRaises(symtri.CaseError) as c:
                e.triage('{"findings": {"sciatica\\u0000zz": true}}')
            self.assertEqual(c.exception.path, "/findings/sciatica\0zz")
            self.assertIn("sciatica\0zz", c.exception.message)


class TestNulInStrings(unittest.TestCase):
    def test_nul_is_a_value_error(self):
        with self.assertRaises(ValueError):
            symtri.Engine.open(str(RULES) + "\0/../../etc")
        with self.assertRaises(ValueError):
            symtri.Engine.open(str(RULES).encode() + b"\0x")
        with symtri.Engine.default() as e:
            with self.assertRaises(ValueError):
                e.finding_index("sciatica\0zzz")
            with self.assertRaises(ValueError):
                e.levels("fr\0x")
            with self.assertRaises(ValueError):
                e.title("fr\0")
            self.assertEqual(e.finding_index("sciatica"), e.finding_index("sciatic_pain"))
        with self.assertRaises(ValueError):
            symtri.Engine.from_string("{}", name="a\0b")


class TestExceptionTypes(unittest.TestCase):
    def test_wrong_types_are_type_errors(self):
        with symtri.Engine.default() as e:
            for call in (lambda: e.levels(5), lambda: e.vocabulary(b"fr"), lambda: e.title(1.5),
                         lambda: e.finding_index(3), lambda: e.finding_index(None),
                         lambda: e.triage_many([], threads="2"), lambda: e.triage_jsonl(5)):
                with self.assertRaises(TypeError):
                    call()
        with self.assertRaises(TypeError):
            symtri.Engine.from_string("{}", name=5)
        with self.assertRaises(TypeError):
            symtri.Engine.open(5.5)
        with self.assertRaises(TypeError):
            symtri.Engine.default(max_rules="5")
        with self.assertRaises(ValueError):
            symtri.Engine.default(max_rules=2**70)

    def test_bad_values_are_case_errors_with_a_pointer(self):
        with symtri.Engine.default() as e:
            for case, path in [({"findings": {"sciatica": {"present": True, "duration_days": float("nan")}}},
                                "/findings/sciatica/duration_days"),
                               ({"patient": {"age": float("inf")}}, "/patient/age"),
                               ({"case_id": "\ud800"}, "/case_id"),
                               ('{"case_id": "\ud800"}', "/case_id"),
                               ({"findings": {"\udcff": True}}, "/findings")]:
                with self.subTest(case=case):
                    with self.assertRaises(symtri.CaseError) as c:
                        e.triage(case)
                    self.assertTrue(c.exception.path.startswith(path), c.exception.path)
            # and in bulk: one error per case, nothing raised
            [r] = e.triage_many([{"patient": {"age": float("nan")}}])
            self.assertFalse(r.ok)
            out = e.triage_jsonl('{"case_id": "\ud800"}\n')
            self.assertEqual(out.failed, 1)
        with self.assertRaises(symtri.RuleSetError):
            symtri.Engine.from_string('{"format": 1, "x": "\ud800"}')


class TestCrlfAtTheLimit(unittest.TestCase):
    @unittest.skipUnless(CLI, "needs the symtri program (SYMTRI_CLI)")
    def test_the_c_api_and_the_cli_agree(self):
        case = b'{"case_id": "c", "findings": {"sciatica": true}}'
        n = len(case)
        for limit in (n - 1, n, n + 1):
            text = case + b"\r\n" + case + b"\n" + b" " * n + b"x\r\n" + case + b"\r"
            with symtri.Engine.default(max_case_bytes=limit) as e:
                api = e.triage_jsonl(text, threads=1).output.encode()
            cli = subprocess.run([CLI, "batch", "--threads", "1", "--max-case-bytes", str(limit)], input=text,
                                 capture_output=True, timeout=60).stdout
            self.assertEqual(api, cli, f"max_case_bytes={limit}")


class TestKeyboardInterrupt(unittest.TestCase):
    """An interrupt at any bytecode of a call leaves no handle behind: results are destroyed and the
    engine's references balance, so close() frees it. The tracer raises KeyboardInterrupt at the k-th
    opcode the package runs, for every k until a call completes untouched."""

    def setUp(self):
        L = _lib.lib
        self.counts = {"results": 0, "destroyed": 0, "retained": 0, "closed": 0}
        self.saved = {n: getattr(L, n) for n in ("symtri_engine_triage", "symtri_result_destroy",
                                                 "symtri_engine_retain_into", "symtri_engine_close",
                                                 "symtri_engine_triage_many")}
        real = dict(self.saved)
        counts = self.counts

        def triage(h, data, n, out):
            rc = real["symtri_engine_triage"](h, data, n, out)
            counts["results"] += 1 if out[0] else 0
            return rc

        def triage_many(h, p, lens, n, t, outs):
            rc = real["symtri_engine_triage_many"](h, p, lens, n, t, outs)
            counts["results"] += sum(1 for i in range(n) if outs[i])
            return rc

        def destroy(r):
            counts["destroyed"] += 1
            real["symtri_result_destroy"](r)

        def retain_into(h, out):
            rc = real["symtri_engine_retain_into"](h, out)
            counts["retained"] += 1
            return rc

        def close(h):
            counts["closed"] += 1
            real["symtri_engine_close"](h)

        L.symtri_engine_triage, L.symtri_result_destroy = triage, destroy
        L.symtri_engine_retain_into, L.symtri_engine_close = retain_into, close
        L.symtri_engine_triage_many = triage_many

    def tearDown(self):
        for n, f in self.saved.items():
            setattr(_lib.lib, n, f)

    def _interrupt_at(self, k, fn):
        """Runs fn, raising KeyboardInterrupt at the k-th point of the package's code where CPython
        (3.11+) runs signal handlers: a Python function's entry (RESUME), and just after a call
        returns (CALL checks the eval breaker when it is done). Returns whether it was raised."""
        seen = [0]
        pkg = symtri.__file__.rsplit("/", 1)[0]
        after_call = {}

        def points(code):
            if code not in after_call:
                prev, offs = None, set()
                for ins in dis.get_instructions(code):
                    if prev in ("CALL", "CALL_FUNCTION_EX", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW"):
                        offs.add(ins.offset)
                    prev = ins.opname
                after_call[code] = offs
            return after_call[code]

        def tracer(frame, event, arg):
            if not frame.f_code.co_filename.startswith(pkg) or frame.f_code.co_name == "__del__":
                return None  # (an exception in __del__ is only printed: the owners' backstop is not under test)
            frame.f_trace_opcodes = True
            if event == "call" or (event == "opcode" and frame.f_lasti in points(frame.f_code)):
                seen[0] += 1
                if seen[0] == k:
                    raise KeyboardInterrupt
            return tracer

        sys.settrace(tracer)
        try:
            fn()
        except KeyboardInterrupt:
            return True
        finally:
            sys.settrace(None)
        return False

    def _check(self, call):
        e = symtri.Engine.default()
        try:
            for k in range(1, 100000):
                self.counts.update(results=0, destroyed=0, retained=0, closed=0)
                interrupted = self._interrupt_at(k, lambda: call(e))
                gc.collect()
                c = self.counts
                self.assertEqual(c["results"], c["destroyed"], f"result leaked, interrupt at opcode {k}")
                self.assertEqual(c["closed"], c["retained"], f"engine reference leaked, interrupt at opcode {k}")
                if not interrupted:
                    return k
            self.fail("never completed")
        finally:
            self.counts.update(closed=0)
            e.close()
            self.assertEqual(self.counts["closed"], 1)  # the engine's own reference: close() frees it

    def test_triage(self):
        self.assertGreater(self._check(lambda e: e.triage('{"findings": {"sciatica": true}}')), 10)

    def test_triage_many(self):
        self._check(lambda e: e.triage_many(['{"findings": {"sciatica": true}}', '{"findings": 1}']))

    def test_an_engine_property(self):
        self._check(lambda e: e.digest)

    def test_open(self):
        # Opening: the engine object owns the handle from before the open call.
        opened = []
        for k in range(1, 100000):
            self.counts.update(closed=0)
            before = self.counts["closed"]
            interrupted = self._interrupt_at(k, lambda: opened.append(symtri.Engine.default(max_rules=500)))
            for e in opened:
                e.close()
            n = len(opened)
            opened.clear()
            gc.collect()
            # every engine the library opened was closed exactly once (the interrupted one by its owner)
            self.assertGreaterEqual(self.counts["closed"] - before, n)
            if not interrupted:
                break


if __name__ == "__main__":
    unittest.main()
