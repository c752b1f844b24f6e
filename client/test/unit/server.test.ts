// The LanguageClient's options: what it sends to the server, the status it keeps, and what
// an untrusted workspace may configure.
import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { createClient } from '../../src/server';
import { Status } from '../../src/status';
import { LanguageClient, ResponseError } from '../mocks/languageclient';
import { fake } from '../mocks/vscode';

type Next = (...args: unknown[]) => unknown;
type Hook = (...args: unknown[]) => unknown;

function made() {
  const log = vscode.window.createOutputChannel('shapelens', { log: true });
  const status = new Status();
  const client = createClient('/ext', ['python3'], log, status);
  const middleware = client.clientOptions.middleware as Record<string, Hook> & { workspace: Record<string, Hook> };
  return { client, log, status, item: fake.statusItems[0], middleware };
}

const document = (name: string) => ({ uri: vscode.Uri.file(`/w/${name}`) });

describe('createClient', () => {
  beforeEach(() => {
    fake.reset();
    LanguageClient.reset();
  });

  it('serves Python files and untitled buffers and logs to the one output channel', () => {
    const { client, log } = made();
    assert.deepEqual(client.clientOptions.documentSelector, [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ]);
    assert.equal(client.clientOptions.outputChannel, log);
    assert.equal(client.clientOptions.traceOutputChannel, log);
  });

  it("tells the server at initialize whether the workspace is trusted", () => {
    assert.deepEqual(made().client.clientOptions.initializationOptions, { workspaceTrusted: true, fileStatus: true });
    fake.reset();
    fake.trusted = false;
    assert.deepEqual(made().client.clientOptions.initializationOptions, { workspaceTrusted: false, fileStatus: true });
  });

  it('shows "analysing" from a document sent until its diagnostics come back', async () => {
    const { middleware, status, item } = made();
    status.ready('Python 3.11.7: python3');
    const forwarded: unknown[] = [];
    const next: Next = async (value: unknown) => forwarded.push(value);
    await middleware.didOpen(document('a.py'), next);
    await middleware.didChange({ document: document('b.py') }, next);
    assert.equal(item.text, '$(sync~spin) shapelens: analysing');
    assert.equal(item.busy, true);
    middleware.handleDiagnostics(document('a.py').uri, [], (...args: unknown[]) => forwarded.push(args));
    assert.equal(item.text, '$(sync~spin) shapelens: analysing');
    await middleware.didClose(document('b.py'), next);
    assert.equal(item.text, '$(check) shapelens: ready');
    assert.equal(item.busy, false);
    assert.equal(item.detail, 'Python 3.11.7: python3');
    assert.equal(forwarded.length, 4);
  });

  it('keeps "starting" until the server runs', async () => {
    const { middleware, item } = made();
    await middleware.didOpen(document('a.py'), async () => undefined);
    assert.equal(item.text, '$(loading~spin) shapelens: starting');
  });

  it('passes settings through in a trusted workspace', async () => {
    const { middleware } = made();
    const settings = { enable: true, validation: { metaDevice: true } };
    const result = await middleware.workspace.configuration({ items: [{ section: 'shapelens' }] }, undefined, () => [
      settings,
    ]);
    assert.deepEqual(result, [settings]);
  });

  it('never lets an untrusted workspace run model code on the meta device', async () => {
    fake.trusted = false;
    const { middleware } = made();
    const items = [
      { section: 'shapelens' },
      { section: 'shapelens.validation' },
      { section: 'shapelens.validation.metaDevice' },
      { section: 'python' },
    ];
    const answers = [
      { enable: true, inlayHints: { variables: false }, validation: { metaDevice: true } },
      { metaDevice: true },
      true,
      { analysis: 1 },
    ];
    const result = await middleware.workspace.configuration({ items }, undefined, async () => answers);
    assert.deepEqual(result, [
      { enable: true, inlayHints: { variables: false }, validation: { metaDevice: false } },
      { metaDevice: false },
      false,
      { analysis: 1 },
    ]);
  });

  it('passes an error from the configuration request on', async () => {
    fake.trusted = false;
    const { middleware } = made();
    const error = new ResponseError('no configuration');
    assert.equal(await middleware.workspace.configuration({ items: [] }, undefined, () => error), error);
  });
});
