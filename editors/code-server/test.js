// The extension inside a real VS Code (code-server, started by run.sh), driven through
// Debian's Chromium with puppeteer-core, checked from what the page shows a user:
// the spec opened from Quick Open gets squiggles, the Problems panel lists the findings
// (a missing section with its message), the status bar counts them, a heading's hover
// shows the template's guidance, the quick fix inserts the missing section and the
// finding goes away, and no error notification shows at any point. With PHASE=preset
// (a second session), `troveSpecLsp.preset` is "cinder" in the workspace's settings:
// the findings shown are those `check` gives with that preset (no missing section). The extension's
// log must say it started the binary bundled in its server/ folder. With PHASE=broken
// (a second session), `troveSpecLsp.path` in the User settings names a binary that
// dies at start: one error notification, with its actions, and the extension's "Show
// server log" command works while it is open.
// Environment (set by run.sh): CODE_SERVER_URL, SPEC, EXPECTED_DIAGNOSTICS (the
// spec's `check --format json`), CODE_SERVER_LOGS, CODE_SERVER_SHOTS,
// PHASE, BROKEN_SERVER.
// Prints "code-server PHASE: N passed, M failed"; a failed check saves a screenshot, and the
// checks after it, which build on it, are counted as failed without running
// (CODE_SERVER_SHOTS_ALL=1: a screenshot after every check).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const SPEC = process.env.SPEC;
const SHOTS = process.env.CODE_SERVER_SHOTS;
const EXPECTED = JSON.parse(process.env.EXPECTED_DIAGNOSTICS).diagnostics;
const LINES = fs.readFileSync(SPEC, 'utf8').split('\n');
const WAIT = 60_000;

let passed = 0;
let failed = 0;
let page;

async function check(name, body) {
  if (failed > 0) {
    failed += 1;
    console.log(`not ok - ${name}: not run, an earlier check failed`);
    return;
  }
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
    if (process.env.CODE_SERVER_SHOTS_ALL) {
      await shot(name);
    }
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}: ${error.message.split('\n')[0]}`);
    await shot(name);
  }
}

async function shot(name) {
  if (page) {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.log(`  screenshot: ${file}`);
  }
}

/** Waits until `fn` (run in the page with `arg`) returns something truthy; returns it. */
async function until(what, fn, arg, timeout = WAIT) {
  try {
    const handle = await page.waitForFunction(fn, { timeout, polling: 200 }, arg);
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out waiting for ${what}`);
  }
}

/** The visible error notifications (toasts), as text. */
function errorToasts() {
  return page.$$eval('.notification-toast', (toasts) =>
    toasts.filter((t) => t.querySelector('.codicon-error')).map((t) => t.innerText.replace(/\s+/g, ' ')),
  );
}

async function noErrorNotification() {
  const errors = await errorToasts();
  if (errors.length > 0) {
    throw new Error(`error notification: ${errors.join(' | ')}`);
  }
}

/** Quick Open (Ctrl+P) with `text`, then Enter: opens a file, or `:N` goes to line N. */
async function quickOpen(text, pick) {
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyP');
  await page.keyboard.up('Control');
  await until('Quick Open', () => {
    const input = document.querySelector('.quick-input-widget input');
    return input && document.activeElement === input;
  });
  await page.keyboard.type(text);
  if (pick) {
    await until(`"${pick}" in Quick Open`, (p) =>
      [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => r.innerText.includes(p)), pick);
  }
  await page.keyboard.press('Enter');
}

/** Quick Open `:N`, until the cursor is on line N in the focused editor (the status bar
 * says "Ln N,"): an Enter that came before Quick Open read the number leaves the cursor
 * where it was, and the keys that follow would act there; then it is tried again. */
async function goToLine(line) {
  for (let tries = 1; ; tries++) {
    await quickOpen(`:${line}`);
    try {
      await until(`the cursor on line ${line}`, (l) => {
        const at = document.querySelector('[id="status.editor.selection"]')?.innerText ?? '';
        return at.startsWith(`Ln ${l},`) && document.activeElement?.closest('.monaco-editor') != null;
      }, line, 10_000);
      return;
    } catch (error) {
      if (tries === 3) {
        const at = await page.$eval('[id="status.editor.selection"]', (e) => e.innerText).catch(() => 'none');
        throw new Error(`${error.message} (the status bar says ${JSON.stringify(at)})`);
      }
      await page.keyboard.press('Escape');
    }
  }
}

/** The rows of the Problems panel, as text. */
function problemRows() {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => r.innerText.replace(/\s+/g, ' ')));
}

/** The numbers the status bar's problems item shows: [errors, warnings, ...]. */
async function statusCounts() {
  const text = await page.$eval('[id="status.problems"]', (item) => item.innerText);
  return (text.match(/\d+/g) ?? []).map(Number);
}

function count(severity) {
  return EXPECTED.filter((d) => d.severity === severity).length;
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1600,1000'],
    defaultViewport: { width: 1600, height: 1000 },
  });
  try {
    page = await browser.newPage();
    const phases = { broken: runBroken, preset: runPreset };
    await (phases[process.env.PHASE] ?? run)();
  } finally {
    await browser.close();
  }
}

async function run() {
  const missing = EXPECTED.find((d) => d.code === 'missing-section');
  if (!missing || count(1) < 2) {
    throw new Error(`the workspace spec must have a missing section and more errors: ${JSON.stringify(EXPECTED)}`);
  }
  const name = path.basename(SPEC);

  await check('the workbench loads with the spec repository', async () => {
    await page.goto(process.env.CODE_SERVER_URL, { waitUntil: 'domcontentloaded', timeout: WAIT });
    await until('the explorer', () => document.querySelector('.explorer-folders-view .monaco-list-row'));
  });

  await check('the spec opens from Quick Open', async () => {
    await quickOpen(name, name);
    // (VS Code 1.139 shows the name and the extension in separate elements)
    await until('the editor tab', (n) => document.querySelector('.tab.active')?.innerText.replace(/\s+/g, '').includes(n), name).catch(async (e) => {
      const tabs = await page.$$eval('.tab', (ts) => ts.map((t) => `${t.className}|${t.innerText}|${t.getAttribute('aria-selected')}`));
      throw new Error(`${e.message}: ${JSON.stringify(tabs)}`);
    });
  });

  await check('the extension starts its bundled server and the squiggles show', async () => {
    // (the editor renders only the lines on screen: the trailing spaces of lines 40, 44)
    await until('error squiggles', () => document.querySelectorAll('.squiggly-error').length > 0);
    // (the log reaches its file a little later)
    for (let tries = 0; !findInLogs(process.env.CODE_SERVER_LOGS, /Started \S*\/server\/trove-spec-lsp\b/); tries++) {
      if (tries === 50) {
        throw new Error('the extension log does not say it started server/trove-spec-lsp');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  await check('no error notification', noErrorNotification);

  await check('the status bar counts the errors and warnings', async () => {
    await until('the status bar counts', (want) => {
      const text = document.querySelector('[id="status.problems"]')?.innerText ?? '';
      return JSON.stringify((text.match(/\d+/g) ?? []).map(Number).slice(0, 2)) === JSON.stringify(want);
    }, [count(1), count(2)]).catch(async (error) => {
      throw new Error(`${error.message} (${count(1)} errors, ${count(2)} warnings; shown: ${await statusCounts()})`);
    });
  });

  await check('the Problems panel lists each finding, the missing section with its message', async () => {
    await page.keyboard.down('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyM');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Control');
    await until('the missing section in Problems', (m) =>
      [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.innerText.includes(m)), missing.message);
    const rows = await problemRows();
    for (const d of EXPECTED) {
      const row = rows.find((r) => r.includes(d.message) && r.includes(`[Ln ${d.range.start.line + 1}`));
      if (!row) {
        throw new Error(`no row for line ${d.range.start.line + 1}: ${d.message} in ${JSON.stringify(rows)}`);
      }
    }
  });

  await check('hovering a heading shows the template guidance', async () => {
    const heading = LINES.indexOf('Problem Description') + 1;
    if (heading === 0) {
      throw new Error('the spec has no "Problem Description" heading');
    }
    await goToLine(heading);
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyK');
    await page.keyboard.press('KeyI');
    await page.keyboard.up('Control');
    await until('the guidance in a hover', () =>
      [...document.querySelectorAll('.monaco-hover')].some((h) => h.innerText.includes('A detailed description of the problem.')));
    await page.keyboard.press('Escape');
  });

  await check('the quick fix inserts the missing section and the finding goes away', async () => {
    await goToLine(missing.range.start.line + 1);
    // Ctrl+. again, as a user would, when no menu shows: in one CI run (of 92f0de0) the
    // first press, right after a hover was closed, opened nothing
    let title;
    for (let tries = 1; title === undefined; tries++) {
      await page.keyboard.down('Control');
      await page.keyboard.press('Period');
      await page.keyboard.up('Control');
      title = await until('the quick fix in the lightbulb menu', () =>
        [...document.querySelectorAll('.action-widget .monaco-list-row')]
          .map((r) => r.innerText.trim())
          .find((t) => t.includes('Dependencies')), undefined, tries === 3 ? WAIT : 10_000).catch(async (error) => {
        const rows = await page.$$eval('.action-widget .monaco-list-row', (r) => r.map((e) => e.innerText.trim()));
        const at = await page.$eval('[id="status.editor.selection"]', (e) => e.innerText).catch(() => 'none');
        if (tries === 3 || rows.length > 0) {
          throw new Error(`${error.message} (the menu shows ${JSON.stringify(rows)}; the status bar says ${JSON.stringify(at)})`);
        }
        return undefined;
      });
    }
    const rows = await page.$$('.action-widget .monaco-list-row');
    for (const row of rows) {
      if ((await row.evaluate((r) => r.innerText.trim())) === title) {
        await row.click();
        break;
      }
    }
    await until('the section in the editor', () =>
      [...document.querySelectorAll('.view-line')].some((l) => l.innerText.trim() === 'Dependencies'));
    await until('the finding gone from Problems', (m) =>
      ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => r.innerText.includes(m)), missing.message);
    await until('the status bar counting one error less', (want) => {
      const text = document.querySelector('[id="status.problems"]')?.innerText ?? '';
      return Number((text.match(/\d+/g) ?? [])[0]) === want;
    }, count(1) - 1);
  });

  await check('still no error notification', noErrorNotification);

}

/** The second session: `troveSpecLsp.preset` is "cinder" in the workspace's
 * `.vscode/settings.json` (run.sh wrote it, and EXPECTED is `check` with that preset). */
async function runPreset() {
  const name = path.basename(SPEC);
  if (EXPECTED.some((d) => d.code === 'missing-section') || count(1) === 0) {
    throw new Error(`with the cinder preset the spec must have errors but no missing section: ${JSON.stringify(EXPECTED)}`);
  }
  await check('the workbench loads with a preset in the workspace settings', async () => {
    await page.goto(process.env.CODE_SERVER_URL, { waitUntil: 'domcontentloaded', timeout: WAIT });
    await until('the explorer', () => document.querySelector('.explorer-folders-view .monaco-list-row'));
    await quickOpen(name, name);
    await until('the editor tab', (n) => document.querySelector('.tab.active')?.innerText.replace(/\s+/g, '').includes(n), name);
  });

  await check('the status bar counts the preset\'s errors and warnings', async () => {
    await until('the status bar counts', (want) => {
      const text = document.querySelector('[id="status.problems"]')?.innerText ?? '';
      return JSON.stringify((text.match(/\d+/g) ?? []).map(Number).slice(0, 2)) === JSON.stringify(want);
    }, [count(1), count(2)]).catch(async (error) => {
      throw new Error(`${error.message} (${count(1)} errors, ${count(2)} warnings; shown: ${await statusCounts()})`);
    });
  });

  await check('the Problems panel lists the preset\'s findings and no missing section', async () => {
    // (focus, not toggle: the panel may be open already, restored from the first session)
    await page.keyboard.press('F1');
    await until('the command palette', () => document.activeElement === document.querySelector('.quick-input-widget input'));
    await page.keyboard.type('Focus on Problems View');
    await until('the command in the palette', () =>
      [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => r.innerText.includes('Focus on Problems View')));
    await page.keyboard.press('Enter');
    await until('the findings in Problems', (n) =>
      document.querySelectorAll('.markers-panel .monaco-list-row').length > n, EXPECTED.length);
    const rows = await problemRows();
    for (const d of EXPECTED) {
      if (!rows.some((r) => r.includes(d.message) && r.includes(`[Ln ${d.range.start.line + 1}`))) {
        throw new Error(`no row for line ${d.range.start.line + 1}: ${d.message} in ${JSON.stringify(rows)}`);
      }
    }
    if (rows.some((r) => r.includes('missing-section'))) {
      throw new Error(`a template finding under the cinder preset: ${JSON.stringify(rows)}`);
    }
  });

  await check('no error notification with the preset', noErrorNotification);
}

/** The third session: `troveSpecLsp.path` in the User settings names a server that
 * dies at start (run.sh wrote it before starting code-server again). */
async function runBroken() {
  const name = path.basename(SPEC);
  await check('the workbench loads again, the path to a dying server in the User settings', async () => {
    await page.goto(process.env.CODE_SERVER_URL, { waitUntil: 'domcontentloaded', timeout: WAIT });
    await until('the explorer', () => document.querySelector('.explorer-folders-view .monaco-list-row'));
    await quickOpen(name, name);
    // (VS Code 1.139 shows the name and the extension in separate elements)
    await until('the editor tab', (n) => document.querySelector('.tab.active')?.innerText.replace(/\s+/g, '').includes(n), name).catch(async (e) => {
      const tabs = await page.$$eval('.tab', (ts) => ts.map((t) => `${t.className}|${t.innerText}|${t.getAttribute('aria-selected')}`));
      throw new Error(`${e.message}: ${JSON.stringify(tabs)}`);
    });
  });

  await check('the failed start shows one notification, with its actions', async () => {
    await until('an error notification', () =>
      [...document.querySelectorAll('.notification-toast')].some((t) => t.querySelector('.codicon-error')));
    await new Promise((resolve) => setTimeout(resolve, 3000)); // time for any others to show
    const errors = await errorToasts();
    if (errors.length !== 1) {
      throw new Error(`${errors.length} error notifications: ${errors.join(' | ')}`);
    }
    for (const text of [process.env.BROKEN_SERVER, 'failed to start', 'Open Settings', 'Show Log', 'Retry']) {
      if (!errors[0].includes(text)) {
        throw new Error(`the notification lacks "${text}": ${errors[0]}`);
      }
    }
  });

  await check('the extension\'s commands work while the notification is open', async () => {
    await page.keyboard.press('F1');
    await until('the command palette', () => document.activeElement === document.querySelector('.quick-input-widget input'));
    await page.keyboard.type('Trove Spec LSP: Show server log');
    await until('the command in the palette', () =>
      [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => r.innerText.includes('Show server log')));
    await page.keyboard.press('Enter');
    await until('the failure in the "Trove Spec LSP" output', (server) =>
      [...document.querySelectorAll('.output-view .view-line, .output .view-line')].some((l) => l.innerText.includes(server)),
      process.env.BROKEN_SERVER);
    if ((await errorToasts()).length !== 1) {
      throw new Error('the notification went away');
    }
  });
}

/** Whether a file under `dir` (the logs) matches `pattern`. */
function findInLogs(dir, pattern) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .some((entry) => entry.isFile() && pattern.test(fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8')));
}

main()
  .catch((error) => {
    failed += 1;
    console.log(`not ok - the test itself: ${error.stack}`);
  })
  .finally(() => {
    console.log(`code-server ${process.env.PHASE}: ${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
  });
