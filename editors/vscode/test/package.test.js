// `vsce package` makes an installable .vsix: the manifest, the compiled extension and
// its runtime dependencies, none of the sources or tests.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HERE = path.resolve(__dirname, '..');

test('vsce packages the extension with its runtime dependencies', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trove-spec-vsix-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const vsix = path.join(dir, 'extension.vsix');
  execFileSync(path.join(HERE, 'node_modules/.bin/vsce'), ['package', '--allow-missing-repository', '-o', vsix], {
    cwd: HERE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A .vsix is a zip: list it with Python's zipfile (no zip package needed here).
  const entries = execFileSync(
    'python3',
    ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix],
    { encoding: 'utf8' },
  ).split('\n');
  for (const entry of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/out/extension.js',
    'extension/out/binary.js',
    'extension/out/settings.js',
    'extension/node_modules/vscode-languageclient/lib/node/main.js',
    'extension/node_modules/vscode-languageserver-protocol/lib/node/main.js',
  ]) {
    assert.ok(entries.includes(entry), `${entry} in the .vsix`);
  }
  assert.ok(entries.some((e) => /^extension\/LICENSE/.test(e)), 'a LICENSE in the .vsix');
  const unwanted = entries.filter((e) => /^extension\/(src|test)\/|\.ts$|\.map$/.test(e) && !e.endsWith('.d.ts'));
  assert.deepEqual(unwanted, [], 'no sources, tests or source maps');
  const manifest = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8'));
  assert.equal(manifest.engines.vscode, `^${require('@types/vscode/package.json').version}`, 'engines.vscode matches @types/vscode');
});
