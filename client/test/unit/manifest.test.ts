// package.json is the extension's contract with VS Code: settings, commands, trust, engines.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

const version = (text: string) => text.replace(/^[\^~]/, '').split('.').map(Number);
const notNewer = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] <= b[2])));

describe('package.json', () => {
  it('contributes the settings, each with a description', () => {
    assert.deepEqual(Object.keys(properties).sort(), [
      'shapelens.diagnostics.severity',
      'shapelens.diagnostics.syntaxErrors',
      'shapelens.enable',
      'shapelens.inlayHints.parameters',
      'shapelens.inlayHints.variables',
      'shapelens.interpreter',
      'shapelens.trace.server',
      'shapelens.validation.memoryLimitMB',
      'shapelens.validation.metaDevice',
      'shapelens.validation.timeout',
    ]);
    for (const [name, schema] of Object.entries(properties)) {
      const text = schema.description ?? schema.markdownDescription;
      assert.ok(typeof text === 'string' && text.length > 30, `${name} has a description`);
    }
  });

  it('gives the settings the defaults and types the server and client expect', () => {
    assert.equal(properties['shapelens.enable'].default, true);
    assert.deepEqual(properties['shapelens.interpreter'].default, []);
    assert.equal(properties['shapelens.validation.metaDevice'].default, false);
    assert.deepEqual(properties['shapelens.diagnostics.syntaxErrors'], {
      ...properties['shapelens.diagnostics.syntaxErrors'],
      type: 'boolean',
      default: false,
    });
    assert.deepEqual(properties['shapelens.validation.timeout'], {
      ...properties['shapelens.validation.timeout'],
      type: 'number',
      minimum: 1,
      default: 20,
    });
    assert.deepEqual(properties['shapelens.validation.memoryLimitMB'], {
      ...properties['shapelens.validation.memoryLimitMB'],
      type: 'number',
      minimum: 256,
      default: 4096,
    });
    assert.deepEqual(properties['shapelens.trace.server'].enum, ['off', 'messages', 'verbose']);
    const severity = properties['shapelens.diagnostics.severity'] as { additionalProperties: { enum: string[] } };
    assert.deepEqual(severity.additionalProperties.enum, ['error', 'warning', 'information', 'hint', 'off']);
  });

  it('contributes Restart Server, Show Logs, Validate on Meta Device and Show Why Shapes Are Missing, the last two for Python editors only', () => {
    const commands = manifest.contributes.commands.map((c: { command: string; title: string; category: string }) => [
      c.command,
      c.category,
      c.title,
    ]);
    assert.deepEqual(commands, [
      ['shapelens.restart', 'shapelens', 'Restart Server'],
      ['shapelens.showLogs', 'shapelens', 'Show Logs'],
      ['shapelens.validate', 'shapelens', 'Validate on Meta Device'],
      ['shapelens.showCauses', 'shapelens', 'Show Why Shapes Are Missing'],
    ]);
    assert.deepEqual(manifest.contributes.menus.commandPalette, [
      { command: 'shapelens.validate', when: 'editorLangId == python' },
      { command: 'shapelens.showCauses', when: 'editorLangId == python' },
    ]);
  });

  it('supports untrusted workspaces in part, restricting what runs code', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'shapelens.interpreter',
      'shapelens.validation.metaDevice',
      'shapelens.validation.timeout',
      'shapelens.validation.memoryLimitMB',
    ]);
  });

  it('activates on Python and runs the bundle esbuild writes', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
    assert.equal(manifest.main, './dist/extension.js');
    assert.match(manifest.scripts.build, /--outfile=dist\/extension\.js/);
  });

  it('targets a VS Code no newer than its API types, and pins every dependency for Node 20', () => {
    const engine = version(manifest.engines.vscode);
    assert.ok(notNewer(version(manifest.devDependencies['@types/vscode']), engine));
    assert.ok(notNewer(engine, [1, 139, 1]), 'installs in code-server 4.139.1 (VS Code 1.139.1)');
    for (const [name, pinned] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      assert.match(pinned as string, /^\d+\.\d+\.\d+$/, `${name} is pinned`);
      assert.equal(lock.packages[`node_modules/${name}`].version, pinned, `${name} is locked at ${pinned}`);
    }
  });
});
