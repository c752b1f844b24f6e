// Shared by the unit tests: fake Pythons (tiny shell scripts) and a fake Python extension.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fake, EventEmitter } from '../mocks/vscode';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-unit-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** An executable that answers like a Python of that version to the client's version check. */
export function fakePython(version: string): string {
  return script(`python-${version}`, `echo ${version}`);
}

/** An executable that fails with a message on stderr. */
export function brokenPython(message: string): string {
  return script('python-broken', `echo '${message}' >&2; exit 1`);
}

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Installs a fake ms-python.python whose active environment is `executable`. */
export function fakePythonExtension(executable: string | undefined) {
  const changed = new EventEmitter<unknown>();
  const api = {
    environments: {
      getActiveEnvironmentPath: () => ({ id: 'active', path: executable ?? '/envs/none' }),
      resolveEnvironment: async (environment: { path: string }) => ({
        path: environment.path,
        executable: { uri: executable === undefined ? undefined : vscode.Uri.file(executable) },
      }),
      onDidChangeActiveEnvironmentPath: changed.event,
    },
  };
  const extension = {
    isActive: false,
    exports: api,
    activate: async () => {
      extension.isActive = true;
      return api;
    },
  };
  fake.installed.set('ms-python.python', extension);
  return { extension, select: () => changed.fire({ id: 'other', path: '/other' }) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until check() holds, or fails after `ms`. */
export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${check.toString()}`);
    }
    await sleep(5);
  }
}
