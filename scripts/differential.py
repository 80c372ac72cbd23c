"""Random one-line mistakes in the corpus specs, docutils against `check`.

    python scripts/differential.py BINARY [COUNT] [SEED]

Run with docutils 0.21.2 and Pygments (`pip install docutils==0.21.2 pygments`). Each
round takes a spec of tests/corpus, changes one line (a character inserted, deleted
or replaced by markup, indentation added or removed, a tab, a line duplicated,
deleted, a blank line added or removed), and compares docutils' messages (WARNING and
above) with the `rst-*` and `heading-*` findings of `BINARY check --format json`:
each docutils message needs a finding on its line holding its text up to the first
period or colon (the rule of tests/messages.rs), and each finding a message. A
`section-level` finding on a level set with the wrong adornment stands for the "Title
level inconsistent" of each heading after it (the README's `section-level`). It
prints every text that differs, kept in a temporary directory, and exits 1 if any
did. Not checked, since plain docutils is not the Sphinx build: unknown directives
and roles (and what `check` finds on the line of a directive docutils does not know,
which Sphinx checks), Sphinx's `code` (no Pygments error), Sphinx's unreferenced
footnotes, and
the deliberate `heading-underline` on a too-short underline docutils takes as text.
"""

import io
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils.core import publish_doctree

ROOT = Path(__file__).resolve().parent.parent
NOT_CHECKED = (
    "Unknown directive type",
    "Unknown interpreted text role",
    "No directive entry",
    "No role entry",
    'Trying "',
    '"include" directive disabled',
    "Cannot analyze code",
    "is not referenced",
    "Possible title underline",
    # Sphinx's, once the document is read (docutils alone looks for no image)
    "image file not readable",
)
CASCADE = "Title level inconsistent (a cascade)"
MARKUP = "*`_|:[]<>-=+#.\\ 漢\u0301\u3000"


def docutils_messages(text):
    """(line or None, text) of each message docutils writes at WARNING or above."""
    stream = io.StringIO()
    publish_doctree(
        text,
        source_path="x.rst",
        settings_overrides={
            "report_level": 2,
            "halt_level": 5,
            "warning_stream": stream,
            "file_insertion_enabled": False,
        },
    )
    pattern = r"^x\.rst:(\d*): \((?:WARNING|ERROR|SEVERE)/\d\) (.*)$"
    return [
        (int(line) if line else None, message)
        for line, message in re.findall(pattern, stream.getvalue(), re.M)
    ]


def findings(binary, path):
    """(line, message) of each docutils-parity finding of `check`: the line docutils
    gives, where the finding stands elsewhere and says so (see tests/messages.rs)."""
    run = subprocess.run(
        [binary, "check", "--format", "json", str(path)], capture_output=True, text=True
    )
    out = []
    for line in run.stdout.splitlines():
        for d in json.loads(line).get("diagnostics", []):
            if d["code"] == "section-level" and "it made" in d["message"]:
                # a level set with the wrong adornment: one finding stands for the
                # "Title level inconsistent" docutils gives each heading it shifted
                # (README, `section-level`)
                out.append((d["range"]["start"]["line"] + 1, CASCADE))
            if d["code"].startswith(("rst-", "heading-")):
                said = re.search(r"docutils reports it on line (\d+)", d["message"])
                line = int(said[1]) if said else d["range"]["start"]["line"] + 1
                out.append((line, d["message"]))
    return out


def key(text):
    first = text.split("\n")[0]
    end = re.search(r"[.:]", first)
    return first[: end.start()] if end else first


def mutate(lines, rng):
    """`lines` with one line changed, the line's number and what was done."""
    i = rng.randrange(len(lines))
    line = lines[i]
    op = rng.choice(
        ["insert", "delete", "replace", "indent", "dedent", "tab", "repeat", "drop",
         "blank", "unblank"]
    )
    if op == "drop":
        return lines[:i] + lines[i + 1 :], i + 1, op
    if op == "blank":
        return lines[:i] + [""] + lines[i:], i + 1, op
    if op == "unblank":
        k = next((k for k in range(i, len(lines)) if not lines[k].strip()), None)
        if k is not None:
            return lines[:k] + lines[k + 1 :], k + 1, op
    if op == "insert":
        j = rng.randint(0, len(line))
        line = line[:j] + rng.choice(MARKUP) + line[j:]
    elif op == "delete" and line:
        j = rng.randrange(len(line))
        line = line[:j] + line[j + 1 :]
    elif op == "replace" and line:
        j = rng.randrange(len(line))
        line = line[:j] + rng.choice(MARKUP) + line[j + 1 :]
    elif op == "indent":
        line = " " * rng.choice([1, 2, 3, 4]) + line
    elif op == "dedent":
        line = line.lstrip(" ")
    elif op == "tab":
        line = "\t" + line.lstrip(" ")
    elif op == "repeat" and i > 0:
        line = lines[i - 1]
    return lines[:i] + [line] + lines[i + 1 :], i + 1, op


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    specs = sorted((ROOT / "tests/corpus").glob("*-specs/specs/**/*.rst"))
    kept = Path(tempfile.mkdtemp(prefix="differential-"))
    differ = 0
    for n in range(count):
        spec = rng.choice(specs)
        lines, at, op = mutate(spec.read_text().split("\n"), rng)
        text = "\n".join(lines)
        messages = docutils_messages(text)
        expected = [(line, key(t)) for line, t in messages if not t.startswith(NOT_CHECKED)]
        # a directive docutils does not know is Sphinx's, checked as Sphinx checks it
        sphinx_only = {line for line, t in messages if t.startswith("Unknown directive type")}
        path = kept / f"{n}.rst"
        path.write_text(text)
        got = [
            (line, m)
            for line, m in findings(binary, path)
            if not any(x in m for x in NOT_CHECKED) and line not in sphinx_only
        ]
        slip = min((g for g, m in got if m == CASCADE), default=None)
        got = [(g, m) for g, m in got if m != CASCADE]
        missing = sorted(
            {(line, k) for line, k in expected
             if not any((line is None or line == g) and k in m for g, m in got)
             and not (k == "Title level inconsistent" and slip is not None and line > slip)},
            key=lambda x: (x[0] or 0, x[1]),
        )
        extra = [(g, m) for g, m in got if not any((line is None or line == g) and k in m for line, k in expected)]
        if missing or extra:
            differ += 1
            print(f"{path}: {spec.relative_to(ROOT)}, line {at} ({op})")
            for line, k in missing:
                print(f"  docutils only: {line}: {k}")
            for line, m in extra:
                print(f"  check only:    {line}: {m[:100]}")
        else:
            path.unlink()
    print(f"{differ} of {count} texts differ", file=sys.stderr)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
