// The LanguageClient for one server process: `<python> bundled/launch.py serve` over stdio.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';
import { settingsForServer } from './settings';
import { FileStatus, Status } from './status';

const CLIENT_ID = 'shapelens';

/** What the server understood of a file, after each analysis (server/shapelens/lsp/status.py). */
export const STATUS_NOTIFICATION = 'shapelens/status';

/** The server's workspace/executeCommand: run the models of the given documents on the meta device. */
export const VALIDATE_COMMAND = 'shapelens.validate';

/**
 * Server commands that the extension registers itself (package.json, extension.ts), so that they
 * answer also while the server is down or the workspace is untrusted. The client must not register
 * them again from the server's executeCommandProvider: VS Code refuses a second registration, and
 * the client would fail to start.
 */
const OWN_COMMANDS = [VALIDATE_COMMAND];

/** The launcher puts the server and its pinned libraries (bundled/libs) first on sys.path. */
function serverCommand(extensionPath: string, interpreter: string[]): Executable {
  const [command, ...args] = interpreter;
  return { command, args: [...args, path.join(extensionPath, 'bundled', 'launch.py'), 'serve'] };
}

export function createClient(
  extensionPath: string,
  interpreter: string[],
  log: vscode.LogOutputChannel,
  status: Status,
  pyprojects?: vscode.FileSystemWatcher,
): LanguageClient {
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    // The server runs no model code unless the workspace is trusted; a trust grant restarts it.
    // fileStatus: it sends shapelens/status, what it understood of each file, for the status item.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted, fileStatus: true },
    // [tool.shapelens] in pyproject.toml: the server applies an edited one at once.
    synchronize: pyprojects === undefined ? undefined : { fileEvents: pyprojects },
    outputChannel: log,
    traceOutputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // The server publishes diagnostics after each analysis: in between, the document is "analysing".
      didOpen: (document, next) => {
        status.analysing(document.uri.toString());
        return next(document);
      },
      didChange: (event, next) => {
        status.analysing(event.document.uri.toString());
        return next(event);
      },
      didClose: (document, next) => {
        status.closed(document.uri.toString());
        return next(document);
      },
      handleDiagnostics: (uri, diagnostics, next) => {
        status.analysed(uri.toString());
        next(uri, diagnostics);
      },
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (result instanceof ResponseError) {
            return result;
          }
          const trusted = vscode.workspace.isTrusted;
          return result.map((value, i) => settingsForServer(params.items[i]?.section, value, trusted));
        },
      },
    },
  };
  const server = serverCommand(extensionPath, interpreter);
  const client = new LanguageClient(CLIENT_ID, 'shapelens', { run: server, debug: server }, options);
  skipOwnCommands(client);
  client.onNotification(STATUS_NOTIFICATION, (params: FileStatus) => {
    status.fileStatus({ ...params, uri: client.protocol2CodeConverter.asUri(params.uri).toString() });
  });
  return client;
}

/** The client registers a VS Code command for each command the server offers, except OWN_COMMANDS. */
function skipOwnCommands(client: LanguageClient): void {
  const feature = client.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data) => {
    const commands = data.registerOptions.commands.filter((command) => !OWN_COMMANDS.includes(command));
    register({ ...data, registerOptions: { ...data.registerOptions, commands } });
  };
}
