// VS Code client for trove-spec-lsp: starts the server binary over stdio for
// reStructuredText files, passes the `troveSpecLsp.*` settings to it, and tells the
// user plainly how to fix a missing or failing binary.

import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

import { findServer, startFailureMessage } from './binary';
import { configurationFor, removesSetting, ServerSettings, serverSettings } from './settings';

const SECTION = 'troveSpecLsp';

let client: LanguageClient | undefined;
/** The settings the running server got as initializationOptions. */
let startSettings: ServerSettings = {};
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Trove Spec LSP', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(`${SECTION}.restartServer`, restart),
    vscode.commands.registerCommand(`${SECTION}.showOutput`, () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  let command: string;
  try {
    command = findServer(config.get<string>('path', ''), workspaceRoot());
  } catch (error) {
    await reportStartFailure(error);
    return;
  }
  startSettings = serverSettings(config);
  const run = { command, args: ['serve'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
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
    // A start failure is reported once, below; do not also pop up the client's own.
    initializationFailedHandler: () => false,
  };
  // The id makes the client honour `troveSpecLsp.trace.server`.
  client = new LanguageClient(SECTION, 'Trove Spec LSP', serverOptions, clientOptions);
  try {
    await client.start();
    output?.info(`Started ${command}`);
  } catch (error) {
    const failed = client;
    client = undefined;
    await failed.dispose().catch(() => undefined);
    await reportStartFailure(error, command);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch((error) => output?.error(`Stopping the server: ${error}`));
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
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

/** One error notification that says what went wrong and how to fix it. */
async function reportStartFailure(error: unknown, command?: string): Promise<void> {
  const message = startFailureMessage(error, command);
  output?.error(message);
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Log', 'Retry');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
  } else if (choice === 'Show Log') {
    output?.show(true);
  } else if (choice === 'Retry') {
    await restart();
  }
}
