// "shapelens: Validate on Meta Device" wired up as VS Code would: activate(), then the command on
// the active editor; the fake server answers workspace/executeCommand as shapelens serve does.
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { activate, deactivate } from '../../src/extension';
import { LanguageClient } from '../mocks/languageclient';
import { fake } from '../mocks/vscode';
import { fakePython } from './helpers';

let context: { extensionPath: string; subscriptions: vscode.Disposable[] };

async function activated(): Promise<void> {
  context = { extensionPath: '/ext/shapelens', subscriptions: [] };
  await activate(context as unknown as vscode.ExtensionContext);
}

const validate = () => vscode.commands.executeCommand('shapelens.validate');
const requests = () => LanguageClient.made.flatMap((client) => client.requests);
const log = () => fake.logs[0];

/** The server's answer for each URI asked about. */
function serverAnswers(entry: (uri: string) => Record<string, unknown>): void {
  LanguageClient.answer = (method, params) => {
    assert.equal(method, 'workspace/executeCommand');
    return (params as { arguments: string[] }).arguments.map((uri) => ({ uri, ...entry(uri) }));
  };
}

describe('shapelens: Validate on Meta Device', () => {
  beforeEach(() => {
    fake.reset();
    LanguageClient.reset();
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
  });
  afterEach(async () => {
    await deactivate();
    for (const disposable of context.subscriptions) {
      disposable.dispose();
    }
  });

  it('asks the server to validate the active file, with progress, and shows its summary', async () => {
    serverAnswers(() => ({ summary: '12 hints confirmed, 1 runtime error', confirmed: 12, disagreements: 0, filled: 0, errors: 1 }));
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.deepEqual(requests(), [
      {
        method: 'workspace/executeCommand',
        params: { command: 'shapelens.validate', arguments: ['file:///w/model.py'] },
      },
    ]);
    assert.deepEqual(fake.progress, [
      { location: vscode.ProgressLocation.Notification, title: 'shapelens: validating on the meta device…', done: true },
    ]);
    assert.deepEqual(fake.informations, [{ message: 'shapelens: model.py: 12 hints confirmed, 1 runtime error', items: [] }]);
    assert.deepEqual(fake.warnings, []);
    assert.ok(log().lines.includes('info Validation of file:///w/model.py: 12 hints confirmed, 1 runtime error'));
  });

  it('only logs a refusal or failure, which the server has shown already', async () => {
    serverAnswers(() => ({ error: 'the file has no analysis to validate yet (or does not parse)' }));
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.equal(requests().length, 1);
    assert.deepEqual(fake.informations, []);
    assert.deepEqual(fake.warnings, []);
    assert.deepEqual(fake.errors, []);
    assert.ok(
      log().lines.includes('warn Validation of file:///w/model.py: the file has no analysis to validate yet (or does not parse)'),
    );
  });

  it('never asks the server in an untrusted workspace, and says why', async () => {
    fake.trusted = false;
    serverAnswers(() => assert.fail('no model code runs in an untrusted workspace'));
    await activated();
    assert.deepEqual(LanguageClient.made[0].clientOptions.initializationOptions, { workspaceTrusted: false, fileStatus: true });
    fake.open('/w/model.py');
    await validate();
    assert.deepEqual(requests(), []);
    assert.equal(fake.warnings.length, 1);
    assert.match(fake.warnings[0].message, /runs this file's model code, and this workspace is not trusted/);
    assert.match(fake.warnings[0].message, /Trust the workspace to use it/);
    assert.deepEqual(fake.warnings[0].items, ['Manage Workspace Trust']);
    assert.deepEqual(fake.progress, []);
  });

  it("opens VS Code's workspace trust editor on request", async () => {
    fake.trusted = false;
    fake.warningChoice = 'Manage Workspace Trust';
    let managed = 0;
    vscode.commands.registerCommand('workbench.trust.manage', () => managed++);
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.equal(managed, 1);
    assert.deepEqual(requests(), []);
  });

  it('asks for a Python file when the active editor has none', async () => {
    await activated();
    await validate();
    fake.open('/w/notes.md', 'markdown');
    await validate();
    assert.deepEqual(requests(), []);
    assert.deepEqual(
      fake.informations.map((shown) => shown.message),
      Array(2).fill('shapelens: open a Python file to validate its models on the meta device.'),
    );
  });

  it('says so when the server is not running', async () => {
    LanguageClient.startError = new Error('Server initialization failed.');
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.deepEqual(requests(), []);
    assert.equal(fake.warnings.length, 1);
    assert.match(fake.warnings[0].message, /^shapelens: the server is not running, so it cannot validate\. See "shapelens: Show Logs"/);
  });

  it('says why when shapelens is turned off', async () => {
    fake.settings['shapelens.enable'] = false;
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.deepEqual(requests(), []);
    assert.match(fake.warnings[0].message, /not running, so it cannot validate\. "shapelens\.enable" is false\./);
  });

  it('shows an error when the request fails', async () => {
    LanguageClient.answer = () => Promise.reject(new Error('Connection got disposed.'));
    await activated();
    fake.open('/w/model.py');
    await validate();
    assert.deepEqual(fake.errors, [{ message: 'shapelens: validation of model.py failed: Connection got disposed.', items: [] }]);
    assert.ok(log().lines.includes('error Validation of file:///w/model.py failed: Connection got disposed.'));
    assert.equal(fake.progress[0].done, true);
  });

  it("keeps its own command when the server offers it, and lets the client register the server's others", async () => {
    LanguageClient.serverCommands = ['shapelens.validate', 'shapelens.other'];
    await activated();
    const client = LanguageClient.made[0];
    assert.ok(client.isRunning(), 'a second registration of shapelens.validate would fail the start');
    await vscode.commands.executeCommand('shapelens.other', 'x');
    assert.deepEqual(client.requests, [
      { method: 'workspace/executeCommand', params: { command: 'shapelens.other', arguments: ['x'] } },
    ]);
    await vscode.commands.executeCommand('shapelens.restart');
    assert.ok(LanguageClient.made[1].isRunning(), 'the stopped client released its commands');
  });
});
