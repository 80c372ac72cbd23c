// Finding the trove-spec-lsp binary (the `troveSpecLsp.path` setting, else PATH, else
// the binary a platform package bundles in `server/`) and what to tell the user when it
// cannot start. No VS Code API here, so the tests drive it directly.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BINARY = process.platform === 'win32' ? 'trove-spec-lsp.exe' : 'trove-spec-lsp';

/** The binary could not be found or does not run; the message says which and where. */
export class ServerNotFound extends Error {
  /** True when nothing was found at all (no setting, not on PATH, nothing bundled):
   * then the user is offered to pick the binary. */
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

const INSTALL_HINT =
  'Install it with `cargo install --locked --path .` in the trove-spec-lsp repository (or ' +
  '`pip install` its wheel), or set `troveSpecLsp.path` to the binary.';

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

/** The binary a platform package carries: `server/trove-spec-lsp` in the extension. */
export function bundledServer(extensionPath: string): string {
  return path.join(extensionPath, 'server', BINARY);
}

/**
 * The command to start: `setting` (with `~` and a relative path resolved against
 * `root`) when set, else the first `trove-spec-lsp` on `searchPath`, else `bundled`
 * (the binary of a platform package) if it exists. Checks that it runs (`--version`)
 * so that a wrong file fails here with a clear reason.
 */
export function findServer(
  setting: string,
  root: string | undefined,
  searchPath: string = process.env.PATH ?? '',
  bundled?: string,
): string {
  const command = setting.trim()
    ? resolveSetting(setting.trim(), root)
    : (onPath(searchPath) ?? existing(bundled) ?? notFound(searchPath, bundled));
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

function onPath(searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const candidate = dir ? existing(path.join(dir, BINARY)) : undefined;
    if (candidate) {
      return candidate;
    }
  }
  return undefined;
}

/** `file` if it is an executable file. */
function existing(file: string | undefined): string | undefined {
  try {
    if (file && fs.statSync(file).isFile()) {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    }
  } catch {
    // not there, or not executable
  }
  return undefined;
}

/** Nothing found: say every place that was searched. The editor takes PATH from the
 * login shell, not from the terminal it was started from, which is a common surprise. */
function notFound(searchPath: string, bundled: string | undefined): never {
  const dirs = searchPath.split(path.delimiter).filter((dir) => dir);
  const looked = dirs.length > 0 ? dirs.join(', ') : '(PATH is empty)';
  const noBundle = bundled ? ` This package bundles no binary (no ${bundled}).` : '';
  throw new ServerNotFound(
    `the server binary \`${BINARY}\` was not found: \`troveSpecLsp.path\` is not set and it is ` +
      `on none of the PATH directories the editor sees: ${looked}. (The editor takes PATH ` +
      `from your login shell, not from the terminal it was started from.)${noBundle}`,
    true,
  );
}
