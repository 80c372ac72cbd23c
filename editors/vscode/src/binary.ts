// Finding the trove-spec-lsp binary (the `troveSpecLsp.path` setting, else PATH) and
// what to tell the user when it cannot start. No VS Code API here, so the tests drive
// it directly.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BINARY = process.platform === 'win32' ? 'trove-spec-lsp.exe' : 'trove-spec-lsp';

/** The binary could not be found or does not run; the message says which and where. */
export class ServerNotFound extends Error {}

const INSTALL_HINT =
  'Install it with `cargo install --locked --path .` in the trove-spec-lsp repository ' +
  '(or put a release binary on PATH), or set `troveSpecLsp.path` to the binary.';

/** The one notification shown when the server cannot start: what went wrong, and the
 * fix. `command` is the binary that was started, if one was found. */
export function startFailureMessage(error: unknown, command?: string): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ServerNotFound || command === undefined) {
    return `trove-spec-lsp: ${detail} ${INSTALL_HINT}`;
  }
  return (
    `trove-spec-lsp: the server ${command} failed to start (${detail}). ` +
    `Check that it runs (\`${command} --version\`); ${INSTALL_HINT}`
  );
}

/**
 * The command to start: `setting` (with `~` and a relative path resolved against
 * `root`) when set, else the first `trove-spec-lsp` on `searchPath`. Checks that it
 * runs (`--version`) so that a wrong file fails here with a clear reason.
 */
export function findServer(
  setting: string,
  root: string | undefined,
  searchPath: string = process.env.PATH ?? '',
): string {
  const command = setting.trim() ? resolveSetting(setting.trim(), root) : onPath(searchPath);
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) {
    throw new ServerNotFound(`\`${command}\` does not run: ${probe.error.message}.`);
  }
  if (probe.status !== 0) {
    const reason = (probe.stderr || probe.stdout || '').trim().split('\n')[0];
    throw new ServerNotFound(
      `\`${command} --version\` exited with status ${probe.status ?? probe.signal}${reason ? `: ${reason}` : ''}.`,
    );
  }
  return command;
}

function resolveSetting(setting: string, root: string | undefined): string {
  let resolved = setting.replace(/^~(?=$|[\\/])/, os.homedir());
  if (!path.isAbsolute(resolved)) {
    resolved = path.resolve(root ?? process.cwd(), resolved);
  }
  if (!fs.existsSync(resolved)) {
    throw new ServerNotFound(`\`troveSpecLsp.path\` is set to ${resolved}, which does not exist.`);
  }
  return resolved;
}

function onPath(searchPath: string): string {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, BINARY);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // not here; keep looking
    }
  }
  throw new ServerNotFound(`the server binary \`${BINARY}\` is not on PATH and \`troveSpecLsp.path\` is not set.`);
}
