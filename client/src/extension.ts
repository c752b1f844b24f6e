// shapelens for VS Code: a thin client that starts the shapelens language server (bundled with
// the extension) on a Python >= 3.10 and restarts it when its interpreter, shapelens.enable or
// the workspace's trust changes. Hints, hovers, diagnostics, fixes and validation on the meta
// device all come from the server.
import * as vscode from 'vscode';
import { onActiveEnvironmentChange } from './interpreter';
import { VALIDATE_COMMAND } from './server';
import { Session } from './session';
import { interpreterSetting, RESTART_SETTINGS, SECTION } from './settings';
import { SHOW_CAUSES_COMMAND, showCauses, Status } from './status';
import { validate } from './validate';

let session: Session | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('shapelens', { log: true });
  const status = new Status();
  session = new Session(context.extensionPath, log, status);
  const current = session;
  context.subscriptions.push(
    log,
    status,
    current,
    vscode.commands.registerCommand('shapelens.restart', () => current.restart('"shapelens: Restart Server"')),
    vscode.commands.registerCommand('shapelens.showLogs', () => log.show()),
    vscode.commands.registerCommand(VALIDATE_COMMAND, () => validate(current, log)),
    vscode.commands.registerCommand(SHOW_CAUSES_COMMAND, () => showCauses(status, log)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        current.scheduleRestart('settings changed');
      } else if (event.affectsConfiguration(SECTION)) {
        void current.settingsChanged();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => current.scheduleRestart('the workspace is trusted')),
  );
  try {
    context.subscriptions.push(
      await onActiveEnvironmentChange(() => {
        if (interpreterSetting().length === 0) {
          current.scheduleRestart("the Python extension's interpreter changed");
        }
      }),
    );
  } catch (error) {
    log.warn(`Cannot follow the Python extension's interpreter: ${error instanceof Error ? error.message : String(error)}`);
  }
  await current.start();
}

export function deactivate(): Promise<void> | undefined {
  return session?.stop();
}
