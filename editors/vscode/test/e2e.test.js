// End-to-end: the real trove-spec-lsp binary over stdio, driven with
// vscode-languageserver-protocol (the library VS Code's client runs on) the way the
// extension drives it: VS Code's client capabilities, the extension's own settings
// (out/settings.js), `restructuredtext` documents, pull diagnostics when offered.
// The binary: $TROVE_SPEC_LSP, else target/debug/trove-spec-lsp in this repository.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  CodeActionRequest,
  CodeActionResolveRequest,
  CompletionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  DiagnosticRefreshRequest,
  WorkspaceFoldersRequest,
} = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const { capabilities } = require('./vscode-capabilities');
const { configurationFor, serverSettings } = require('../out/settings');

const REPO = path.resolve(__dirname, '../../..');
const BINARY = process.env.TROVE_SPEC_LSP || path.join(REPO, 'target/debug/trove-spec-lsp');
const WAIT_MS = 10_000;

/** A client session: the server process, the connection, what the server sent us. */
class Session {
  constructor(root) {
    this.root = root;
    this.stderr = '';
    this.published = new Map(); // uri -> latest PublishDiagnosticsParams
    this.registrations = [];
    this.waiters = [];
    this.config = config({});
    this.process = spawn(BINARY, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
    this.process.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      this.wake();
    });
    c.onNotification(LogMessageNotification.type, () => undefined);
    this.shown = []; // window/showMessage: what VS Code would pop up
    c.onNotification(ShowMessageNotification.type, (params) => this.shown.push(params));
    c.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    c.onRequest(UnregistrationRequest.type, () => null);
    c.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    c.onRequest(DiagnosticRefreshRequest.type, () => {
      this.wake();
      return null;
    });
    // As the extension's middleware answers (VS Code has no other sections here).
    c.onRequest(ConfigurationRequest.type, (params) =>
      configurationFor(params.items, this.config).map((answer) => answer ?? null),
    );
    c.onRequest(WorkspaceFoldersRequest.type, () => [{ uri: pathToFileURL(root).href, name: path.basename(root) }]);
    c.listen();
  }

  /** A request (typed, as the client sends it) that fails at once, with the server's
   * stderr, if the server dies. */
  request(type, ...params) {
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`${type.method}: the server exited (status ${code ?? signal}); stderr:\n${this.stderr.slice(-2000)}`);
    });
    return Promise.race([this.connection.sendRequest(type, ...params), died]);
  }

  get settings() {
    return serverSettings(this.config);
  }

  wake() {
    for (const wake of this.waiters.splice(0)) {
      wake();
    }
  }

  /** Resolves at the next message that may change diagnostics, or after `ms`. */
  nextEvent(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get pulls() {
    return (
      Boolean(this.serverCapabilities.diagnosticProvider) ||
      this.registrations.some((r) => r.method === DocumentDiagnosticRequest.method)
    );
  }

  /** The diagnostics VS Code would show for `doc` now: pulled when the server offers
   * pull diagnostics, else the last published set for this version. */
  async diagnostics(doc) {
    if (this.pulls) {
      const report = await this.request(DocumentDiagnosticRequest.type, {
        textDocument: { uri: doc.uri },
      });
      assert.equal(report.kind, 'full', 'a first pull gets a full report');
      return report.items;
    }
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const got = this.published.get(doc.uri);
      if (got && (got.version === undefined || got.version === doc.version)) {
        return got.diagnostics;
      }
      assert.ok(Date.now() < deadline, `no diagnostics published for version ${doc.version} within ${WAIT_MS} ms`);
      await this.nextEvent(deadline - Date.now());
    }
  }

  /** Diagnostics once `until` holds (they follow a configuration change
   * asynchronously), failing after WAIT_MS with the last ones seen. */
  async diagnosticsUntil(doc, until, what) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const diagnostics = await this.diagnostics(doc);
      if (until(diagnostics)) {
        return diagnostics;
      }
      assert.ok(Date.now() < deadline, `${what}; last diagnostics: ${JSON.stringify(summary(diagnostics))}`);
      await this.nextEvent(Math.min(200, deadline - Date.now()));
    }
  }

  /** Applies LSP text edits to `doc` and tells the server, as VS Code does: one
   * incremental change per edit, last in the document first. */
  async edit(doc, edits) {
    const ordered = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    const next = TextDocument.update(
      TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText()),
      ordered.map((e) => ({ range: e.range, text: e.newText })),
      doc.version + 1,
    );
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: doc.uri, version: next.version },
      contentChanges: ordered.map((e) => ({ range: e.range, text: e.newText })),
    });
    return next;
  }
}

/** A stand-in for `vscode.workspace.getConfiguration('troveSpecLsp')` holding `values`,
 * with the defaults package.json declares for the rest. */
function config(values) {
  const defaults = require('../package.json').contributes.configuration.properties;
  return {
    get(key) {
      return key in values ? values[key] : defaults[`troveSpecLsp.${key}`]?.default;
    },
  };
}

function summary(diagnostics) {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`);
}

function codes(diagnostics) {
  return new Set(diagnostics.map((d) => d.code));
}

function hoverText(hover) {
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}

function lineOf(doc, text) {
  const index = doc.getText().split('\n').indexOf(text);
  assert.notEqual(index, -1, `line "${text}" in the document`);
  return index;
}

let session;
let doc;
let initializeResult;
let root;

before(async () => {
  assert.ok(fs.existsSync(BINARY), `server binary ${BINARY} (build it with cargo build, or set TROVE_SPEC_LSP)`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trove-spec-vscode-'));
  const specPath = execFileSync(path.join(REPO, 'editors/test/make-workspace.sh'), [root], { encoding: 'utf8' }).trim();
  session = new Session(root);
  const rootUri = pathToFileURL(root).href;
  initializeResult = await session.request(InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
    locale: 'en',
    rootPath: root,
    rootUri,
    capabilities,
    initializationOptions: session.settings,
    trace: 'off',
    workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
  });
  session.serverCapabilities = initializeResult.capabilities;
  await session.connection.sendNotification(InitializedNotification.type, {});
  doc = TextDocument.create(pathToFileURL(specPath).href, 'restructuredtext', 1, fs.readFileSync(specPath, 'utf8'));
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: doc.uri, languageId: doc.languageId, version: doc.version, text: doc.getText() },
  });
});

after(async () => {
  if (session) {
    if (session.process.exitCode === null) {
      session.process.kill();
    }
    session.connection.dispose();
  }
  if (root) {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('initialize: the server names itself and offers what the extension uses', () => {
  const caps = initializeResult.capabilities;
  assert.equal(initializeResult.serverInfo?.name, 'trove-spec-lsp');
  assert.equal(caps.positionEncoding ?? 'utf-16', 'utf-16', 'VS Code offers only utf-16');
  assert.ok(caps.hoverProvider, 'hoverProvider');
  assert.ok(caps.completionProvider, 'completionProvider');
  assert.ok(caps.codeActionProvider, 'codeActionProvider');
  assert.ok(caps.diagnosticProvider, 'pull diagnostics, which VS Code supports');
  const sync = caps.textDocumentSync;
  assert.equal(typeof sync === 'number' ? sync : sync.change, 2, 'incremental sync');
});

test('diagnostics: the removed section and the trailing spaces, from trove-spec-lsp', async () => {
  const diagnostics = await session.diagnostics(doc);
  const found = codes(diagnostics);
  assert.ok(found.has('missing-section'), `missing-section in ${[...found]}`);
  assert.ok(found.has('trailing-whitespace'), `trailing-whitespace in ${[...found]}`);
  for (const d of diagnostics) {
    assert.equal(d.source, 'trove-spec-lsp');
  }
  const missing = diagnostics.filter((d) => d.code === 'missing-section');
  assert.equal(missing.length, 1, `one missing section: ${JSON.stringify(summary(diagnostics))}`);
  assert.match(missing[0].message, /Dependencies/);
  assert.equal(missing[0].range.start.line, lineOf(doc, 'Testing'), 'at the heading it belongs before');
  assert.equal(missing[0].severity, 1, 'missing-section is an error');
  const trailing = diagnostics
    .filter((d) => d.code === 'trailing-whitespace')
    .sort((a, b) => a.range.start.line - b.range.start.line);
  assert.deepEqual(
    trailing.map((d) => d.range.start.line),
    [39, 43],
    'trailing spaces on lines 40 and 44',
  );
  // The ranges cover the spaces themselves, in UTF-16 columns (JavaScript string
  // indices): line 44 has "é", "—" and "🚀" (two UTF-16 units) before its spaces.
  for (const d of trailing) {
    const line = doc.getText().split('\n')[d.range.start.line];
    assert.equal(d.range.start.character, line.trimEnd().length, `start on line ${d.range.start.line + 1}`);
    assert.equal(d.range.end.character, line.length, `end on line ${d.range.start.line + 1}`);
  }
});

test('hover on a heading: the template guidance as Markdown', async () => {
  const line = lineOf(doc, 'Problem Description');
  for (const onLine of [line, line + 1]) {
    const hover = await session.request(HoverRequest.type, {
      textDocument: { uri: doc.uri },
      position: { line: onLine, character: 3 },
    });
    assert.ok(hover, `a hover on line ${onLine + 1}`);
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hoverText(hover), /A detailed description of the problem\./);
  }
});

test('completion at the start of a line: the missing heading, first, with its underline', async () => {
  const blank = lineOf(doc, 'Testing') - 1;
  assert.equal(doc.getText().split('\n')[blank], '', 'a blank line before Testing');
  const result = await session.request(CompletionRequest.type, {
    textDocument: { uri: doc.uri },
    position: { line: blank, character: 0 },
    context: { triggerKind: 1 },
  });
  const items = Array.isArray(result) ? result : result.items;
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('Dependencies'), `Dependencies among ${labels}`);
  assert.ok(!labels.includes('Testing'), 'a present heading is not offered');
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  assert.equal(sorted[0].label, 'Dependencies', 'the heading expected here comes first');
  const item = sorted[0];
  const inserted = item.textEdit?.newText ?? item.insertText ?? item.label;
  assert.match(inserted, /^Dependencies\r?\n={12}(\r?\n|$)/, `heading and underline: ${JSON.stringify(inserted)}`);
});

test('code action: insert the missing section; the finding goes away', async () => {
  const before = await session.diagnostics(doc);
  const missing = before.find((d) => d.code === 'missing-section');
  assert.ok(missing, 'a missing-section diagnostic to fix');
  let actions = await session.request(CodeActionRequest.type, {
    textDocument: { uri: doc.uri },
    range: missing.range,
    context: { diagnostics: [missing], triggerKind: 1 },
  });
  actions = (actions ?? []).filter((a) => a.kind !== undefined);
  const fix = actions.find((a) => a.kind === 'quickfix' && /Dependencies/.test(a.title));
  assert.ok(fix, `a quick fix for Dependencies among ${JSON.stringify(actions.map((a) => a.title))}`);
  const action = fix.edit ? fix : await session.request(CodeActionResolveRequest.type, fix);
  const edits = textEdits(action.edit, doc.uri);
  assert.ok(edits.length > 0, 'the fix edits the document');
  doc = await session.edit(doc, edits);
  assert.match(doc.getText(), /\nDependencies\n============\n/);
  const after = await session.diagnostics(doc);
  assert.ok(!codes(after).has('missing-section'), `fixed: ${JSON.stringify(summary(after))}`);
  assert.ok(codes(after).has('trailing-whitespace'), 'the other finding stays');
});

test('settings: a severity of "off" from the extension silences that code', async () => {
  session.config = config({ severity: { 'trailing-whitespace': 'off' } });
  assert.deepEqual(session.settings, { severity: { 'trailing-whitespace': 'off' } });
  // As the extension does on a change of a troveSpecLsp setting.
  await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: session.settings });
  await session.diagnosticsUntil(
    doc,
    (diagnostics) => !codes(diagnostics).has('trailing-whitespace'),
    'trailing-whitespace still reported after it was turned off',
  );
});

test('the server showed no warning or error', () => {
  const bad = session.shown.filter((m) => m.type <= 2);
  assert.deepEqual(bad, []);
});

test('shutdown and exit: status 0', async () => {
  await session.request(ShutdownRequest.type);
  await session.connection.sendNotification(ExitNotification.type);
  const { code, signal } = await session.exited;
  assert.equal(signal, null);
  assert.equal(code, 0, `exit status; stderr:\n${session.stderr.slice(-2000)}`);
});

/** The text edits for `uri` in a WorkspaceEdit, whichever form the server used. */
function textEdits(edit, uri) {
  if (edit.documentChanges) {
    return edit.documentChanges.filter((c) => c.textDocument?.uri === uri).flatMap((c) => c.edits);
  }
  return edit.changes?.[uri] ?? [];
}
