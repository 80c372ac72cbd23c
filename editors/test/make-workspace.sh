#!/usr/bin/env bash
# Lays out a spec repository (a git repository, like the real ones) for the editor
# tests in DIR (made if missing):
#   DIR/specs/template.rst                the real trove-specs template
#   DIR/specs/rocky/<spec>.rst            a real spec that passes upstream CI, with
#                                         its "Dependencies" section removed,
#                                         trailing spaces added to line 40, and
#                                         line 44 made "completely — déjà vu 🚀.  "
#                                         (multi-byte text, then trailing spaces)
# so a client must see `missing-section` and `trailing-whitespace` on lines 40 and 44,
# the latter starting at a column that differs in UTF-8, UTF-16 and code points.
# The corpus is the repository's tests/corpus, or $TROVE_SPEC_CORPUS.
set -euo pipefail
dir=${1:?usage: make-workspace.sh DIR}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
corpus=${TROVE_SPEC_CORPUS:-$repo/tests/corpus}
src=$corpus/trove-specs/specs
spec=rocky/adapt-to-file-injection-deprecation-in-nova.rst
[[ -f $src/$spec && -f $src/template.rst ]] || {
    echo "make-workspace.sh: corpus not found at $corpus (set TROVE_SPEC_CORPUS)" >&2
    exit 1
}
mkdir -p "$dir/specs/rocky"
git init --quiet "$dir"
cp "$src/template.rst" "$dir/specs/template.rst"
awk '
    $0 == "Dependencies" { skip = 1 }
    $0 == "Testing" { skip = 0 }
    NR == 40 { $0 = $0 "   " }
    NR == 44 { $0 = "completely — déjà vu 🚀.  " }
    !skip { print }
' "$src/$spec" > "$dir/specs/$spec"
# The edits above must have happened, or every test would check the wrong thing.
grep -q '^Dependencies$' "$dir/specs/$spec" && { echo "make-workspace.sh: section not removed" >&2; exit 1; }
sed -n 40p "$dir/specs/$spec" | grep -q ' $' || { echo "make-workspace.sh: no trailing space on line 40" >&2; exit 1; }
sed -n 44p "$dir/specs/$spec" | grep -q '🚀\.  $' || { echo "make-workspace.sh: line 44 not replaced" >&2; exit 1; }
echo "$dir/specs/$spec"
