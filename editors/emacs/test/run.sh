#!/usr/bin/env bash
# Emacs end-to-end tests: `emacs --batch` (Debian's emacs-nox with elpa-eglot or
# elpa-lsp-mode) loads the project's trove-spec-lsp.el and drives the real server
# binary ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp) through the client
# named as the argument: `run.sh eglot` (eglot-test.el), `run.sh lsp-mode`
# (lsp-mode-test.el), or `run.sh use-package` (use-package-test.el: editors/README's
# use-package form, with eglot). Not -Q: Debian's site start-up puts the ELPA packages on the
# load path.
set -euo pipefail
client=${1:?usage: run.sh eglot|lsp-mode|use-package}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emacs_dir=$(dirname "$here")

command -v emacs >/dev/null || { echo "emacs test: emacs not installed (editors/setup.sh)" >&2; exit 1; }
[[ -f $here/$client-test.el ]] || { echo "emacs test: no client $client (eglot, lsp-mode or use-package)" >&2; exit 1; }
source "$here/../../test/prepare.sh" "$client"
export EMACS_PACKAGE_DIR=$emacs_dir
# A home of its own: no user init file, no saved state of the caller's.
export HOME=$ROOT/home
mkdir -p "$HOME"
# use-package: the README's form must put the package on the load path itself.
load=(-L "$emacs_dir")
[[ $client != use-package ]] || load=()
timeout 120 emacs --batch "${load[@]}" -L "$here" -l "$here/$client-test.el" </dev/null
