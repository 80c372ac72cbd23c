// Finding the server binary (out/binary.js, the extension's own code): the setting,
// then PATH, then the bundled one, each checked by running `--version`; every failure
// says what to fix.
'use strict';

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { bundledServer, findServer, ServerNotFound, BINARY, startFailureMessage } = require('../out/binary');

const REPO = path.resolve(__dirname, '../../..');
const SERVER = process.env.TROVE_SPEC_LSP || path.join(REPO, 'target/debug/trove-spec-lsp');

const made = [];
function tempDir() {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'trove-spec-binary-')));
  return made[made.length - 1];
}
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

test('the setting, absolute, wins over PATH', () => {
  assert.equal(findServer(SERVER, undefined, ''), SERVER);
});

test('the setting, relative, is taken from the workspace root', () => {
  assert.equal(findServer(path.relative(REPO, SERVER), REPO, ''), SERVER);
});

test('no setting: the first trove-spec-lsp on PATH', () => {
  const dir = tempDir();
  fs.symlinkSync(SERVER, path.join(dir, BINARY));
  const found = findServer('', undefined, ['/nonexistent', dir].join(path.delimiter));
  assert.equal(found, path.join(dir, BINARY));
});

test('not on PATH, no setting, nothing bundled: says where it looked', () => {
  const dir = tempDir();
  const searched = ['/nonexistent', dir].join(path.delimiter);
  const bundled = bundledServer(dir);
  assert.throws(
    () => findServer('  ', undefined, searched, bundled),
    (e) =>
      e instanceof ServerNotFound &&
      e.missing &&
      e.message.includes(`PATH directories the editor sees: /nonexistent, ${dir}.`) &&
      /login shell/.test(e.message) &&
      e.message.includes(`no ${bundled}`) &&
      /troveSpecLsp\.path/.test(e.message),
  );
});

test('no setting, not on PATH: the bundled binary in server/', () => {
  const extension = tempDir();
  fs.mkdirSync(path.join(extension, 'server'));
  fs.copyFileSync(SERVER, path.join(extension, 'server', BINARY));
  const bundled = bundledServer(extension);
  assert.equal(bundled, path.join(extension, 'server', BINARY));
  assert.equal(findServer('', undefined, tempDir(), bundled), bundled);
  // PATH and the setting override it
  const dir = tempDir();
  fs.symlinkSync(SERVER, path.join(dir, BINARY));
  assert.equal(findServer('', undefined, dir, bundled), path.join(dir, BINARY));
  assert.equal(findServer(SERVER, undefined, dir, bundled), SERVER);
});

test('a setting naming no file: says which path', () => {
  assert.throws(
    () => findServer('bin/nothing-here', '/tmp', ''),
    (e) => e instanceof ServerNotFound && e.message.includes('/tmp/bin/nothing-here') && /does not exist/.test(e.message),
  );
});

test('a file that is not a program: does not run', () => {
  const file = path.join(tempDir(), 'trove-spec-lsp');
  fs.writeFileSync(file, 'not a program\n', { mode: 0o644 });
  assert.throws(() => findServer(file, undefined, ''), (e) => e instanceof ServerNotFound && /does not run/.test(e.message));
});

test('a program that fails: its status and first line of output', () => {
  const file = path.join(tempDir(), 'trove-spec-lsp');
  fs.writeFileSync(file, '#!/bin/sh\necho "broken install" >&2\nexit 3\n', { mode: 0o755 });
  assert.throws(
    () => findServer(file, undefined, ''),
    (e) => e instanceof ServerNotFound && /status 3: broken install/.test(e.message),
  );
});

test('the start-failure notification says what failed and how to fix it', () => {
  let notFound;
  try {
    findServer('', undefined, tempDir());
  } catch (error) {
    notFound = startFailureMessage(error);
  }
  assert.match(notFound, /^trove-spec-lsp: the server binary `trove-spec-lsp` was not found: /);
  assert.match(notFound, /cargo install --locked --path \./);
  assert.match(notFound, /set `troveSpecLsp\.path`/);
  const crashed = startFailureMessage(new Error('Connection closed'), SERVER);
  assert.ok(crashed.includes(`the server ${SERVER} failed to start (Connection closed)`), crashed);
  assert.ok(crashed.includes(`\`${SERVER} --version\``), crashed);
  assert.match(crashed, /troveSpecLsp\.path/);
});
