#!/usr/bin/env bash
# Emacs end-to-end test: `emacs --batch` (Debian's emacs-nox, eglot from elpa-eglot)
# loads the project's trove-spec-lsp.el and drives the real server binary
# ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp) through eglot and flymake.
# Not -Q: Debian's site start-up is what puts elpa-eglot on the load path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emacs_dir=$(dirname "$here")

command -v emacs >/dev/null || { echo "emacs test: emacs not installed (editors/setup.sh)" >&2; exit 1; }
source "$here/../../test/prepare.sh" emacs
export EMACS_PACKAGE_DIR=$emacs_dir
# A home of its own: no user init file, no saved state of the caller's.
export HOME=$ROOT/home
mkdir -p "$HOME"
timeout 120 emacs --batch -L "$emacs_dir" -l "$here/e2e.el" </dev/null
