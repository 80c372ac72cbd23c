#!/usr/bin/env bash
# Emacs end-to-end test: `emacs --batch` (Debian's emacs-nox, eglot from elpa-eglot)
# loads the project's trove-spec-lsp.el and drives the real server binary
# ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp) through eglot and flymake.
# Not -Q: Debian's site start-up is what puts elpa-eglot on the load path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emacs_dir=$(dirname "$here")
repo=$(cd "$emacs_dir/../.." && pwd)

command -v emacs >/dev/null || { echo "emacs test: emacs not installed (editors/setup.sh)" >&2; exit 1; }
export TROVE_SPEC_LSP=${TROVE_SPEC_LSP:-$repo/target/debug/trove-spec-lsp}
[[ -x $TROVE_SPEC_LSP ]] || { echo "emacs test: no server binary at $TROVE_SPEC_LSP (cargo build)" >&2; exit 1; }
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/trove-spec-emacs.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
export ROOT
SPEC=$("$repo/editors/test/make-workspace.sh" "$ROOT")
export SPEC EMACS_PACKAGE_DIR=$emacs_dir
# A home of its own: no user init file, no saved state of the caller's.
export HOME=$ROOT/home
mkdir -p "$HOME"
timeout 120 emacs --batch -L "$emacs_dir" -l "$here/e2e.el" </dev/null
