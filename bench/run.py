#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the symtri benchmarks, runs all of them, and prints one table (Markdown).

    bench/run.py                      everything, default repetitions
    bench/run.py --quick              fewer repetitions and rounds (a smoke run, numbers are rough)
    bench/run.py --only load,peers    some sections: load memory triage scaling batch peers

Build directory: build-bench (cmake -DCMAKE_BUILD_TYPE=Release). Generated data (rule sets of 1k, 10k
and 100k rules, 1M batch cases, peer workloads) stays in the build directory, never in the repo.
Results: BUILD/bench-results.json (every number) and BUILD/bench-results.md (the table printed).

Every number is a median over repetitions (Google Benchmark --benchmark_repetitions, or repeated
processes), because the machine is shared and noisy. Single-threaded times are CPU time (steadier
under load than wall time, which is in the JSON too); batch throughput is wall time.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SECTIONS = ["load", "memory", "triage", "scaling", "batch", "peers"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def machine():
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                info["memory_GiB"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    info["load_average"] = os.getloadavg()
    try:  # the engine measured: the commit, and whether include/ had uncommitted changes
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "include", "src"], capture_output=True,
                               text=True).stdout.strip()
        info["engine_tree"] = head + (" + uncommitted changes in include/ or src/" if dirty else "")
    except OSError:
        pass
    try:
        info["compiler"] = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        pass
    return info


def gbench(build, binary, reps, filt=None, min_time=None):
    """Runs a Google Benchmark binary; returns {name: {cpu_ns, real_ns, counters...}} of the medians."""
    out = os.path.join(build, "gbench-%s.json" % binary)
    cmd = [os.path.join(build, "bin", binary), "--benchmark_format=json", "--benchmark_out=" + out,
           "--benchmark_out_format=json", "--benchmark_repetitions=%d" % reps, "--benchmark_report_aggregates_only=true"]
    if filt:
        cmd.append("--benchmark_filter=" + filt)
    if min_time:
        cmd.append("--benchmark_min_time=%g" % min_time)
    sh(cmd, stdout=subprocess.DEVNULL)
    with open(out) as fh:
        data = json.load(fh)
    res = {}
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median" and reps > 1:
            continue
        if "error_message" in b:
            raise SystemExit("%s: %s" % (b["name"], b["error_message"]))
        name = b.get("run_name", b["name"])
        k = scale[b.get("time_unit", "ns")]
        entry = {"cpu_ns": b["cpu_time"] * k, "real_ns": b["real_time"] * k}
        for key, v in b.items():
            if key not in ("name", "run_name", "run_type", "aggregate_name", "aggregate_unit", "family_index",
                           "per_family_instance_index", "repetitions", "repetition_index", "threads", "iterations",
                           "real_time", "cpu_time", "time_unit", "label") and isinstance(v, (int, float)):
                entry[key] = v
        if "label" in b:
            entry["label"] = b["label"]
        res[name] = entry
    return res


def fmt_us(ns):
    us = ns / 1000.0
    return "%.2f" % us if us < 100 else "%.0f" % us


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--only", default=",".join(SECTIONS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, help="Google Benchmark repetitions (default 9, quick 3)")
    ap.add_argument("--batch-cases", type=int, default=1000000)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-install", action="store_true", help="do not install the peers (bench/peers/install.sh)")
    a = ap.parse_args()
    only = set(a.only.split(","))
    reps = a.reps or (3 if a.quick else 9)
    build = a.build
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "reps": reps}

    if "peers" in only and not a.no_install:
        # before configuring, so CMake finds CLIPS's library on a fresh machine
        sh([os.path.join(HERE, "peers", "install.sh")], stdout=sys.stderr)
    if not a.no_build:
        sh(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], stdout=subprocess.DEVNULL)
        sh(["cmake", "--build", build, "-j2", "--target", "symtri_bench"], stdout=subprocess.DEVNULL)
    data = os.path.join(build, "bench-data")
    md = []

    # ------------------------------------------------------------------ load + compile
    if "load" in only:
        r = gbench(build, "symtri_bench_load", max(3, reps // 3))
        results["load"] = r
        md += ["## Load + compile (CPU ms, median)", "",
               "| rule set | rules | load + compile ms | parse only ms | rules/s |", "|---|---:|---:|---:|---:|"]
        sh_ = r.get("load_compile/shipped")
        if sh_:
            md.append("| shipped (built in) | %d | %.2f | | |" % (sh_["rules"], sh_["cpu_ns"] / 1e6))
        for n in (1000, 10000, 100000):
            x = r["load_compile/generated/%d" % n]
            p = r.get("parse_only/generated/%d" % n, {})
            md.append("| generated | %d | %.1f | %.1f | %.0f |" % (n, x["cpu_ns"] / 1e6, p.get("cpu_ns", 0) / 1e6,
                                                                 n / (x["cpu_ns"] / 1e9)))
        m = r.get("load_compile/generated_minified/1000")
        if m:
            md.append("| generated, minified (one line per file) | 1000 | %.1f | | %.0f |" % (
                m["cpu_ns"] / 1e6, 1000 / (m["cpu_ns"] / 1e9)))
        md.append("")

    # ------------------------------------------------------------------ memory
    if "memory" in only:
        mem = {}
        for name in ["shipped"] + ["generated/%d" % n for n in (1000, 10000, 100000)]:
            runs = []
            for _ in range(3 if not a.quick else 1):
                r = gbench(build, "symtri_bench_memory", 1, filt="^memory/%s/" % name)
                runs.append(next(iter(r.values())))
            mem[name] = {k: statistics.median(x[k] for x in runs) for k in runs[0] if k != "label"}
        results["memory"] = mem
        md += ["## Memory after loading (one process per size, median of 3)", "",
               "| rule set | rules | resident MB | resident after malloc_trim MB | peak MB | bytes/rule | load wall ms |",
               "|---|---:|---:|---:|---:|---:|---:|"]
        for name, x in mem.items():
            md.append("| %s | %d | %.1f | %.1f | %.1f | %.0f | %.0f |" % (
                name, x["rules"], x["rss_MB"], x["rss_trim_MB"], x["peak_MB"], x["bytes_per_rule"], x["real_ns"] / 1e6))
        md.append("")

    # ------------------------------------------------------------------ triage, shipped rule set
    if "triage" in only:
        r = gbench(build, "symtri_bench_triage", reps, min_time=0.2)
        results["triage"] = r
        modes = [m for m in ("prepared", "parse", "write", "json", "capi") if "triage_shipped/%s/0" % m in r]
        md += ["## One case, shipped rule set (CPU us per case, median)", "",
               "| case | " + " | ".join(modes) + " | result bytes | fired | questions |",
               "|---|" + "---:|" * (len(modes) + 3)]
        for i, case in enumerate(["typical", "red_flag", "empty"]):
            cells = [fmt_us(r["triage_shipped/%s/%d" % (m, i)]["cpu_ns"]) for m in modes]
            j = r["triage_shipped/json/%d" % i]
            md.append("| %s | %s | %d | %d | %d |" % (case, " | ".join(cells), j.get("result_bytes", 0), j.get("fired", 0),
                                                    j.get("questions", 0)))
        md += ["", "prepared = Evaluator::evaluate on a parsed Case; parse = parse_case; write = write_result; "
               "json = Session::triage (C++); capi = symtri_engine_triage + symtri_result_json + destroy.", ""]

    # ------------------------------------------------------------------ scaling
    if "scaling" in only:
        r = gbench(build, "symtri_bench_scaling", max(3, reps // 2), min_time=0.2)
        results["scaling"] = r
        md += ["## Scaling: the same case against 1k, 10k, 100k generated rules (CPU us per case, median)", "",
               "| mode | case | rules touched | 1k | 10k | 100k | 100k / 1k | questions at 1k / 100k |",
               "|---|---|---:|---:|---:|---:|---:|---:|"]
        for mode in ("prepared", "json", "prepared_q20", "json_q20"):
            for case in ("typical", "findings_only", "red_flag", "empty"):
                xs = [r["scaling/%s/%s/%d" % (mode, case, n)] for n in (1000, 10000, 100000)]
                pr = [r["scaling/%s/%s/%d" % (mode.replace("json", "prepared"), case, n)] for n in (1000, 100000)]
                md.append("| %s | %s | %s | %s | %s | %s | %.2fx | %d / %d |" % (
                    mode, case, " / ".join("%d" % r["scaling/prepared/%s/%d" % (case, n)]["touched"] for n in (1000, 100000)),
                    fmt_us(xs[0]["cpu_ns"]), fmt_us(xs[1]["cpu_ns"]), fmt_us(xs[2]["cpu_ns"]),
                    xs[2]["cpu_ns"] / xs[0]["cpu_ns"], pr[0]["questions"], pr[1]["questions"]))
        md.append("")

    # ------------------------------------------------------------------ batch
    if "batch" in only:
        cases = os.path.join(data, "batch-shipped-%d.jsonl" % a.batch_cases)
        if not os.path.exists(cases):
            sh([sys.executable, os.path.join(HERE, "gen", "gen.py"), "cases", "--rules", os.path.join(ROOT, "rules"),
                "--n", str(a.batch_cases), "--out", cases])
        with open(cases, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
        batch = {}
        for threads in (1, 2):
            walls = []
            for _ in range(3 if not a.quick else 1):
                with open(cases, "rb") as inp, open(os.devnull, "wb") as out:
                    t0 = time.perf_counter()
                    p = subprocess.run([os.path.join(build, "bin", "symtri"), "batch", "--threads", str(threads)],
                                       stdin=inp, stdout=out, stderr=subprocess.PIPE)
                    walls.append(time.perf_counter() - t0)
                if p.returncode != 0:
                    raise SystemExit("symtri batch failed: %s" % p.stderr.decode()[-500:])
                log("batch threads=%d: %.2f s, %.0f cases/s" % (threads, walls[-1], a.batch_cases / walls[-1]))
            w = statistics.median(walls)
            batch[threads] = {"seconds": w, "cases_per_s": a.batch_cases / w, "runs_s": walls}
        results["batch"] = {"cases": a.batch_cases, "input_MB": size / 1e6, "threads": batch}
        md += ["## Batch: `symtri batch` over %s generated typical cases (shipped rules, output to /dev/null; wall, median of %d)"
               % (format(a.batch_cases, ","), 3 if not a.quick else 1), "",
               "| threads | seconds | cases/s |", "|---:|---:|---:|"]
        for t, x in batch.items():
            md.append("| %d | %.2f | %s |" % (t, x["seconds"], format(int(x["cases_per_s"]), ",")))
        md.append("")

    # ------------------------------------------------------------------ peers
    if "peers" in only:
        out = os.path.join(build, "peers-results.json")
        cmd = [sys.executable, os.path.join(HERE, "peers", "run.py"), "--build", build, "--json-out", out,
               "--rounds", "2" if a.quick else "5", "--min-seconds", "0.3" if a.quick else "1", "--no-install"]
        p = sh(cmd, stdout=subprocess.PIPE, text=True)
        with open(out) as fh:
            results["peers"] = json.load(fh)
        md += ["## Peers, side by side", "", p.stdout.strip(), ""]

    md += targets(results)
    m = results["machine"]
    head = ["# symtri benchmarks", "",
            "Machine: %s, %s cores (nproc), %s GiB; %s; load average at start %s. Engine: %s." % (
                m.get("cpu"), m.get("nproc"), m.get("memory_GiB"), m.get("compiler", ""),
                " ".join("%.1f" % x for x in m["load_average"]), m.get("engine_tree", "?")), ""]
    text = "\n".join(head + md)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    with open(os.path.join(build, "bench-results.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    with open(os.path.join(build, "bench-results.md"), "w") as fh:
        fh.write(text + "\n")
    print(text)


def targets(r):
    rows = []

    def row(what, value, target, ok):
        rows.append("| %s | %s | %s | %s |" % (what, value, target, "" if ok is None else "met" if ok else "**missed**"))

    p = r.get("peers")
    if p:
        js = "symtri-capi" if "symtri-capi" in p["engines"] else "symtri-json"
        for n in p["sizes"]:
            x = p["results"][str(n)]
            ref = js if js in x else "symtri-json"
            where = "shipped rule set" if n == "shipped" else "N=%s" % n
            if "floor" in x:  # round by round, then the median, as the peers' ratios
                q = statistics.median(a / b for a, b in zip(x["symtri-prepared"]["round_medians_us"],
                                                            x["floor"]["round_medians_us"]))
                row("prepared evaluation / hand-written loop, %s" % where, "%.2fx" % q, "<= 2x", q <= 2)
            def by_round(e):
                return x[e].get("ratio_median", x[e]["median_us"] / x[ref]["median_us"])
            if "json-rules-engine" in x:
                q = by_round("json-rules-engine")
                row("json-rules-engine / symtri JSON in-out (%s), %s" % (ref, where), "%.0fx" % q, ">= 100x", q >= 100)
            if "clips" in x:
                q = by_round("clips")
                row("CLIPS / symtri JSON in-out (%s), %s" % (ref, where), "%.1fx" % q, ">= 5x", q >= 5)
            if "zen-engine" in x:  # issue 14: reported beside the others, no target
                q = by_round("zen-engine")
                row("GoRules ZEN / symtri JSON in-out (%s), %s (not a target; for the record)" % (ref, where),
                    "%.1fx" % q, "-", None)
    if "load" in r:
        x = r["load"]["load_compile/generated/100000"]
        row("100k rules: load + compile", "%.2f s CPU (%.2f s wall)" % (x["cpu_ns"] / 1e9, x["real_ns"] / 1e9), "< 1 s",
            x["real_ns"] < 1e9)
    if "memory" in r:
        x = r["memory"]["generated/100000"]
        row("100k rules: resident after load", "%.0f MB" % x["rss_MB"], "< 200 MB", x["rss_MB"] < 200)
        row("100k rules: peak resident during load (not a target; for the record)", "%.0f MB" % x["peak_MB"], "-", None)
    if "scaling" in r:
        for mode in ("prepared", "json", "prepared_q20", "json_q20"):
            for case in ("typical", "findings_only", "red_flag", "empty"):
                a = r["scaling"]["scaling/%s/%s/1000" % (mode, case)]["cpu_ns"]
                b = r["scaling"]["scaling/%s/%s/100000" % (mode, case)]["cpu_ns"]
                row("per-case time 100k / 1k rules (%s, %s case)" % (mode, case), "%.2fx" % (b / a), "<= 2x", b / a <= 2)
    if "batch" in r:
        x = r["batch"]["threads"][2]["cases_per_s"]
        row("batch, typical cases, 2 threads", "%s cases/s" % format(int(x), ","), ">= 200,000 cases/s", x >= 200000)
    if not rows:
        return []
    return ["## Targets", "", "| target | measured | goal | |", "|---|---|---|---|"] + rows + [""]


if __name__ == "__main__":
    main()
