#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan) in build-fuzz/ and runs each for a bounded time.
#
#   fuzz/run.sh [SECONDS] [TARGET...]    default: 60 seconds each, every target
#   fuzz/run.sh 3600 fuzz_loader         one target for an hour, by hand
#   SYMTRI_FUZZ_NO_BUILD=1 fuzz/run.sh   run the binaries already in build-fuzz/ without rebuilding
#
# Seeds: the repository's own files (the shipped rule files, test rule sets, the bad-input catalogue,
# every vignette and example case) plus fuzz/seeds/TARGET/, and fuzz/regressions/TARGET/: inputs that
# once found a bug, replayed first on every run. The growing corpus is kept in fuzz/corpus-run/
# (git-ignored); crashes go to build-fuzz/artifacts/. Exits non-zero if any target found anything.
# Prints, per target: executions, coverage (edges) and features reached, and whether it crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_loader fuzz_case fuzz_interview fuzz_batch fuzz_symtri_diff fuzz_service)
  [ -f fuzz/fuzz_capi.cpp ] && [ -f src/capi/CMakeLists.txt ] && targets+=(fuzz_capi fuzz_diff)
fi

cc=${SYMTRI_FUZZ_CC:-clang-14}
cxx=${SYMTRI_FUZZ_CXX:-clang++-14}
build=build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "== configuring $build with $cxx (ASan + UBSan + libFuzzer)"
  CC=$cc CXX=$cxx cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSYMTRI_SANITIZE=address,undefined -DSYMTRI_BUILD_FUZZ=ON -DSYMTRI_BUILD_TESTS=OFF \
    -DSYMTRI_BUILD_BENCH=OFF -DSYMTRI_BUILD_EXAMPLES=OFF -DSYMTRI_BUILD_CLI=OFF >/dev/null
fi
if [ "${SYMTRI_FUZZ_NO_BUILD:-0}" != 1 ]; then  # 1: run the binaries as they are
  echo "== building ${targets[*]}"
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >/dev/null
fi

# Seed directories, made afresh from the repository's files.
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{fuzz_loader,fuzz_case,fuzz_interview,fuzz_batch,fuzz_symtri_diff,fuzz_capi,fuzz_diff,fuzz_service} "$build/artifacts"
n=0
for f in rules/*.json tests/data/*/*.json tests/capi/data/*.json tests/capi/data/*/*.json tests/bad/rules/*.json; do
  [ -f "$f" ] && cp "$f" "$seeds/fuzz_loader/$n.json" && cp "$f" "$seeds/fuzz_symtri_diff/$((n++)).json"
done
# Multi-file rule sets as one input ("//files" format, see fuzz_loader.cpp): the shipped rules, a test set.
python3 - "$seeds/fuzz_loader" <<'EOF'
import glob, os, sys
out = sys.argv[1]
for name, root in (("shipped", "rules"), ("mini", "tests/data/mini")):
    files = sorted(glob.glob(root + "/*.json"))
    files.sort(key=lambda f: os.path.basename(f) != "index.json")  # the root first
    text = "//files\n" + "".join("//file %s\n%s\n" % (os.path.basename(f), open(f).read()) for f in files)
    open(os.path.join(out, "files_%s.txt" % name), "w").write(text)
EOF
# Cases: every vignette's case, the example cases and the catalogue's bad cases; batch: whole JSONL files.
python3 - "$seeds" <<'EOF'
import glob, json, os, sys
out = sys.argv[1]
k = 0
for path in glob.glob("tests/vignettes/*.jsonl") + glob.glob("examples/cases/*.jsonl"):
    lines = [l for l in open(path, encoding="utf-8") if l.strip()]
    for line in lines:
        v = json.loads(line)
        case = v.get("case", v)
        for d in ("fuzz_case", "fuzz_interview", "fuzz_capi", "fuzz_diff"):
            open(os.path.join(out, d, "v%d.json" % k), "w").write(json.dumps(case))
        k += 1
    # batch seeds: the first byte picks threads and the line limit (see fuzz_batch.cpp)
    body = "".join(lines[:40])
    for mode in "\x00\x01\x02\x03":
        open(os.path.join(out, "fuzz_batch", "%s_%d.jsonl" % (os.path.basename(path), ord(mode))), "w").write(mode + body)
for path in glob.glob("examples/cases/*.json") + glob.glob("tests/bad/cases/*.json"):
    for d in ("fuzz_case", "fuzz_interview", "fuzz_capi", "fuzz_diff"):
        with open(path, "rb") as src, open(os.path.join(out, d, "f%d.json" % k), "wb") as dst:
            dst.write(src.read())
    k += 1
EOF
for t in fuzz_loader fuzz_case fuzz_interview fuzz_batch fuzz_symtri_diff fuzz_capi fuzz_diff fuzz_service; do
  [ -d "fuzz/seeds/$t" ] && cp fuzz/seeds/"$t"/* "$seeds/$t/" 2>/dev/null || true
done

dict_of() {
  case "$1" in
    fuzz_loader|fuzz_symtri_diff) echo fuzz/dict/rules.dict ;;
    fuzz_batch) echo fuzz/dict/batch.dict ;;
    fuzz_service) echo fuzz/dict/http.dict ;;
    *) echo fuzz/dict/case.dict ;;
  esac
}

status=0
summary=()
for t in "${targets[@]}"; do
  corpus=fuzz/corpus-run/$t
  mkdir -p "$corpus"
  regress=()
  [ -d "fuzz/regressions/$t" ] && regress=("fuzz/regressions/$t")
  log=$build/$t.log
  echo "== $t: ${seconds}s"
  start=$(date +%s)
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: memory the limits must keep us under.
  # -max_len 64 KiB: long enough for whole rule files; the limits tests cover the huge ones.
  set +e
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/$t" "$corpus" "$seeds/$t" "${regress[@]}" -dict="$(dict_of "$t")" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1
  rc=$?
  set -e
  took=$(($(date +%s) - start))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || true)
  ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || true)
  corp=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*' || true)
  if [ "$rc" -ne 0 ]; then
    status=1
    result="FAILED (exit $rc; see $log and $build/artifacts/)"
    grep -E 'ERROR: |fuzz check failed|SUMMARY|Test unit written' "$log" | head -5 || true
  else
    result=ok
  fi
  summary+=("$(printf '%-12s %4ss  %10s execs  cov %6s  ft %6s  corpus %5s  %s' "$t" "$took" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit $status
