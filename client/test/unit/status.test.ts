// The status item for the active Python file, from the server's shapelens/status: how much of the
// file has shapes, that it does not parse, and the causes of the rest on a click.
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { activate, deactivate } from '../../src/extension';
import { LanguageClient } from '../mocks/languageclient';
import { fake } from '../mocks/vscode';
import { fakePython } from './helpers';

let context: { extensionPath: string; subscriptions: vscode.Disposable[] };

const status = () => fake.statusItems[0];
const MODEL = '/ws/model.py';
const LOST = {
  line: 13,
  character: 12,
  message: '`torch.special.bessel_j0` has no shape rule yet',
  lines: 3,
  names: ['y', 'z', 'w'],
};

function send(fsPath: string, fields: Record<string, unknown>): void {
  LanguageClient.made[0].notify('shapelens/status', {
    uri: vscode.Uri.file(fsPath).toString(),
    version: 1,
    tensorLines: 0,
    withShapes: 0,
    causes: [],
    parseError: null,
    ...fields,
  });
}

describe('the status item of a Python file', () => {
  beforeEach(async () => {
    fake.reset();
    LanguageClient.reset();
    fake.settings['shapelens.interpreter'] = [fakePython('3.11.7')];
    fake.open(MODEL);
    context = { extensionPath: '/ext/shapelens', subscriptions: [] };
    await activate(context as unknown as vscode.ExtensionContext);
  });
  afterEach(async () => {
    await deactivate();
    for (const disposable of context.subscriptions) {
      disposable.dispose();
    }
  });

  it('asks the server for file statuses, and tells it when a pyproject.toml changes', () => {
    const options = LanguageClient.made[0].clientOptions.initializationOptions as Record<string, unknown>;
    assert.equal(options.fileStatus, true);
    assert.deepEqual(fake.watchers, ['**/pyproject.toml']);
    assert.equal((LanguageClient.made[0].clientOptions.synchronize as { fileEvents: { glob: string } }).fileEvents.glob, '**/pyproject.toml');
  });

  it('watches the pyproject.toml files once, whatever the restarts', async () => {
    await vscode.commands.executeCommand('shapelens.restart');
    assert.equal(LanguageClient.made.length, 2);
    assert.deepEqual(fake.watchers, ['**/pyproject.toml']);
  });

  it('says that [tool.shapelens] excludes the file', () => {
    send(MODEL, { excluded: '/ws/pyproject.toml' });
    assert.equal(status().text, 'shapelens: excluded');
    assert.equal(status().detail, 'by [tool.shapelens] exclude in /ws/pyproject.toml');
  });

  it('says how many tensor lines have a shape, and a click lists the causes of the rest', async () => {
    send(MODEL, { tensorLines: 60, withShapes: 42, causes: [LOST] });
    assert.equal(status().text, '$(info) shapelens: shapes for 42 of 60 tensor lines');
    assert.equal(status().detail, '18 without: see why');
    assert.deepEqual(status().command, { title: 'Show causes', command: 'shapelens.showCauses' });

    fake.quickPickChoice = 'line 14: `torch.special.bessel_j0` has no shape rule yet';
    await vscode.commands.executeCommand('shapelens.showCauses');
    const [pick] = fake.quickPicks;
    assert.deepEqual(
      pick.items.map((item) => [item.label, item.detail]),
      [
        ['line 14: `torch.special.bessel_j0` has no shape rule yet', '3 tensor lines without a shape: y, z, w'],
        ['$(output) Show Logs', undefined],
      ],
    );
    assert.match(pick.options.title ?? '', /42 of 60 tensor lines/);
    const editor = fake.activeEditor;
    assert.deepEqual([editor?.selection?.active.line, editor?.selection?.active.character], [13, 12]);
    assert.equal(editor?.revealed.length, 1);
  });

  it('says so when every tensor line has a shape, and then opens the logs on a click', () => {
    send(MODEL, { tensorLines: 12, withShapes: 12 });
    assert.equal(status().text, '$(check) shapelens: shapes for all 12 tensor lines');
    assert.deepEqual(status().command, { title: 'Show Logs', command: 'shapelens.showLogs' });
  });

  it('says why a file has no shape at all', () => {
    const star = { ...LOST, line: 0, character: 0, lines: 0, names: [], message: 'names from `from layers import *` are not followed' };
    send(MODEL, { tensorLines: 1, causes: [star] });
    assert.equal(status().text, '$(info) shapelens: no tensor shapes in this file');
    assert.equal(status().command?.command, 'shapelens.showCauses');
  });

  it('warns that a file does not parse and lists its syntax error first', async () => {
    send(MODEL, { tensorLines: 6, withShapes: 6, parseError: { line: 21, character: 20, message: "SyntaxError: '(' was never closed" } });
    assert.equal(status().text, '$(warning) shapelens: line 22 does not parse');
    assert.equal(status().severity, vscode.LanguageStatusSeverity.Warning);
    assert.equal(status().detail, 'showing the shapes of the last version that did');
    assert.deepEqual(status().command, { title: 'Show the error', command: 'shapelens.showCauses' });
    await vscode.commands.executeCommand('shapelens.showCauses');
    assert.equal(fake.quickPicks[0].items[0].label, '$(warning) line 22 does not parse');
  });

  it('follows the active editor, and shows analysing while its file is', () => {
    send(MODEL, { tensorLines: 60, withShapes: 42 });
    fake.open('/ws/other.py');
    assert.equal(status().text, '$(check) shapelens: ready');
    send('/ws/other.py', { tensorLines: 5, withShapes: 5 });
    assert.equal(status().text, '$(check) shapelens: shapes for all 5 tensor lines');
    fake.open(MODEL);
    assert.equal(status().text, '$(info) shapelens: shapes for 42 of 60 tensor lines');
  });
});
