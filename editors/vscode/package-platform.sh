#!/usr/bin/env bash
# Makes a platform .vsix that carries the server binary in server/ (as rust-analyzer,
# ruff and typos-lsp ship theirs), so that nothing else needs installing:
#   package-platform.sh BINARY TARGET [OUT.vsix]
# TARGET is a VS Code platform the binary was built for: linux-x64, linux-arm64,
# darwin-x64, darwin-arm64, win32-x64, ... (e.g. after `cargo build --release`:
# package-platform.sh ../../target/release/trove-spec-lsp linux-x64).
# The extension still prefers `troveSpecLsp.path`, then a trove-spec-lsp on PATH.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=${1:?usage: package-platform.sh BINARY TARGET [OUT.vsix]}
target=${2:?usage: package-platform.sh BINARY TARGET [OUT.vsix]}
version=$(node -p "require('$here/package.json').version")
out=${3:-$here/trove-spec-lsp-$target-$version.vsix}
name=trove-spec-lsp
[[ $target == win32-* ]] && name=trove-spec-lsp.exe
[[ -f $binary ]] || { echo "package-platform.sh: no binary at $binary" >&2; exit 2; }
cd "$here"
trap 'rm -rf "$here/server"' EXIT
rm -rf server
mkdir server
install -m 755 "$binary" "server/$name"
node_modules/.bin/vsce package --target "$target" --allow-missing-repository -o "$out"
