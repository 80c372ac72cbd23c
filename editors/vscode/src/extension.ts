// VS Code client for trove-spec-lsp: starts the server binary over stdio for
// reStructuredText files, passes the `troveSpecLsp.*` settings to it, and tells the
// user plainly, in one notification, how to fix a missing or failing binary.

import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { bundledServer, findServer, ServerNotFound, startFailureMessage } from './binary';
import { configurationFor, removesSetting, ServerSettings, serverSettings } from './settings';

const SECTION = 'troveSpecLsp';
/** A server that stops more often than this within RESTART_WINDOW ms is not restarted. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW = 3 * 60_000;

/**
 * vscode-languageclient pops up notifications of its own when the connection fails,
 * initialization fails or the server stops (four for one failed start). Here they all go
 * to the log only; the extension shows one notification of its own, with its actions.
 */
class Client extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

let client: Client | undefined;
/** The settings the running server got as initializationOptions. */
let startSettings: ServerSettings = {};
let output: vscode.LogOutputChannel;
let trace: vscode.LogOutputChannel;
let extensionPath = '';
/** Starts and stops run one after another, in the order asked for. */
let queue: Promise<void> = Promise.resolve();
/** Whether the start-failure notification is on screen (there is only ever one). */
let notifying = false;

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel('Trove Spec LSP', { log: true });
  trace = vscode.window.createOutputChannel('Trove Spec LSP Trace', { log: true });
  extensionPath = context.extensionPath;
  context.subscriptions.push(
    output,
    trace,
    vscode.commands.registerCommand(`${SECTION}.restartServer`, restart),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  // Not awaited: activation ends at once, so the commands work even while a start
  // failure's notification waits for the user.
  void enqueue(start);
}

export async function deactivate(): Promise<void> {
  await enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
  queue = queue.then(step, step);
  return queue;
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  let command: string;
  try {
    command = findServer(config.get<string>('path', ''), workspaceRoot(), process.env.PATH ?? '', bundledServer(extensionPath));
  } catch (error) {
    reportStartFailure(error);
    return;
  }
  startSettings = serverSettings(config);
  // vscode-languageclient appends `--stdio` for this transport; the server accepts it.
  const run = { command, args: ['serve'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  let running = false;
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'restructuredtext' }],
    initializationOptions: startSettings,
    middleware: {
      workspace: {
        // The server asks for section `trove-spec-lsp`: answer with the same settings
        // as the initializationOptions; VS Code answers other sections itself.
        configuration: async (params, token, next) => {
          const ours = configurationFor(params.items, vscode.workspace.getConfiguration(SECTION));
          const theirs = ours.some((answer) => answer === undefined) ? await next(params, token) : [];
          return Array.isArray(theirs) ? ours.map((answer, i) => answer ?? theirs[i] ?? null) : theirs;
        },
      },
    },
    outputChannel: output,
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // A failed start is reported once, below.
    initializationFailedHandler: () => false,
    errorHandler: {
      error: (_error, _message, count): ErrorHandlerResult => ({
        action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: true,
      }),
      closed: (): CloseHandlerResult => {
        if (!running) {
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && restarts[0] < now - RESTART_WINDOW) {
          restarts.shift();
        }
        if (restarts.length <= MAX_RESTARTS) {
          output.warn(`The server ${command} stopped; restarting it.`);
          return { action: CloseAction.Restart, handled: true };
        }
        reportStartFailure(new Error(`it stopped ${restarts.length} times in 3 minutes`), command);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  // The id makes the client honour `troveSpecLsp.trace.server`.
  const starting = new Client(SECTION, 'Trove Spec LSP', serverOptions, clientOptions);
  client = starting;
  try {
    await starting.start();
    running = true;
    output.info(`Started ${command}`);
  } catch (error) {
    client = undefined;
    await starting.dispose().catch(() => undefined);
    reportStartFailure(error, command);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch((error) => output.error(`Stopping the server: ${error}`));
  }
}

function restart(): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start();
  });
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration(SECTION)) {
    return;
  }
  const settings = serverSettings(vscode.workspace.getConfiguration(SECTION));
  if (event.affectsConfiguration(`${SECTION}.path`) || removesSetting(startSettings, settings)) {
    await restart();
  } else if (client?.isRunning()) {
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The one error notification that says what went wrong and how to fix it, with its
 * actions. Not awaited by anyone: it stays open while everything else goes on. */
function reportStartFailure(error: unknown, command?: string): void {
  const message = startFailureMessage(error, command);
  output.error(message);
  if (notifying) {
    return;
  }
  notifying = true;
  const pick = error instanceof ServerNotFound && error.missing ? ['Select Binary…'] : [];
  void vscode.window.showErrorMessage(message, ...pick, 'Open Settings', 'Show Log', 'Retry').then(async (choice) => {
    notifying = false;
    if (choice === 'Select Binary…') {
      await selectBinary();
    } else if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    } else if (choice === 'Show Log') {
      output.show(true);
    } else if (choice === 'Retry') {
      await restart();
    }
  });
}

/** Lets the user pick the binary and stores it in the user's `troveSpecLsp.path`
 * (which restarts the server). */
async function selectBinary(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use as trove-spec-lsp',
    title: 'The trove-spec-lsp binary',
  });
  if (picked?.[0]) {
    await vscode.workspace
      .getConfiguration(SECTION)
      .update('path', picked[0].fsPath, vscode.ConfigurationTarget.Global);
  }
}
