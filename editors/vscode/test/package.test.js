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

test('LICENSE is a file of its own (a copied folder packages too), the repository license', () => {
  assert.ok(fs.lstatSync(path.join(HERE, 'LICENSE')).isFile(), 'LICENSE is not a symlink');
  assert.equal(fs.readFileSync(path.join(HERE, 'LICENSE'), 'utf8'), fs.readFileSync(path.join(HERE, '../../LICENSE'), 'utf8'));
});

test('package-platform.sh bundles the binary in server/ of a platform .vsix', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trove-spec-vsix-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const binary = path.join(dir, 'trove-spec-lsp');
  fs.writeFileSync(binary, '#!/bin/sh\necho trove-spec-lsp 0.0.0\n', { mode: 0o755 });
  const vsix = path.join(dir, 'platform.vsix');
  execFileSync(path.join(HERE, 'package-platform.sh'), [binary, 'linux-x64', vsix], { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'] });
  const listing = execFileSync(
    'python3',
    [
      '-c',
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); i = z.getinfo("extension/server/trove-spec-lsp"); ' +
        'print(oct(i.external_attr >> 16 & 0o777)); print(z.read("extension.vsixmanifest").decode())',
      vsix,
    ],
    { encoding: 'utf8' },
  );
  assert.match(listing, /^0o755\n/, 'the bundled binary is executable');
  assert.match(listing, /TargetPlatform="linux-x64"/);
  assert.ok(!fs.existsSync(path.join(HERE, 'server')), 'server/ is removed after packaging');
});
