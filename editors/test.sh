#!/usr/bin/env bash
# Runs every editor test against the real server binary: $TROVE_SPEC_LSP, default
# target/debug/trove-spec-lsp (build it first: cargo build). Needs editors/setup.sh.
#   vscode: node --test (binary lookup, settings, packaging, end-to-end over stdio)
#   code-server, code-server-1.139: the platform .vsix inside a real VS Code
#           (code-server 4.100.3 and 4.139.1 + Chromium)
#   nvim, nvim-snippet: headless Neovim 0.11.4 with lsp/trove_spec_lsp.lua, and with
#           the README's vim.lsp.start snippet
#   eglot, lsp-mode: emacs --batch with trove-spec-lsp.el and that client
#   use-package: emacs --batch with editors/README's use-package form (and eglot)
# Exits non-zero if any test fails; the last line totals them all.
set -uo pipefail
editors=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$editors")
export TROVE_SPEC_LSP=${TROVE_SPEC_LSP:-$repo/target/debug/trove-spec-lsp}
if [[ ! -x $TROVE_SPEC_LSP ]]; then
    echo "editors/test.sh: no server binary at $TROVE_SPEC_LSP (run cargo build, or set TROVE_SPEC_LSP)" >&2
    exit 1
fi
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0 failed=0 broken=()

# run NAME COMMAND...: runs one suite, adds its "N passed, M failed" to the totals.
run() {
    local name=$1
    shift
    echo "=== $name"
    "$@" 2>&1 | tee "$log/$name"
    local status=${PIPESTATUS[0]} p f
    if [[ $name == vscode ]]; then   # node's test runner: "# pass N", "# fail N", "# cancelled N"
        p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log/$name" | tail -1)
        f=$(($(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log/$name" | tail -1) + $(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$log/$name" | tail -1)))
    else
        read -r p f < <(sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p" "$log/$name" | tail -1)
    fi
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [[ $status != 0 ]]; then
        broken+=("$name")
        [[ ${f:-0} != 0 ]] || failed=$((failed + 1))   # died before counting its failure
    fi
}

run vscode bash -c 'cd "$1" && npm run --silent compile && node --test test/*.test.js' _ "$editors/vscode"
run code-server "$editors/code-server/run.sh"
run code-server-1.139 "$editors/code-server/run.sh" vscode-1.139
run nvim "$editors/nvim/test/run.sh" config
run nvim-snippet "$editors/nvim/test/run.sh" snippet
run eglot "$editors/emacs/test/run.sh" eglot
run lsp-mode "$editors/emacs/test/run.sh" lsp-mode
run use-package "$editors/emacs/test/run.sh" use-package

echo "=== server: $TROVE_SPEC_LSP ($("$TROVE_SPEC_LSP" --version))"
[[ ${#broken[@]} == 0 ]] || echo "failed suites: ${broken[*]}"
echo "editors: $passed passed, $failed failed"
[[ ${#broken[@]} == 0 ]]
