#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Peers, side by side: installs them, generates one workload in each engine's format, checks that
every engine finds the same matches, and times them one after another, in rounds.

    bench/peers/run.py [--build DIR] [--sizes 50,5000,shipped] [--rounds 3] [--json-out FILE] [--no-install]

Engines (each a separate process, one after another, for every size, in every round):
    floor              hand-written C++ loop over the same rules (bench/peers/native.cpp)
    symtri-prepared    symtri, case prepared once, no JSON (Evaluator::evaluate)
    symtri-json        symtri, JSON in -> JSON out, C++ API (Session::triage)
    symtri-capi        symtri, JSON in -> JSON out, C API (symtri_engine_triage + symtri_result_json)
    clips              CLIPS 6.30: reset, assert-string, run, read (fired K) facts, write JSON
    json-rules-engine  npm 7.3.1: JSON.parse, await engine.run(facts), JSON.stringify(events)
    json-logic-js      npm 2.0.5: JSON.parse, apply every rule, JSON.stringify(matches)
    zen-engine         GoRules ZEN, npm @gorules/zen-engine 0.54.0 (Rust core, N-API binding): JSON.parse,
                       await decision.evaluate(facts) of one decision table (hit policy "collect"),
                       JSON.stringify(rule ids)

Workloads: N = 50 and 5,000 generated rules (workload.py), and "shipped": the shipped rule set
translated for json-rules-engine and ZEN (shipped.py; symtri, json-rules-engine and ZEN only, and
symtri's own answer is the reference there).

Each run reports the time per case of each pass (a pass = all 256 cases); a run's number is the median
of its passes; the reported number is the median over rounds. Ratios are taken between numbers of the
same run of this script. Any engine whose matches differ from the expected ones (computed in Python by
workload.py) fails the run.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

NATIVE = ["floor", "symtri-prepared", "symtri-json", "symtri-capi"]
SHIPPED_ENGINES = ["symtri-prepared", "symtri-json", "zen-engine", "json-rules-engine"]
ORDER = ["floor", "symtri-prepared", "symtri-json", "symtri-capi", "clips", "json-logic-js", "zen-engine",
         "json-rules-engine"]
NODE_PACKAGES = {"json-rules-engine": "json-rules-engine", "json-logic-js": "json-logic-js",
                 "zen-engine": "@gorules/zen-engine"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def command(engine, build, work, n):
    bindir = os.path.join(build, "bin")
    if engine in NATIVE:
        return [os.path.join(bindir, "symtri_peer_native"), engine, work, str(n)]
    if engine == "clips":
        return [os.path.join(bindir, "symtri_peer_clips"), work, str(n)]
    return ["node", os.path.join(HERE, "peers.js"), engine, work, str(n)]


def available(engine, build):
    bindir = os.path.join(build, "bin")
    if engine == "symtri-capi":
        out = subprocess.run([os.path.join(bindir, "symtri_peer_native"), "symtri-capi", "/nonexistent", "1"],
                             capture_output=True, text=True)
        return "unknown mode" not in out.stderr
    if engine in NATIVE:
        return os.path.exists(os.path.join(bindir, "symtri_peer_native"))
    if engine == "clips":
        return os.path.exists(os.path.join(bindir, "symtri_peer_clips"))
    package = os.path.join(HERE, "node_modules", NODE_PACKAGES.get(engine, engine))
    if shutil.which("node") is None or not os.path.isdir(package):
        return False
    if engine == "zen-engine":  # its native binary is a per-platform optional package: does it load here?
        return subprocess.run(["node", "-e", "require('@gorules/zen-engine')"], cwd=HERE,
                              capture_output=True).returncode == 0
    return True


def run_one(engine, build, work, n, min_seconds):
    env = dict(os.environ)
    env.setdefault("PEERS_MIN_SECONDS", str(min_seconds))
    env.setdefault("PEERS_MIN_PASSES", "5")
    if engine == "json-rules-engine" and n != "shipped" and int(n) >= 1000:  # ~35 s a pass at 5,000 rules: one timed pass per round
        env["PEERS_MIN_PASSES"] = "1"
        env["PEERS_MIN_SECONDS"] = "0"
    out = subprocess.run(command(engine, build, work, n), capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit("%s failed (N=%s): %s" % (engine, n, out.stderr.strip()))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--work", help="where the workloads go (default BUILD/peers-data)")
    ap.add_argument("--sizes", default="50,5000,shipped")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--min-seconds", type=float, default=1.0, help="least time a run spends timing")
    ap.add_argument("--engines", default=",".join(ORDER))
    ap.add_argument("--json-out")
    ap.add_argument("--no-install", action="store_true")
    a = ap.parse_args()
    work = a.work or os.path.join(a.build, "peers-data")
    sizes = [x if x == "shipped" else int(x) for x in a.sizes.split(",")]

    if not a.no_install:
        subprocess.run([os.path.join(HERE, "install.sh")], check=True, stdout=sys.stderr)
    engines = [e for e in a.engines.split(",") if e]
    missing = [e for e in engines if not available(e, a.build)]
    for e in missing:
        log("peers: %s is not available, skipped (build symtri_bench; bench/peers/install.sh)" % e)
    engines = [e for e in engines if e not in missing]

    expected = {}
    for n in sizes:
        if n == "shipped":
            subprocess.run([sys.executable, os.path.join(HERE, "shipped.py"), "--rules", os.path.join(ROOT, "rules"),
                            "--out", work], capture_output=True, text=True, check=True)
            continue
        out = subprocess.run([sys.executable, os.path.join(HERE, "workload.py"), "--n", str(n), "--out", work],
                             capture_output=True, text=True, check=True)
        expected[n] = json.loads(out.stdout)

    def engines_for(n):
        return [e for e in engines if n != "shipped" or e in SHIPPED_ENGINES]

    runs = {(e, n): [] for n in sizes for e in engines_for(n)}
    for r in range(a.rounds):
        for n in sizes:
            for e in engines_for(n):
                res = run_one(e, a.build, work, n, a.min_seconds)
                if n not in expected:  # shipped: the first engine's answer (symtri-prepared) is the reference
                    expected[n] = {"digest": res["digest"], "total_matches": res["total_matches"]}
                if res["digest"] != expected[n]["digest"]:
                    raise SystemExit("MISMATCH: %s at N=%s found %d matches, expected %d (digest %s != %s)" % (
                        e, n, res["total_matches"], expected[n]["total_matches"], res["digest"], expected[n]["digest"]))
                runs[(e, n)].append(res)
                log("round %d N=%-7s %-18s %12.3f us/case  (%d passes, matches ok: %d)" % (
                    r + 1, n, e, res["median_us"], res["passes"], res["total_matches"]))

    summary = {"sizes": sizes, "rounds": a.rounds, "engines": engines, "cases": 256, "results": {}}
    for n in sizes:
        row = {}
        for e in engines_for(n):
            rs = runs[(e, n)]
            row[e] = {"median_us": statistics.median(x["median_us"] for x in rs),
                      "round_medians_us": [x["median_us"] for x in rs],
                      "min_us": min(min(x["us_per_case"]) for x in rs),
                      "load_ms": statistics.median(x["load_ms"] for x in rs),
                      "out_bytes_per_case": rs[0].get("out_bytes_per_case"),
                      "matches": rs[0]["total_matches"]}
        # Ratios to symtri's JSON in-out, round by round (each round runs every engine back to back), then
        # the median: steadier than a ratio of medians when the machine's speed drifts between rounds.
        ref = "symtri-capi" if "symtri-capi" in row else "symtri-json"
        if ref in row:
            for e in row:
                row[e]["ratio_to_%s_by_round" % ref] = [a / b for a, b in zip(row[e]["round_medians_us"],
                                                                            row[ref]["round_medians_us"])]
                row[e]["ratio_median"] = statistics.median(row[e]["ratio_to_%s_by_round" % ref])
        summary["results"][str(n)] = row
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump(summary, fh, indent=1)
    print(table(summary))


def table(summary):
    engines = summary["engines"]
    js = "symtri-capi" if "symtri-capi" in engines else "symtri-json"
    sizes = summary["sizes"]
    lines = ["Workloads: N generated rules, each an `all` of 3 conditions over 20 facts (10 boolean, 10 integer), "
             "256 cases; and the shipped rule set translated for json-rules-engine and ZEN, 256 fully answered cases. "
             "Every engine found exactly the same matches. CPU us per case, median of %d rounds; "
             "ratio = engine / symtri JSON in-out (%s; symtri-json for the shipped set) in the same round, "
             "median over rounds." % (summary["rounds"], js), "",
             "| engine | " + " | ".join("%s us/case | ratio" % ("shipped" if n == "shipped" else "N=%s" % n)
                                       for n in sizes) + " |",
             "|---|" + "---:|---:|" * len(sizes)]
    for e in engines:
        cells = []
        for n in sizes:
            row = summary["results"][str(n)]
            ref = row.get(js) or row.get("symtri-json")
            if e not in row:
                cells.append("- | -")
                continue
            t = row[e]["median_us"]
            q = row[e].get("ratio_median", t / ref["median_us"])
            cells.append("%s | %s" % ("%.2f" % t if t < 100 else "%.0f" % t, ("%.2fx" % q) if q < 10 else "%.0fx" % q))
        lines.append("| %s | %s |" % (e, " | ".join(cells)))
    lines.append("")
    lines.append("Matches per case: " + ", ".join(
        "%s: %.1f" % ("shipped" if n == "shipped" else "N=%s" % n,
                      next(iter(summary["results"][str(n)].values()))["matches"] / summary["cases"]) for n in sizes) +
        ". symtri's result JSON per case: " + ", ".join(
        "%s: %s bytes" % ("shipped" if n == "shipped" else "N=%s" % n,
                          (summary["results"][str(n)].get(js) or summary["results"][str(n)]["symtri-json"])
                          .get("out_bytes_per_case")) for n in sizes) + ".")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
