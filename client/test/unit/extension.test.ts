// The extension wired up as VS Code would: activate() with fake settings, trust and Python
// extension; the fake LanguageClient records each server it is asked to start.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { activate, deactivate } from '../../src/extension';
import { RESTART_DEBOUNCE_MS as DEBOUNCE_MS } from '../../src/session';
import { LanguageClient } from '../mocks/languageclient';
import { fake } from '../mocks/vscode';
import { fakePython, fakePythonExtension, sleep, until } from './helpers';

let context: { extensionPath: string; subscriptions: vscode.Disposable[] };

async function activated(): Promise<void> {
  context = { extensionPath: '/ext/shapelens', subscriptions: [] };
  await activate(context as unknown as vscode.ExtensionContext);
}

const status = () => fake.statusItems[0];
const log = () => fake.logs[0];
const running = () => LanguageClient.made.filter((client) => client.isRunning());

describe('activate', () => {
  beforeEach(() => {
    fake.reset();
    LanguageClient.reset();
  });
  afterEach(async () => {
    await deactivate();
    for (const disposable of context.subscriptions) {
      disposable.dispose();
    }
  });

  it('starts the bundled server with shapelens.interpreter', async () => {
    const python = fakePython('3.11.7');
    fake.settings['shapelens.interpreter'] = [python, '-X', 'utf8'];
    await activated();
    assert.equal(LanguageClient.made.length, 1);
    const client = LanguageClient.made[0];
    assert.equal(client.id, 'shapelens');
    const launch = { command: python, args: ['-X', 'utf8', path.join('/ext/shapelens', 'bundled', 'launch.py'), 'serve'] };
    assert.deepEqual(client.serverOptions, { run: launch, debug: launch });
    assert.ok(client.isRunning());
    assert.equal(status().text, '$(check) shapelens: ready');
    assert.equal(status().detail, `Python 3.11.7: ${python} -X utf8`);
    assert.ok(log().lines.includes(`info Python 3.11.7: ${python} -X utf8 (from shapelens.interpreter)`));
  });

  it("uses the Python extension's interpreter and restarts when it changes", async () => {
    const { select } = fakePythonExtension(fakePython('3.12.1'));
    await activated();
    assert.equal(running().length, 1);
    select();
    await until(() => LanguageClient.made.length === 2 && running().length === 1);
    assert.ok(LanguageClient.made[0].disposed);
  });

  it('ignores a change of the Python extension while shapelens.interpreter is set', async () => {
    const { select } = fakePythonExtension(fakePython('3.12.1'));
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    select();
    await sleep(DEBOUNCE_MS + 100);
    assert.equal(LanguageClient.made.length, 1);
  });

  it('shows a clear error, and the logs on request, when no interpreter is found', async () => {
    fake.errorChoice = 'Show Logs';
    await activated();
    assert.equal(LanguageClient.made.length, 0);
    assert.equal(fake.errors.length, 1);
    assert.match(fake.errors[0].message, /set "shapelens\.interpreter"/);
    assert.deepEqual(fake.errors[0].items, ['Show Logs']);
    assert.equal(status().text, '$(error) shapelens: error');
    assert.equal(status().severity, vscode.LanguageStatusSeverity.Error);
    assert.match(status().detail ?? '', /shapelens needs Python >= 3\.10/);
    await until(() => log().shown === 1);
  });

  it('refuses a Python older than 3.10', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.8.10')];
    await activated();
    assert.equal(LanguageClient.made.length, 0);
    assert.match(fake.errors[0].message, /needs Python >= 3\.10, but ".*" is Python 3\.8\.10/);
  });

  it('reports a server that fails to start and one that dies', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    LanguageClient.startError = new Error('Server initialization failed.');
    await activated();
    assert.equal(status().text, '$(error) shapelens: error');
    assert.equal(status().detail, 'Server initialization failed.');
    assert.ok(LanguageClient.made[0].disposed);

    LanguageClient.startError = undefined;
    await vscode.commands.executeCommand('shapelens.restart');
    assert.equal(status().text, '$(check) shapelens: ready');
    LanguageClient.made[1].crash();
    assert.equal(status().text, '$(error) shapelens: error');
    assert.equal(status().detail, 'The server stopped. See the logs.');
  });

  it('does not start when shapelens.enable is false, and starts when it turns true', async () => {
    fake.settings['shapelens.enable'] = false;
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    assert.equal(LanguageClient.made.length, 0);
    assert.equal(status().text, 'shapelens: off');
    fake.set({ 'shapelens.enable': true });
    await until(() => running().length === 1);
    fake.set({ 'shapelens.enable': false });
    await until(() => running().length === 0);
    assert.equal(status().text, 'shapelens: off');
  });

  it('restarts once for a burst of interpreter changes, and when the workspace becomes trusted', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    const newer = fakePython('3.13.0');
    fake.set({ 'shapelens.interpreter': [newer] });
    await sleep(DEBOUNCE_MS / 5);
    fake.set({ 'shapelens.interpreter': [newer, '-X', 'utf8'] });
    await until(() => LanguageClient.made.length === 2 && running().length === 1, DEBOUNCE_MS * 4);
    await sleep(DEBOUNCE_MS + 100);
    assert.equal(LanguageClient.made.length, 2);
    assert.equal((LanguageClient.made[1].serverOptions as { run: { command: string } }).run.command, newer);

    fake.trustGranted.fire();
    await until(() => LanguageClient.made.length === 3 && running().length === 1, DEBOUNCE_MS * 4);
  });

  it('sends other settings to the running server without a restart', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    fake.set({ 'shapelens.inlayHints.variables': false });
    fake.set({ 'shapelens.diagnostics.severity': { 'reconstruction-shape': 'error' } });
    await sleep(DEBOUNCE_MS + 100);
    assert.equal(LanguageClient.made.length, 1);
    assert.deepEqual(LanguageClient.made[0].notifications, [
      { method: 'workspace/didChangeConfiguration', params: { settings: null } },
      { method: 'workspace/didChangeConfiguration', params: { settings: null } },
    ]);
  });

  it('registers Restart Server and Show Logs, and the status item opens the logs', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    await vscode.commands.executeCommand('shapelens.restart');
    assert.equal(LanguageClient.made.length, 2);
    assert.ok(log().lines.includes('info Restarting the server: "shapelens: Restart Server"'));
    await vscode.commands.executeCommand('shapelens.showLogs');
    assert.equal(log().shown, 1);
    assert.equal(log().name, 'shapelens');
    assert.deepEqual(status().command, { title: 'Show Logs', command: 'shapelens.showLogs' });
    assert.deepEqual(status().selector, { language: 'python' });
  });

  it('stops the server on deactivate', async () => {
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    await activated();
    await deactivate();
    assert.ok(LanguageClient.made[0].disposed);
  });
});
