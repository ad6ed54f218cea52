# SPDX-License-Identifier: Apache-2.0
"""Threads: ctypes releases the GIL, so threads triage one engine in parallel with identical results;
engines swapped under concurrent triage never mix rule sets."""

import random
import threading
import unittest

import support  # noqa: F401
import symtri
from support import RULES, SMALL, SMALL_V2


def make_cases(engine, n, seed=7):
    rng = random.Random(seed)
    ids = [f.id for f in engine.vocabulary()]
    cases = []
    for i in range(n):
        findings = {f: rng.choice([True, False, None]) for f in rng.sample(ids, 12)}
        cases.append({"case_id": f"t{i}", "findings": findings, "patient": {"age": rng.randrange(0, 100)}})
    return cases


class TestThreads(unittest.TestCase):
    def test_threads_give_single_threaded_results(self):
        with symtri.Engine.open(RULES) as engine:
            cases = make_cases(engine, 400)
            expected = [engine.triage(c).json for c in cases]
            got = [[None] * len(cases) for _ in range(6)]

            def work(t):
                order = list(range(len(cases)))
                random.Random(t).shuffle(order)
                for i in order:
                    got[t][i] = engine.triage(cases[i]).json

            threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            for t in range(6):
                self.assertEqual(got[t], expected)

    def test_hot_swap_under_concurrent_triage(self):
        current = {"engine": symtri.Engine.open(SMALL)}
        stop = threading.Event()
        problems = []
        seen = {"1.0.0": 0, "2.0.0": 0}
        lock = threading.Lock()

        def work():
            while not stop.is_set():
                engine = current["engine"]
                try:
                    r = engine.triage({"findings": {"speech_difficulty": True}})
                except symtri.SymtriError as e:
                    # closed between reading current and the call: the binding refuses cleanly
                    if e.status != symtri.Status.MISUSE:
                        problems.append(repr(e))
                    continue
                version = r["ruleset"]["version"]
                want = {"1.0.0": "ambulance", "2.0.0": "emergency"}[version]
                if r.level != want:
                    problems.append(f"{version}: {r.level}")
                with lock:
                    seen[version] += 1

        threads = [threading.Thread(target=work) for _ in range(4)]
        for th in threads:
            th.start()
        for k in range(30):
            fresh = symtri.Engine.open(SMALL_V2 if k % 2 == 0 else SMALL)
            old, current["engine"] = current["engine"], fresh
            old.close()
            stop.wait(0.005)
        stop.set()
        for th in threads:
            th.join()
        current["engine"].close()
        self.assertEqual(problems, [])
        self.assertGreater(seen["1.0.0"], 0)
        self.assertGreater(seen["2.0.0"], 0)


if __name__ == "__main__":
    unittest.main()
