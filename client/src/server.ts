// The LanguageClient for one server process: `<python> bundled/launch.py serve` over stdio.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';
import { settingsForServer } from './settings';
import { Status } from './status';

const CLIENT_ID = 'shapelens';

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
): LanguageClient {
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
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
        status.analysed(document.uri.toString());
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
  return new LanguageClient(CLIENT_ID, 'shapelens', { run: server, debug: server }, options);
}
