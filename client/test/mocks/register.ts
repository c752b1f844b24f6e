// Loaded with `node --require` before the unit tests: `vscode` and `vscode-languageclient/node`
// resolve to the small fakes beside this file, so the client runs without a VS Code download.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, whose resolver is patched
import Module = require('node:module');
import * as path from 'node:path';

const fakes: Record<string, string> = {
  vscode: path.join(__dirname, 'vscode.js'),
  'vscode-languageclient/node': path.join(__dirname, 'languageclient.js'),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const internals = Module as unknown as { _resolveFilename: Resolve };
const resolve = internals._resolveFilename;
internals._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return fakes[request] ?? resolve.call(this, request, ...rest);
};
