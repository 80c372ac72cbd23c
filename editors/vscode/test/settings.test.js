// The settings the extension sends the server (out/settings.js): what the user set,
// nothing for what they left at the default, so trove-spec-lsp.toml still applies.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { configurationFor, removesSetting, serverSettings } = require('../out/settings');
const properties = require('../package.json').contributes.configuration.properties;

function config(values) {
  return {
    get: (key) => (key in values ? values[key] : properties[`troveSpecLsp.${key}`]?.default),
  };
}

test('defaults: an empty object', () => {
  assert.deepEqual(serverSettings(config({})), {});
});

test('every setting the user set, under the server key', () => {
  const settings = serverSettings(
    config({
      template: ' specs/template.rst ',
      severity: { 'line-too-long': 'off', 'section-order': 'error' },
      specs: ['doc/source/specs/**/*.rst'],
      optional: ['History'],
      maxLineLength: 99,
      preset: ' nova ',
      allowExtra: ['Testing'],
      path: '/usr/bin/trove-spec-lsp',
    }),
  );
  assert.deepEqual(settings, {
    preset: 'nova',
    'allow-extra': ['Testing'],
    template: 'specs/template.rst',
    severity: { 'line-too-long': 'off', 'section-order': 'error' },
    specs: ['doc/source/specs/**/*.rst'],
    optional: ['History'],
    'max-line-length': 99,
  });
});

test('every server setting is a contributed troveSpecLsp setting', () => {
  const keys = ['preset', 'template', 'severity', 'specs', 'optional', 'allowExtra', 'maxLineLength'];
  for (const key of keys) {
    assert.ok(properties[`troveSpecLsp.${key}`], `package.json contributes troveSpecLsp.${key}`);
  }
});

test('the severity codes offered are exactly the server\'s codes (src/check/mod.rs)', () => {
  const source = fs.readFileSync(path.join(__dirname, '../../../src/codes.rs'), 'utf8');
  const codes = [...source.matchAll(/Code::\w+ => "([a-z-]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length >= 10, `codes read from Code::as_str: ${codes}`);
  const offered = properties['troveSpecLsp.severity'].propertyNames.enum;
  assert.deepEqual([...offered].sort(), [...new Set(codes)].sort());
});

test('the presets offered are exactly the server\'s presets (src/config/preset.rs)', () => {
  const source = fs.readFileSync(path.join(__dirname, '../../../src/config/preset.rs'), 'utf8');
  const names = [...source.matchAll(/assets\/presets\/([a-z]+)\.toml/g)].map((m) => m[1]);
  assert.equal(names.length, 7, `presets read from PRESETS: ${names}`);
  const offered = properties['troveSpecLsp.preset'].enum;
  assert.deepEqual(offered.filter((p) => p !== '').sort(), [...names].sort());
  assert.ok(offered.includes(''), 'an empty choice leaves the preset to trove-spec-lsp.toml');
});

test('workspace/configuration: the same settings for the server\'s section, nothing of ours for others', () => {
  const answers = configurationFor(
    [{ section: 'trove-spec-lsp' }, { section: 'editor' }, {}],
    config({ optional: ['History'] }),
  );
  assert.deepEqual(answers, [{ optional: ['History'] }, undefined, undefined]);
});

test('a change that removes a setting the server started with needs a restart', () => {
  const initial = { severity: { 'line-too-long': 'off' }, specs: ['a/*.rst'] };
  assert.equal(removesSetting(initial, { severity: { 'line-too-long': 'off' }, specs: ['b/*.rst'] }), false);
  assert.equal(removesSetting(initial, { severity: { 'line-too-long': 'off', placeholder: 'hint' }, specs: [] }), false);
  assert.equal(removesSetting(initial, { severity: { 'line-too-long': 'off' } }), true, 'specs removed');
  assert.equal(removesSetting(initial, { severity: { placeholder: 'hint' }, specs: ['a/*.rst'] }), true, 'a code removed');
  assert.equal(removesSetting({}, { template: 't.rst' }), false);
});
