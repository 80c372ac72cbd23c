# Sourced by the editor test scripts (nvim/test/run.sh, emacs/test/run.sh) with the
# suite's name as $1: exports TROVE_SPEC_LSP (default target/debug/trove-spec-lsp,
# which must exist), ROOT (a fresh spec repository from make-workspace.sh, removed on
# exit) and SPEC (the spec in it to open).
suite=${1:?usage: source prepare.sh SUITE}
editors_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export TROVE_SPEC_LSP=${TROVE_SPEC_LSP:-$(dirname "$editors_dir")/target/debug/trove-spec-lsp}
if [[ ! -x $TROVE_SPEC_LSP ]]; then
    echo "$suite test: no server binary at $TROVE_SPEC_LSP (cargo build, or set TROVE_SPEC_LSP)" >&2
    exit 1
fi
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/trove-spec-$suite.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
SPEC=$("$editors_dir/test/make-workspace.sh" "$ROOT")
export ROOT SPEC
