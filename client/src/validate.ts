// "shapelens: Validate on Meta Device": asks the server (workspace/executeCommand
// shapelens.validate) to run the active file's models on PyTorch's meta device once, and shows
// its summary. The server does the work, and says itself why when it refuses or fails.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { VALIDATE_COMMAND } from './server';
import { Session } from './session';
import { isEnabled } from './settings';

/** The server's answer for one document: a summary of the run, or why there was none. */
interface Validation {
  uri?: string;
  summary?: string;
  error?: string;
}

export async function validate(session: Session, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showWarningMessage(
      "shapelens: validation on the meta device runs this file's model code, and this workspace is not trusted. " +
        'Trust the workspace to use it.',
      manage,
    );
    if (choice === manage) {
      await vscode.commands.executeCommand('workbench.trust.manage');
    }
    return;
  }
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== 'python') {
    void vscode.window.showInformationMessage('shapelens: open a Python file to validate its models on the meta device.');
    return;
  }
  const client = session.runningClient();
  if (client === undefined) {
    const why = isEnabled()
      ? 'See "shapelens: Show Logs", or run "shapelens: Restart Server".'
      : '"shapelens.enable" is false.';
    void vscode.window.showWarningMessage(`shapelens: the server is not running, so it cannot validate. ${why}`);
    return;
  }
  const uri = client.code2ProtocolConverter.asUri(document.uri);
  const name = path.basename(document.fileName);
  let answer: unknown;
  try {
    answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'shapelens: validating on the meta device…' },
      () => client.sendRequest(ExecuteCommandRequest.type, { command: VALIDATE_COMMAND, arguments: [uri] }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Validation of ${uri} failed: ${message}`);
    void vscode.window.showErrorMessage(`shapelens: validation of ${name} failed: ${message}`);
    return;
  }
  const results: Validation[] = Array.isArray(answer) ? answer : [];
  const result = results.find((entry) => entry?.uri === uri) ?? results[0];
  if (typeof result?.summary === 'string') {
    log.info(`Validation of ${uri}: ${result.summary}`);
    void vscode.window.showInformationMessage(`shapelens: ${name}: ${result.summary}`);
  } else if (typeof result?.error === 'string') {
    log.warn(`Validation of ${uri}: ${result.error}`); // the server has shown it already
  } else {
    log.warn(`Validation of ${uri}: unexpected answer ${JSON.stringify(answer)}`);
  }
}
