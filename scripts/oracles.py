"""Writes the oracle files of tests/corpus from the specs there.

Run by scripts/regenerate-oracles inside a virtual environment with the pinned
docutils and Sphinx; see that script. For each spec repository <repo> given:

  <repo>/golden.jsonl    the section tree docutils' publish_doctree builds
  <repo>/verdicts.jsonl  what upstream's title check (test_titles.py rules) finds
  <repo>/messages.jsonl  what the real docs build (sphinx-build -b dummy) reports

and for the mutations directory only messages.jsonl.
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docutils
import sphinx
from docutils import nodes
from docutils.core import publish_doctree

PINNED = {"docutils": "0.21.2", "sphinx": "8.1.3"}


def rst_files(specs):
    """Every regular .rst file under specs/, sorted by its path."""
    return sorted(
        p for p in specs.rglob("*.rst") if p.is_file() and not p.is_symlink()
    )


def doctree(path):
    """docutils' tree with default settings; nothing printed, nothing halts."""
    return publish_doctree(
        path.read_text(encoding="utf-8"),
        source_path=str(path),
        settings_overrides={"report_level": 5, "halt_level": 5},
    )


def sections(node):
    out = []
    for child in node.children:
        if isinstance(child, nodes.section):
            title = child.children[0]
            out.append(
                {"title": title.rawsource, "line": title.line, "sections": sections(child)}
            )
    return out


def golden(repo, path):
    tree = doctree(path)
    title = next((c for c in tree.children if isinstance(c, nodes.title)), None)
    messages = [
        {
            "level": m["level"],
            "line": m.get("line"),
            "message": m.children[0].astext() if m.children else "",
        }
        for m in tree.findall(nodes.system_message)
    ]
    return {
        "file": path.relative_to(repo).as_posix(),
        "title": title.rawsource if title is not None else None,
        "sections": sections(tree),
        "messages": messages,
    }


def is_template(path):
    return path.name == "template.rst" or path.name.endswith("-template.rst")


def template_for(repo, path):
    """The template a spec uses: specs/<release>-template.rst (Nova style) when it
    exists, else specs/template.rst."""
    rel = path.relative_to(repo / "specs").parts
    if len(rel) > 1:
        nova = repo / "specs" / f"{rel[0]}-template.rst"
        if nova.is_file():
            return nova, True
    return repo / "specs" / "template.rst", False


def titles(path):
    """Top-level section titles (verbatim) and their subsection titles; when a title
    occurs twice, the last one counts."""
    out = {}
    for node in doctree(path).children:
        if isinstance(node, nodes.section):
            subs = [c.children[0].rawsource for c in node.children if isinstance(c, nodes.section)]
            out[node.children[0].rawsource] = subs
    return out


def line_exempt(line):
    stripped = line.lstrip()
    return (
        line.count("/") > 1
        or stripped.startswith("+")
        or stripped.startswith("|")
        or "<% $" in line
    )


def verdict(repo, path, template_cache):
    template, discover = template_for(repo, path)
    if template not in template_cache:
        template_cache[template] = titles(template)
    expect, actual = template_cache[template], titles(path)
    raw = path.read_text(encoding="utf-8")  # text mode: no carriage returns survive
    long_lines, trailing = [], []
    for n, line in enumerate(raw.split("\n"), 1):
        limit = 83 if line.startswith("    ") else 79
        if len(line) > limit and not line_exempt(line):
            long_lines.append(n)
        if re.search(r" +$", line):
            trailing.append(n)
    return {
        "file": path.relative_to(repo).as_posix(),
        "template": template.relative_to(repo).as_posix(),
        "missing": [t for t in expect if t not in actual],
        "extra": [t for t in actual if t not in expect],
        "missing_sub": [
            [s, sub] for s, subs in expect.items() if s in actual
            for sub in subs if sub not in actual[s]
        ],
        "long_lines": long_lines,
        "trailing": trailing,
        "cr": raw.count("\r"),
        "discover": discover,
    }


CONF = """
extensions = ['sphinx.ext.autodoc', 'sphinx.ext.graphviz', 'sphinx.ext.ifconfig',
              'sphinx.ext.todo', 'sphinx.ext.viewcode']
exclude_patterns = []
suppress_warnings = []

from docutils.parsers.rst import Directive, directives, roles

class Known(Directive):
    has_content = True
    optional_arguments = 99
    final_argument_whitespace = True
    option_spec = None
    def run(self):
        return []

class AnyOptions(dict):
    def __missing__(self, key):
        return directives.unchanged

Known.option_spec = AnyOptions()

KNOWN_DIRECTIVES = ['blockdiag', 'seqdiag', 'nwdiag', 'actdiag', 'mermaid', 'plantuml',
                    'programoutput', 'command-output', 'jsonschema', 'show-options',
                    'oslo.config:option', 'oslo.config:group', 'rest_method',
                    'rest_parameters', 'rest_expand_all', 'rest_status_code',
                    'http:get', 'http:post', 'http:put', 'http:patch', 'http:delete',
                    'http:head', 'http:options']
KNOWN_ROLES = ['oslo.config:option', 'oslo.config:group', 'http:get', 'http:post',
               'http:put', 'http:patch', 'http:delete']

def setup(app):
    for name in KNOWN_DIRECTIVES:
        directives.register_directive(name, Known)
    for name in KNOWN_ROLES:
        roles.register_generic_role(name, __import__('docutils').nodes.literal)
"""

# Warnings that depend on other files (toctree membership, labels, documents,
# cross-references, duplicates elsewhere, images) are not about the file itself.
DROPPED = re.compile(
    r"document isn't included in any toctree|undefined label|unknown document"
    r"|reference target not found|duplicate label|duplicate object description"
    r"|image file not readable|term not in glossary"
)
LEVELS = {"WARNING": 2, "ERROR": 3, "SEVERE": 4, "CRITICAL": 4}
LINE = re.compile(
    r"^(?P<file>[^:\n]+?\.rst):(?:(?P<line>\d+)?:)? (?:\(?(?P<level>WARNING|ERROR|SEVERE|CRITICAL)"
    r"(?:/\d)?\)?:?) (?P<text>.*?)(?: \[[\w.]+\])?$"
)


def messages(root, files):
    """What sphinx-build -b dummy -E -W --keep-going reports for each file, the whole
    tree as one project."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(root, src, ignore=shutil.ignore_patterns("*.jsonl"))
        (src / "conf.py").write_text(CONF)
        (src / "index.rst").write_text("Index\n=====\n")
        run = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "dummy", "-E", "-W", "--keep-going",
             "-q", str(src), str(Path(tmp) / "out")],
            capture_output=True, text=True,
        )
        found = {f: [] for f in files}
        for line in run.stderr.splitlines():
            m = LINE.match(line)
            if not m or DROPPED.search(m["text"]):
                continue
            try:
                rel = Path(m["file"]).resolve().relative_to(src.resolve()).as_posix()
            except ValueError:
                continue
            if rel in found:
                found[rel].append({
                    "line": int(m["line"]) if m["line"] else None,
                    "level": LEVELS[m["level"]],
                    "text": m["text"],
                })
        return [{"file": f, "messages": found[f]} for f in files]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {path} ({len(rows)} lines)")


def main(dirs):
    for name, version in (("docutils", docutils.__version__), ("sphinx", sphinx.__version__)):
        if version != PINNED[name]:
            sys.exit(f"oracles.py: {name} {version}, expected {PINNED[name]}")
    for repo in map(Path, dirs):
        files = rst_files(repo / "specs")
        rels = [f.relative_to(repo).as_posix() for f in files]
        if repo.name != "mutations":
            write_jsonl(repo / "golden.jsonl", [golden(repo, f) for f in files])
            cache = {}
            write_jsonl(
                repo / "verdicts.jsonl",
                [verdict(repo, f, cache) for f in files if not is_template(f)],
            )
        write_jsonl(repo / "messages.jsonl", messages(repo, rels))


if __name__ == "__main__":
    main(sys.argv[1:])
