#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the shell commands of README.md and docs/*.md against a build, and diffs the output they show.

What runs, in document order, each file in its own sandbox (a temporary directory holding links to the
source tree's top-level entries, copies of python/ and examples/, and build/bin, build/lib linked to the build's):

- every fenced ```sh block, as one bash script (set -e -o pipefail), so each command must succeed;
  when a ```text block follows it behind a `<!-- docs-test: output -->` line, the block's stdout must
  match that text;
- every ```text block whose first line starts with "$ ": a transcript. Each "$ " line is a command (run
  with bash, stdout and stderr together, its exit status not checked), and the lines up to the next "$ "
  are its output, which must match.

Matching: trailing spaces are ignored; a line that is only "..." stands for any number of lines, and
"..." inside a line for any text (doctest's ELLIPSIS), so a doc can abridge long output.

Markers, on the line(s) just before a block (HTML comments, invisible when rendered):

- `<!-- docs-test: skip REASON -->`: not run (the README's setup commands, anything that installs,
  builds the project, or takes minutes); the reason is required;
- `<!-- docs-test: file PATH -->` (or the tutorial's `<!-- tutorial-file: PATH -->`): the block's
  text is written to PATH in the sandbox when the walk reaches it, for the commands after it;
- `<!-- docs-test: needs-commit SHA -->`: run only when the checkout holds commit SHA (a shallow clone
  does not); otherwise reported as skipped.
- `<!-- docs-test: output -->`: between a ```sh block and the ```text block holding its output.

Placeholders the docs use are provided in each sandbox: case.json (a case), cases.jsonl and
cases/cases.jsonl (JSON Lines of the example cases), my-rules/ (a copy of rules/). The environment is the user's, minus
SYMTRI_LIBRARY and PYTHONPATH (the docs must not need them unless they say so), with build/bin on PATH
(the docs' `symtri` is the installed program) and `python3` the interpreter running this script.

A failure names FILE:LINE of the command and shows its output or a diff. usage:
    run_doc_commands.py SOURCE_DIR BIN_DIR LIB_DIR [FILE.md ...]
"""
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

MARK = re.compile(r"<!--\s*(?:docs-test:\s*(skip|file|output|needs-commit)\b\s*(.*?)|tutorial-file:\s*(\S+))\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")
TIMEOUT = 300  # seconds per block; the whole run takes well under a minute


class Block:
    def __init__(self, doc, line, lang, body, marks):
        self.doc, self.line, self.lang, self.body, self.marks = doc, line, lang, body, marks

    def where(self, offset=0):
        return "%s:%d" % (self.doc, self.line + 1 + offset)  # the fence is at self.line; body starts after


def blocks(path, rel):
    """The fenced blocks of a Markdown file, each with the markers on the lines just before it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out, marks, i = [], [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append(Block(rel, i + 1, m.group(1), lines[i + 1:j], marks))
            marks, i = [], j + 1
            continue
        mark = MARK.search(lines[i])
        if mark:
            kind = mark.group(1) or "file"
            marks.append((kind, (mark.group(2) or mark.group(3) or "").strip()))
        elif lines[i].strip():
            marks = []  # markers bind to the next block only when nothing but blank lines come between
        i += 1
    return out


def pattern(expected):
    """A regex for expected output: '...' alone on a line is any lines, '...' in a line any text."""
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(p) for p in line.rstrip().split("...")) + r"[ \t]*\n")
    return re.compile("".join(parts), re.S)


def matches(expected, actual):
    text = "".join(line.rstrip() + "\n" for line in actual.rstrip("\n").split("\n")) if actual.strip() else ""
    return pattern(expected).fullmatch(text) is not None


def sandbox(src, bin_dir, lib_dir):
    root = Path(tempfile.mkdtemp(prefix="symtri-docs-"))
    for entry in src.iterdir():
        if entry.name not in ("build", "python", "examples") and not entry.name.startswith("build-"):
            (root / entry.name).symlink_to(entry)
    # Copies, so the package finds this sandbox's build/lib (it looks in the checkout it sits in), and so
    # do the example programs: they find the package from their own path resolved, which through a link
    # would be the source checkout, whose build/ may be another build or none.
    ignore = shutil.ignore_patterns("__pycache__", "build", "*.egg-info")
    shutil.copytree(src / "python", root / "python", ignore=ignore)
    shutil.copytree(src / "examples", root / "examples", ignore=ignore)
    (root / "build").mkdir()
    (root / "build" / "bin").symlink_to(bin_dir)
    (root / "build" / "lib").symlink_to(lib_dir)
    tools = root / ".docs-test-bin"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)
    shutil.copy(src / "examples" / "cases" / "demo.json", root / "case.json")
    # JSON Lines of the example cases, each valid (examples/cases/cases.jsonl has a rejected line on purpose).
    lines = "".join(json.dumps(json.loads(p.read_text(encoding="utf-8"))) + "\n"
                    for p in sorted((src / "examples" / "cases").glob("*.json")))
    (root / "cases.jsonl").write_text(lines, encoding="utf-8")
    (root / "cases").mkdir()
    (root / "cases" / "cases.jsonl").write_text(lines, encoding="utf-8")
    shutil.copytree(src / "rules", root / "my-rules")
    return root


def environment(root):
    env = {k: v for k, v in os.environ.items() if k not in ("SYMTRI_LIBRARY", "PYTHONPATH", "CI")}
    env["PATH"] = os.pathsep.join([str(root / ".docs-test-bin"), str(root / "build" / "bin"), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    return env


def bash(script, root, env):
    """Runs `script` in its own process group and returns when bash exits. Output goes to files, not
    pipes, so a background job the block leaves (a server started with &) cannot keep the run waiting;
    such jobs are stopped at the block's end (the EXIT trap) and the whole group is killed after it,
    or on a timeout."""
    script = "trap 'rc=$?; j=$(jobs -p); [ -z \"$j\" ] || kill $j 2>/dev/null || true; exit $rc' EXIT\n" + script
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen(["bash", "-c", script], cwd=root, env=env, stdout=out, stderr=err,
                             universal_newlines=True, start_new_session=True)
        try:
            p.wait(timeout=TIMEOUT)
        finally:
            try:
                os.killpg(p.pid, signal.SIGKILL)  # anything of the block's still running
            except ProcessLookupError:
                pass
            p.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(p.args, p.returncode, out.read(), err.read())


def tail(text, n=15):
    lines = text.rstrip("\n").split("\n")
    return "\n".join("      " + x for x in lines[-n:])


def run_sh(block, expected, root, env, failures):
    # Lines 1 and 2 set up (bash() adds one); the block's first line is the script's line 3, so LINENO maps
    # back to the document.
    failed_at = root / ".docs-test-failed-line"
    script = ("set -eo pipefail; trap 'echo $LINENO > %s' ERR\n" % failed_at) + "\n".join(block.body) + "\n"
    if failed_at.exists():
        failed_at.unlink()
    p = bash(script, root, env)
    if p.returncode != 0:
        n = int(failed_at.read_text().strip()) - 3 if failed_at.exists() else 0
        n = min(max(n, 0), len(block.body) - 1)
        failures.append("%s: exit %d: %s\n%s" % (block.where(n), p.returncode, block.body[n].strip(), tail(p.stdout + p.stderr)))
    elif expected is not None and not matches(expected.body, p.stdout):
        failures.append("%s: the output differs from %s:\n%s" % (block.where(), expected.where(-1), diff(expected.body, p.stdout)))


def diff(expected, actual):
    got = actual.rstrip("\n").split("\n")
    return "\n".join("      " + x for x in difflib.unified_diff(expected, got, "documented", "actual", lineterm="", n=1))


def run_transcript(block, root, env, failures):
    commands = [i for i, line in enumerate(block.body) if line.startswith("$ ")]
    for k, i in enumerate(commands):
        end = commands[k + 1] if k + 1 < len(commands) else len(block.body)
        expected = block.body[i + 1:end]
        p = bash(block.body[i][2:] + " 2>&1", root, env)
        if not matches(expected, p.stdout):
            failures.append("%s: %s: the output differs:\n%s" % (block.where(i), block.body[i][2:], diff(expected, p.stdout)))


def check_readme_top(src, failures):
    """The README opens with exactly its two commands, which this test must never run (it runs them)."""
    first = blocks(src / "README.md", "README.md")[0]
    if first.lang != "sh" or [x.strip() for x in first.body] != ["scripts/dev.sh demo", "scripts/dev.sh test"]:
        failures.append("%s: the README's first block must be the two commands scripts/dev.sh demo and test" % first.where())
    if not any(kind == "skip" for kind, _ in first.marks):
        failures.append("%s: the README's two commands must be marked docs-test: skip (they run this test)" % first.where())


def run_doc(src, rel, bin_dir, lib_dir, path=None):
    """Runs one document's blocks (``rel`` names it in messages; ``path``, if given, is where it is)."""
    failures, counts = [], {"sh": 0, "transcript": 0, "skipped": 0}
    root = sandbox(src, bin_dir, lib_dir)
    env = environment(root)
    try:
        bs = blocks(Path(path) if path else src / rel, rel)
        for i, b in enumerate(bs):
            marks = dict(b.marks)
            if "file" in marks:
                target = root / marks["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("\n".join(b.body) + "\n", encoding="utf-8")
                continue
            runnable = b.lang == "sh" or (b.lang == "text" and b.body and b.body[0].startswith("$ "))
            if not runnable or "output" in marks:
                continue
            if "needs-commit" in marks and not has_commit(src, marks["needs-commit"]):
                # A shallow clone lacks the old commit the block compares with: say so, do not fail.
                print("%s: skipped: needs commit %s (git fetch --unshallow)" % (b.where(), marks["needs-commit"]))
                counts["skipped"] += 1
                continue
            if "skip" in marks:
                if not marks["skip"]:
                    failures.append("%s: docs-test: skip needs a reason" % b.where(-1))
                counts["skipped"] += 1
                continue
            if any("scripts/dev.sh" in line or "tests/docs/" in line for line in b.body):
                failures.append("%s: runs the test suite (and so this test): mark it docs-test: skip" % b.where())
                continue
            try:
                if b.lang == "sh":
                    nxt = bs[i + 1] if i + 1 < len(bs) else None
                    expected = nxt if nxt is not None and "output" in dict(nxt.marks) else None
                    run_sh(b, expected, root, env, failures)
                    counts["sh"] += 1
                else:
                    run_transcript(b, root, env, failures)
                    counts["transcript"] += 1
            except subprocess.TimeoutExpired:
                failures.append("%s: did not finish in %d s" % (b.where(), TIMEOUT))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return failures, counts


def has_commit(src, sha):
    """Whether the checkout at `src` holds commit `sha` (a block marked docs-test: needs-commit SHA)."""
    try:
        return subprocess.run(["git", "-C", str(src), "cat-file", "-e", sha + "^{commit}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__.strip().split("\n")[-1])
    src, bin_dir, lib_dir = Path(argv[1]).resolve(), Path(argv[2]).resolve(), Path(argv[3]).resolve()
    docs = argv[4:] or ["README.md"] + sorted("docs/" + p.name for p in (src / "docs").glob("*.md"))
    failures = []
    if "README.md" in docs:
        check_readme_top(src, failures)
    for rel in docs:
        f, c = run_doc(src, rel, bin_dir, lib_dir)
        print("%-28s %d sh blocks, %d transcripts run, %d skipped%s" % (rel, c["sh"], c["transcript"], c["skipped"],
                                                                        ": %d FAILED" % len(f) if f else ""))
        failures += f
    for f in failures:
        print("\n" + f)
    print("\n%d problem%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
