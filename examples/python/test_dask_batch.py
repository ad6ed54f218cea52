# SPDX-License-Identifier: Apache-2.0
"""examples/python/dask_batch.py on a local Dask cluster with two workers: for every input file its output
equals `symtri batch < file` byte for byte, every worker loads the engine once, and the summary adds up.

Needs Debian's python3-dask and python3-distributed, the symtri Python package (PYTHONPATH=python) and
libsymtri (SYMTRI_LIBRARY), and the symtri program (SYMTRI_BIN) for the reference output.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    from distributed import Client, LocalCluster
    import dask_batch
except ImportError as e:  # fail loudly: a scale-out test that does not run proves nothing
    raise SystemExit("test_dask_batch: %s. Install Debian's python3-dask and python3-distributed "
                     "(scripts/dev.sh test does) and put python/ on PYTHONPATH." % e)

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", HERE.parents[1]))
BIN = os.environ.get("SYMTRI_BIN", str(SRC / "build" / "bin" / "symtri"))
MINI = str(SRC / "tests" / "data" / "mini")


def vignette_cases():
    out = []
    for f in sorted((SRC / "tests" / "vignettes").glob("*.jsonl")):
        out += [json.loads(l)["case"] for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
    return out


def write_inputs(d):
    """Two JSON Lines files with good cases, rejected lines of every kind, and awkward line endings."""
    cases = vignette_cases()
    lines = []
    for i in range(2500):
        c = dict(cases[i % len(cases)])
        c["case_id"] = "c%05d" % i
        lines.append(json.dumps(c))
        if i % 211 == 0:
            lines.append("")                                                  # empty line
        if i % 307 == 0:
            lines.append('{"case_id": "bad%d", "findings": {"sciatica": tru}}' % i)  # invalid JSON
        if i % 401 == 0:
            lines.append(json.dumps({"case_id": {"x": ',"line":9,"level":"ambulance"'}}))  # a case_id that lies
        if i % 503 == 0:
            lines.append(json.dumps({"findings": {"sadle_numbness": True}}) + "\r")   # CRLF, unknown finding
    a = pathlib.Path(d, "part-a.jsonl")
    a.write_text("\n".join(lines) + "\n", encoding="utf-8")
    b = pathlib.Path(d, "part-b.jsonl")
    b.write_text("\n".join(lines[:333]), encoding="utf-8")                     # last line without a newline
    empty = pathlib.Path(d, "part-c.jsonl")
    empty.write_text("", encoding="utf-8")
    return [a, b, empty]


def symtri_batch(path, *args):
    with open(path, "rb") as f:
        return subprocess.run([BIN, "batch", *args], stdin=f, capture_output=True, timeout=300).stdout


class Planning(unittest.TestCase):
    def test_partitions_are_whole_lines_and_cover_the_file(self):
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d, "x.jsonl")
            p.write_bytes(b"a\nbb\n\nccc\nd")
            parts = dask_batch.plan(str(p), 2)
            self.assertEqual([(x.start, x.end, x.first_line, x.lines) for x in parts],
                             [(0, 5, 1, 2), (5, 10, 3, 2), (10, 11, 5, 1)])
            p.write_bytes(b"")
            self.assertEqual(dask_batch.plan(str(p), 2), [])

    def test_renumber_moves_error_lines_only(self):
        out = ('{"case_id":"a","level":"routine","x":1}\n'
               '{"case_id":{"y":",\\"line\\":1,"},"line":2,"error":{"code":"wrong_type","line":1,"column":2}}\n')
        got = dask_batch.renumber(out, 101)
        self.assertIn('{"case_id":"a","level":"routine","x":1}\n', got)
        self.assertIn(',"line":102,"error":{"code":"wrong_type","line":1,"column":2}}', got)
        self.assertEqual(dask_batch.level_of('{"case_id":"a","level":"routine"}'), "routine")
        self.assertIsNone(dask_batch.level_of('{"case_id":null,"line":3,"error":{}}'))


class OnALocalCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.inputs = write_inputs(cls.tmp.name)
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def test_results_equal_symtri_batch_and_each_worker_loads_the_engine_once(self):
        out = os.path.join(self.tmp.name, "out")
        s = dask_batch.run([os.path.join(self.tmp.name, "part-*.jsonl")], out, self.client, partition_lines=97)
        self.assertEqual(len(s.outputs), 3)
        total = rejected = 0
        for path, result in zip(self.inputs, sorted(s.outputs)):
            with self.subTest(path.name):
                want = symtri_batch(path)
                got = pathlib.Path(result).read_bytes()
                self.assertEqual(got, want)
                total += len(want.splitlines())
                rejected += sum(1 for l in want.splitlines() if b'"error":{' in l and not l.startswith(b'{"case_id":"c'))
        self.assertEqual(s.cases, total)
        self.assertGreater(s.rejected, 20)
        self.assertEqual(s.cases - s.rejected, sum(s.levels.values()))
        self.assertEqual(len(s.workers), 2, "both workers should have had partitions")
        self.assertEqual(s.engine_loads, 2, "the engine is loaded once per worker, not once per task")
        self.assertFalse(os.path.exists(os.path.join(out, ".parts")))

    def test_a_rule_set_path_is_loaded_by_every_worker(self):
        out = os.path.join(self.tmp.name, "out-mini")
        s = dask_batch.run([str(self.inputs[1])], out, self.client, rules=MINI, partition_lines=50)
        self.assertEqual(pathlib.Path(s.outputs[0]).read_bytes(), symtri_batch(self.inputs[1], "--rules", MINI))
        # restore the built-in rule set for any test that runs after this one
        self.client.register_worker_plugin(dask_batch.SymtriEngine(None), name=dask_batch.PLUGIN)


class CommandLine(unittest.TestCase):
    def test_the_script_runs_its_own_two_worker_cluster(self):
        with tempfile.TemporaryDirectory() as d:
            inputs = write_inputs(d)
            out = os.path.join(d, "out")
            p = subprocess.run([sys.executable, str(HERE / "dask_batch.py"), str(inputs[1]), "--out", out,
                                "--workers", "2", "--partition-lines", "40"],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 4, p.stderr[-2000:])  # some lines were rejected, as with symtri batch
            self.assertEqual(p.stdout.strip(), os.path.join(out, "part-b.results.jsonl"))
            self.assertRegex(p.stderr, r"dask_batch: 333 cases in .* on 2 workers \(2 engine loads\)")
            self.assertEqual(pathlib.Path(out, "part-b.results.jsonl").read_bytes(), symtri_batch(inputs[1]))


if __name__ == "__main__":
    unittest.main()
