// The built .vsix in a real VS Code (code-server 1.139) driven through Debian's Chromium: what
// a user sees on the seed's two examples, from the first hint to the quick fix that clears the
// problem. Screenshots, timings and logs go to out/e2e/ (SHAPELENS_E2E_SCREENSHOTS to change).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Page } from 'playwright-core';
import { sleep } from './codeServer';
import { baseSettings, ROOT, Session, SHOTS } from './session';
import {
  applyQuickFix,
  editorState,
  goToLine,
  hoverText,
  openFromExplorer,
  openQuickFixes,
  problems,
  settled,
  until,
} from './workbench';

const TITLE_ERROR = 'mat1 and mat2 shapes cannot be multiplied (10x1568 and 2048x64)';
const RECONSTRUCTION = 'Autoencoder reconstructs [1, 4, 28, 28] from an input of [1, 3, 28, 28]';

let session: Session | undefined;
let page: Page;
const shot = (name: string) => (session as Session).shot(name);
const evidence: Session['evidence'] = (t, name, run) => (session as Session).evidence(t, name, run);

describe('shapelens in VS Code (code-server, Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    const read = (name: string) => fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
    session = await Session.start(
      { 'model.py': read('title_error.py'), 'autoencoder.py': read('seed_example1_channels.py') },
      baseSettings(),
      'model.py',
    );
    page = session.page;
  });

  after(async () => {
    await session?.stop();
  });

  it('shows the shapes of the Linear(32*8*8, 64) example as inlay hints on their lines', async (t) => {
    await evidence(t, 'hints', async () => {
      const opened = Date.now();
      await openFromExplorer(page, 'model.py');
      await until('the first shape hint', () => editorState(page), (s) => (s.lines[13] ?? '').includes('x: [10, 1, 28, 28]'), 120_000);
      const firstHint = Date.now() - opened;
      t.diagnostic(`first hint ${(firstHint / 1000).toFixed(1)} s after opening model.py (extension activation and server start included)`);
      const timings = { openedAt: new Date(opened).toISOString(), firstHintMs: firstHint };
      fs.writeFileSync(path.join(SHOTS, 'timings.json'), JSON.stringify(timings, null, 2));
      const { lines } = await until(
        'every hint',
        () => editorState(page),
        (s) => (s.lines[22] ?? '').includes('images: [10, 1, 28, 28]'),
      );
      assert.match(lines[13], /def forward\(self, x: \[10, 1, 28, 28\]\):/);
      assert.match(lines[14], /x: \[10, 16, 14, 14\] = self\.pool/);
      assert.match(lines[15], /x: \[10, 32, 7, 7\] = self\.pool/);
      assert.match(lines[16], /x: \[10, 1568\] = x\.view/);
      assert.match(lines[22], /images: \[10, 1, 28, 28\] = torch\.randn/);
      assert.equal(lines[17], '        x = self.fc(x)', 'no shape after the failing Linear');
    });
  });

  it('underlines the failing Linear call in red and lists it in Problems', async (t) => {
    await evidence(t, 'problems', async () => {
      const state = await until('a red squiggle', () => editorState(page), (s) => s.errors.length > 0);
      assert.deepEqual(state.errors, [17]);
      assert.deepEqual(state.warnings, []);
      const listed = await until('the Problems entry', () => problems(page), (text) => text.includes(TITLE_ERROR));
      assert.match(listed, /linear-in-features/);
      await shot('model-problems');
    });
  });

  it('explains shapes on hover: a name, and the failing call with its diagnostic', async (t) => {
    await evidence(t, 'hover', async () => {
      const name = await hoverText(page, 16, 'x', /x: \[10, 1568\]/);
      assert.match(name, /x: \[10, 1568\]/);
      const call = await hoverText(page, 17, 'self.fc', /mat1 and mat2/);
      assert.ok(call.includes(TITLE_ERROR), call);
      await shot('model-hover');
    });
  });

  it('offers "Change in_features to 1568" on Ctrl+. and the edit clears the error', async (t) => {
    await evidence(t, 'quick-fix', async () => {
      await page.mouse.move(10, 10);
      const titles = await openQuickFixes(page, 17, 'self.fc', 'Change in_features to 1568');
      assert.ok(titles.some((title) => title.includes('Change in_features to 1568')), titles.join(' | '));
      await shot('model-quick-fix');
      await applyQuickFix(page, 'Change in_features to 1568');
      await until('the edit', () => editorState(page), (s) => (s.lines[11] ?? '').includes('nn.Linear(1568, 64)'));
      const after = await until(
        'the error to go and the new shape to show',
        () => settled(page),
        (s) => s.errors.length === 0 && (s.lines[17] ?? '').includes('x: [10, 64] = self.fc(x)'),
      );
      assert.equal(after.lines[11], '        self.fc = nn.Linear(1568, 64)');
      await until('Problems to empty', () => problems(page), (text) => !text.includes(TITLE_ERROR));
      await shot('model-fixed');
    });
  });

  it('flags Example 1: a 4-channel reconstruction of a 3-channel input, fixed by "Change out_channels to 3"', async (t) => {
    await evidence(t, 'example-1', async () => {
      const opened = Date.now();
      await openFromExplorer(page, 'autoencoder.py');
      await goToLine(page, 30);
      await until('the hints of autoencoder.py', () => editorState(page), (s) => (s.lines[30] ?? '').includes('output: [1, 4, 28, 28]'));
      t.diagnostic(`first hint ${((Date.now() - opened) / 1000).toFixed(1)} s after opening autoencoder.py (server running)`);
      const state = await until('a yellow squiggle', () => editorState(page), (s) => s.warnings.length > 0);
      assert.deepEqual(state.warnings, [30]);
      assert.match(state.lines[27], /input_image: \[1, 3, 28, 28\] = torch\.randn/);
      await until('the Problems entry', () => problems(page), (text) => text.includes(RECONSTRUCTION));
      const hover = await hoverText(page, 30, 'model(input_image)', /reconstructs/);
      assert.ok(hover.includes(RECONSTRUCTION), hover);
      await shot('autoencoder-warning');
      await page.mouse.move(10, 10);
      await openQuickFixes(page, 30, 'model(input_image)', 'Change out_channels to 3');
      await applyQuickFix(page, 'Change out_channels to 3');
      await until('the edit', () => editorState(page), (s) => (s.lines[17] ?? '').includes('nn.ConvTranspose2d(16, 3, 3, padding=1)'));
      await until(
        'the warning to go and the new shape to show',
        () => settled(page),
        (s) => s.warnings.length === 0 && (s.lines[30] ?? '').includes('output: [1, 3, 28, 28]'),
      );
      await until('Problems to empty', () => problems(page), (text) => !text.includes(RECONSTRUCTION));
      await sleep(500);
      await shot('autoencoder-fixed');
    });
  });
});
