// The settings the extension sends the server (out/settings.js): what the user set,
// nothing for what they left at the default, so trove-spec-lsp.toml still applies.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { serverSettings } = require('../out/settings');
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
      path: '/usr/bin/trove-spec-lsp',
    }),
  );
  assert.deepEqual(settings, {
    template: 'specs/template.rst',
    severity: { 'line-too-long': 'off', 'section-order': 'error' },
    specs: ['doc/source/specs/**/*.rst'],
    optional: ['History'],
    maxLineLength: 99,
  });
});

test('every server setting is a contributed troveSpecLsp setting', () => {
  const keys = ['template', 'severity', 'specs', 'optional', 'maxLineLength'];
  for (const key of keys) {
    assert.ok(properties[`troveSpecLsp.${key}`], `package.json contributes troveSpecLsp.${key}`);
  }
});
