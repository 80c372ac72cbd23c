"""Generated texts of one construct, docutils (or Sphinx) against `check`.

    python scripts/constructs.py BINARY KIND [COUNT] [SEED]

KIND is `enumerations` (lists of every sequence and format, with blank, indented and
text lines between items), `simple-tables` (random column spans, short or long
underlines, text past the last column, wide characters, blank and indented lines) or
`footnotes` (footnotes, references and targets of every kind, some in section titles)
or `options` (docutils' directives with option names and values of every kind, right
and wrong). `enumerations`, `simple-tables` and `options` are compared with plain
docutils 0.21.2 (`options` on the whole message, not only up to its first period);
`footnotes` with a Sphinx 8.1.3 build of all texts as one project (Sphinx keeps a lone
section a section, where plain docutils makes its title a subtitle with no line, and
Sphinx reports unreferenced footnotes): `pip install docutils==0.21.2 sphinx==8.1.3`.

Each text's messages (WARNING and above: line, and text up to the first period or
colon, the rule of tests/messages.rs) must be its `rst-*` and `heading-*` findings (a
finding saying "docutils reports it on line N" counts on line N). Prints the first
texts that differ and how many did; exits 1 if any did. Where
`scripts/differential.py` makes one-line mistakes in real specs, this explores one
construct's rules at a time.
"""

import io
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils.core import publish_doctree


def enumeration(rng):
    markers = "1 2 3 4 # a b c h i j v w x ii iii iv I II III V A B 0 01 iiii".split()
    formats = [("", "."), ("", ")"), ("(", ")")]
    lines = ["Title", "=====", ""]
    first = rng.choice(formats)
    for _ in range(rng.randint(1, 5)):
        pre, post = first if rng.random() < 0.85 else rng.choice(formats)
        lines.append(f"{pre}{rng.choice(markers)}{post} item")
        lines.append(rng.choice(["   more", "", "text", " x"] + [None] * 11))
    return [line for line in lines if line is not None]


def simple_table(rng):
    widths = [rng.randint(1, 6) for _ in range(rng.randint(2, 4))]
    border = "  ".join("=" * w for w in widths)

    def span():
        starts = [sum(widths[:k]) + 2 * k for k in range(len(widths))]
        line = [" "] * (starts[-1] + widths[-1])
        k = 0
        while k < len(widths):
            j = k
            while j + 1 < len(widths) and rng.random() < 0.4:
                j += 1
            line[starts[k] : starts[j] + widths[j]] = "-" * (starts[j] + widths[j] - starts[k])
            k = j + 1
        text = "".join(line)
        roll = rng.random()
        if roll < 0.1:
            return text[:-1]
        if roll < 0.2:
            return text + "--"
        if roll < 0.3 and len(text) > 3:
            at = rng.randrange(1, len(text) - 1)
            return text[:at] + rng.choice(" -") + text[at + 1 :]
        return text

    words = ["a", "bb", "ccc", "*x*", "漢", "`y`_", "d e", "x*", ""]
    lines = ["Title", "=====", "", border]
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.6:
            cells = [rng.choice(words)[: w + rng.choice([0, 0, 0, 1, 2])] for w in widths]
            row = "  ".join(c.ljust(w) for c, w in zip(cells, widths))
            if rng.random() < 0.1:
                row += "  overflow"
            if rng.random() < 0.1:
                row = " " * (widths[0] + 2) + row
            lines.append(row.rstrip())
        elif roll < 0.75:
            lines.append(span())
        elif roll < 0.85:
            lines.append("")
        else:
            lines.append(border)
    lines.append(border if rng.random() < 0.8 else span().replace("-", "="))
    return lines + ["", "text"]


def footnotes(rng):
    refs = ["[*]_", "[#]_", "[#a]_", "[#b]_", "[1]_", "[2]_", "a_", "1_"]
    notes = [".. [*] s", ".. [#] n", ".. [#a] na", ".. [#b] nb", ".. [1] one", ".. [2] two"]
    notes.append(".. _a: http://x")
    lines = ["Title", "=====", ""]
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.45:
            lines += ["x " + " ".join(rng.choice(refs) for _ in range(rng.randint(1, 3))), ""]
        elif roll < 0.85:
            lines += [rng.choice(notes), ""]
        else:
            title = "Sec " + rng.choice(refs)
            lines += [title, "-" * len(title), ""]
    return lines


OPTION_DIRECTIVES = {
    "image": ("a.png", []),
    "figure": ("a.png", ["   Caption."]),
    "table": ("T", ["   ===  ===", "   a    b", "   ===  ==="]),
    "list-table": ("", ["   * - a", "     - b"]),
    "csv-table": ("", ["   a, b"]),
    "contents": ("", []),
    "note": ("", ["   Text."]),
    "sidebar": ("S", ["   Text."]),
    "container": ("", ["   Text."]),
    "parsed-literal": ("", ["   Text."]),
}
OPTION_NAMES = (
    "alt height width scale align target loading class name figwidth figclass widths "
    "header-rows stub-columns header file url delim keepspace quote escape "
    "depth local backlinks subtitle Class ALIGN bogus".split()
)
OPTION_VALUES = [
    None, "centre", "center", " Left", "top", "50", "-5", "0", "-0", "+7", "50 %", "3.5em",
    "1.2.3px", "7 pt", "50%", "x", "1_000", "1__0", "20 30", "20,30", "20,,30", "20 0",
    "auto", "grid", "image", "Image", "tab", "space", "0x3B", "U+262E", "ab", ";", "big 1",
    "é", "-", "1114112", "yes", "lazy", "entry", "none", "it's", "1, 2", "3 4 5", "1", "2",
]


def options(rng):
    name = rng.choice(list(OPTION_DIRECTIVES))
    argument, content = OPTION_DIRECTIVES[name]
    if name == "list-table":
        content = ["   * - a", "     - b"] * rng.randint(1, 3)
    marker = ".. |s| " if name == "image" and rng.random() < 0.3 else ".. "
    lines = ["Title", "=====", "", f"{marker}{name}:: {argument}".rstrip()]
    for _ in range(rng.randint(1, 3)):
        option = rng.choice(OPTION_NAMES) if rng.random() < 0.95 else "header rows"
        value = rng.choice(OPTION_VALUES)
        lines.append(f"   :{option}: {value}" if value is not None else f"   :{option}:")
        if rng.random() < 0.1:
            lines.append("      " + rng.choice(OPTION_VALUES[1:]))
    if content:
        lines += [""] + content
    return lines + ["", "text"]


KINDS = {
    "enumerations": enumeration,
    "simple-tables": simple_table,
    "footnotes": footnotes,
    "options": options,
}


def key(line, text):
    return (line, re.split(r"[.:]", text, maxsplit=1)[0])


def docutils_messages(text, whole=False):
    stream = io.StringIO()
    overrides = {"report_level": 2, "halt_level": 5, "warning_stream": stream}
    publish_doctree(text, source_path="x.rst", settings_overrides=overrides)
    if whole:  # each message's text, its lines joined by spaces, up to the echoed source
        found = re.findall(r"^x\.rst:(\d*): \(\w+/\d\) (.*?)\n(?:\n|(?=x\.rst:)|$)",
                           stream.getvalue(), re.M | re.S)
        return {(int(line) if line else None, message.replace("\n", " "))
                for line, message in found}
    found = re.findall(r"^x\.rst:(\d*): \(\w+/\d\) (.*)$", stream.getvalue(), re.M)
    return {key(int(line) if line else None, message) for line, message in found}


def sphinx_messages(root):
    """{file stem: messages} of a Sphinx build of the texts in `root`."""
    (root / "conf.py").write_text("")
    (root / "index.rst").write_text("Index\n=====\n")
    build = ["sphinx-build", "-b", "dummy", "-q", "-E", str(root), str(root / "_build")]
    stderr = subprocess.run(build, capture_output=True, text=True).stderr
    found = {}
    pattern = r"^.*/(t\d+)\.rst:(\d*): (?:WARNING|ERROR|CRITICAL): (.*?)(?: \[[\w.]+\])?$"
    for stem, line, message in re.findall(pattern, stderr, re.M):
        if "toctree" not in message:
            found.setdefault(stem, set()).add(key(int(line) if line else None, message))
    return found


def findings(binary, root, whole=False):
    """{file stem: findings} of `check` over the texts in `root` (with `whole`, each
    finding's whole text, for a prefix match: our advice follows docutils' text)."""
    out = subprocess.run([binary, "check", str(root)], capture_output=True, text=True).stdout
    found = {}
    pattern = r"^.*/(t\d+)\.rst:(\d+):\d+: \w+\[((?:rst|heading)-[\w-]+)\]: (.*)$"
    for stem, line, _, message in re.findall(pattern, out, re.M):
        said = re.search(r"docutils reports it on line (\d+)", message)
        line = int(said[1]) if said else int(line)
        found.setdefault(stem, set()).add((line, message) if whole else key(line, message))
    return found


def same(expected, found, whole):
    """Whether each finding is one expected message (with `whole`: starts with its text)."""
    if not whole:
        return expected == found
    unmatched = set(found)
    for line, message in expected:
        match = next((f for f in unmatched if f[0] == line and f[1].startswith(message)), None)
        if match is None:
            return False
        unmatched.remove(match)
    return not unmatched


def main():
    binary, kind = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    root = Path(tempfile.mkdtemp(prefix=f"constructs-{kind}-"))
    texts = {}
    for n in range(count):
        texts[f"t{n:04}"] = "\n".join(KINDS[kind](rng)) + "\n"
        (root / f"t{n:04}.rst").write_text(texts[f"t{n:04}"])
    whole = kind == "options"
    ours = findings(binary, root, whole)
    theirs = sphinx_messages(root) if kind == "footnotes" else None
    differ = 0
    for stem, text in texts.items():
        if theirs is not None:
            expected = theirs.get(stem, set())
        else:
            expected = docutils_messages(text, whole)
        if not same(expected, ours.get(stem, set()), whole):
            differ += 1
            if differ <= 5:
                print(f"{root / stem}.rst\n{text}  expected {sorted(expected, key=str)}")
                print(f"  found    {sorted(ours.get(stem, set()), key=str)}\n")
    print(f"{differ} of {count} texts differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
