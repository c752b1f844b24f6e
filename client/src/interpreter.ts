// Which Python runs the server: shapelens.interpreter, else the Python extension's active
// environment; and whether it is new enough.
import { execFile } from 'node:child_process';
import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import { interpreterSetting } from './settings';

export const MIN_PYTHON = [3, 10] as const;

/** A problem the user can fix by choosing another interpreter: shown as is. */
export class InterpreterError extends Error {}

export interface Interpreter {
  /** The executable and its arguments. */
  command: string[];
  /** Where it came from, for the logs. */
  source: string;
}

export async function findInterpreter(): Promise<Interpreter> {
  const configured = interpreterSetting();
  if (configured.length > 0) {
    return { command: configured, source: 'shapelens.interpreter' };
  }
  const active = await activeEnvironment();
  if (active !== undefined) {
    return { command: [active], source: 'the Python extension' };
  }
  throw new InterpreterError(
    'shapelens needs Python >= 3.10 to run its server: set "shapelens.interpreter" (e.g. ["/usr/bin/python3"]) ' +
      'or install the Python extension and select an interpreter, then run "shapelens: Restart Server".',
  );
}

async function activeEnvironment(): Promise<string | undefined> {
  if (vscode.extensions.getExtension(PVSC_EXTENSION_ID) === undefined) {
    return undefined;
  }
  const api = await PythonExtension.api();
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
  return environment?.executable.uri?.fsPath;
}

/** Calls listener when the Python extension's active environment changes; nothing without that extension. */
export async function onActiveEnvironmentChange(listener: () => void): Promise<vscode.Disposable> {
  if (vscode.extensions.getExtension(PVSC_EXTENSION_ID) === undefined) {
    return new vscode.Disposable(() => undefined);
  }
  const api = await PythonExtension.api();
  return api.environments.onDidChangeActiveEnvironmentPath(() => listener());
}

// %-formatting, so that a Python 2 answers too and gets the clear message below.
const VERSION_SCRIPT = 'import sys; print("%d.%d.%d" % tuple(sys.version_info[:3]))';

/** Runs the interpreter once and returns its version, e.g. "3.11.7"; rejects when it is older than 3.10. */
export function checkedVersion(command: string[]): Promise<string> {
  const [executable, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(executable, [...args, '-c', VERSION_SCRIPT], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.trim() || error.message;
        reject(new InterpreterError(`shapelens cannot run the Python "${command.join(' ')}": ${why}`));
        return;
      }
      const version = stdout.trim();
      const [major, minor] = version.split('.').map(Number);
      if (!(major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]))) {
        reject(
          new InterpreterError(
            `shapelens needs Python >= ${MIN_PYTHON.join('.')}, but "${command.join(' ')}" is Python ${version}. ` +
              'Choose a newer one in "shapelens.interpreter" or with "Python: Select Interpreter".',
          ),
        );
        return;
      }
      resolve(version);
    });
  });
}
