// The shapelens.* settings the client itself reads. The server reads the rest (inlay hints,
// diagnostics, validation) through workspace/configuration.
import * as os from 'node:os';
import * as vscode from 'vscode';

export const SECTION = 'shapelens';

/** Settings whose change needs a new server process; the server picks up the others live. */
export const RESTART_SETTINGS = ['shapelens.enable', 'shapelens.interpreter'];

export function isEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('enable', true) !== false;
}

/** shapelens.interpreter with ${workspaceFolder}, ${userHome} and a leading ~ expanded; [] when unset. */
export function interpreterSetting(): string[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('interpreter', []);
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter((part): part is string => typeof part === 'string' && part !== '').map(expand);
}

function expand(part: string): string {
  const home = os.homedir();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let out = part.replace(/\$\{userHome\}/g, home).replace(/^~(?=$|[\\/])/, home);
  if (folder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
  }
  return out;
}

/**
 * What the server is told when it asks for a section of the settings. In an untrusted workspace
 * validation on the meta device, which imports and runs the user's model code, is forced off
 * even when the user's own settings turn it on.
 */
export function settingsForServer(section: string | undefined, value: unknown, trusted: boolean): unknown {
  if (trusted) {
    return value;
  }
  if (section === 'shapelens.validation.metaDevice') {
    return false;
  }
  if (section === 'shapelens.validation') {
    return { ...asObject(value), metaDevice: false };
  }
  if (section === SECTION) {
    const settings = asObject(value);
    return { ...settings, validation: { ...asObject(settings.validation), metaDevice: false } };
  }
  return value;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
