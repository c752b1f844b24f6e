// What the editor shows, in a real VS Code (code-server in Chromium), on the files of
// client/test/e2e/workspace (issue 13): hovers that render code and shapes intact, hints a person
// can read, silence explained (notes that are not problems, why a name has no shape, what the
// status item says and lists), suppression and [tool.shapelens], rule links that open, and one
// syntax error squiggle at most. Screenshots go to out/e2e/ (SHAPELENS_E2E_SCREENSHOTS).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Page } from 'playwright-core';
import { baseSettings, Session } from './session';
import {
  applyQuickFix,
  clickLanguageStatus,
  cursorPosition,
  editorState,
  goToLine,
  hoverText,
  languageStatus,
  openFromExplorer,
  openQuickFixes,
  problems,
  quickOpen,
  quickPickRows,
  settled,
  until,
} from './workbench';

const WORKSPACE = path.resolve(__dirname, '..', '..', '..', '..', 'client', 'test', 'e2e', 'workspace');
const TITLE_ERROR = 'mat1 and mat2 shapes cannot be multiplied (10x1568 and 2048x64)';

function workspaceFiles(dir = WORKSPACE, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) {
      Object.assign(files, workspaceFiles(path.join(dir, entry.name), `${relative}/`));
    } else {
      files[relative] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
    }
  }
  return files;
}

let session: Session | undefined;
let page: Page;
const shot = (name: string) => (session as Session).shot(name);
const evidence: Session['evidence'] = (t, name, run) => (session as Session).evidence(t, name, run);

/** Moves the pointer onto `text` of `line` and returns the visible hover once it matches `expect`. */
async function hoverOn(line: number, text: string, expect: RegExp): Promise<string> {
  return hoverText(page, line, text, expect);
}

describe('what the editor shows (issue 13)', { timeout: 600_000 }, () => {
  before(async () => {
    const settings = { ...baseSettings(), 'shapelens.diagnostics.severity': { 'reconstruction-shape': 'error' } };
    session = await Session.start(workspaceFiles(), settings, 'net.py');
    page = session.page;
  });

  after(async () => {
    await session?.stop('editor-');
  });

  it('point 2: hovers render a rule summary and a requirement with their * intact', async (t) => {
    await evidence(t, 'hover-markdown', async () => {
      await openFromExplorer(page, 'net.py');
      await until('the hints of net.py', () => editorState(page), (s) => (s.lines[15] ?? '').includes('x: [B, 16*(H//2)*(W//2)]'), 120_000);
      const call = await hoverOn(16, 'self.fc', /Linear:/);
      assert.ok(call.includes('Linear: [*, in_features] -> [*, out_features].'), call);
      await shot('point2-hover-rule');
      const input = await hoverOn(13, 'x', /requires/);
      assert.ok(input.includes('(H//2)*(W//2) == 49'), input);
      await shot('point2-hover-requirement');
    });
  });

  it('point 5: a long size is cut to [B, …] with the whole form in the hint tooltip, and no hint says [...]', async (t) => {
    await evidence(t, 'hint-length', async () => {
      const { lines } = await until('the Crop hints', () => editorState(page), (s) => (s.lines[27] ?? '').includes('z: [B, …]'));
      assert.equal(lines[27], '        z: [B, …] = y.flatten(1) - y.flatten(1)[:, :1]');
      assert.ok(Object.values(lines).every((line) => !line.includes('[...]')), JSON.stringify(lines));
      const tooltip = await hoverOn(27, '[B, …]', /64\*\(H\/\/2\)/);
      assert.ok(tooltip.includes('[B, 64*(H//2)*(W//2) - 128*(H//2) - 128*(W//2) + 256]'), tooltip);
      await shot('point5-hint-tooltip');
    });
  });

  it('point 4: lost notes are hints, not problems; a name without a shape says why; the status counts and lists the causes', async (t) => {
    await evidence(t, 'silence', async () => {
      await page.mouse.move(10, 10);
      await openFromExplorer(page, 'lost.py');
      const state = await until('the note on line 14', () => editorState(page), (s) => s.hints.includes(14));
      assert.deepEqual([state.errors, state.warnings, state.infos], [[], [], []]);
      const listed = await problems(page);
      assert.ok(!listed.includes('bessel_j0') && !listed.includes('inference-lost'), listed);
      const why = await hoverOn(15, 'z', /no shape known/);
      assert.ok(why.includes('computed from y'), why);
      assert.ok(why.includes('torch.special.bessel_j0 has no shape rule yet'), why);
      await shot('point4-hover-why');
      await until('the status of lost.py', () => languageStatus(page), (s) => s.includes('shapes for 3 of 6 tensor lines'));
      const status = await clickLanguageStatus(page, 'Show causes');
      assert.match(status, /shapes for 3 of 6 tensor lines/);
      const rows = await quickPickRows(page);
      assert.ok(rows[0].includes('line 14: `torch.special.bessel_j0` has no shape rule yet'), rows.join(' | '));
      assert.ok(rows[0].includes('3 tensor lines without a shape: y, z, w'), rows.join(' | '));
      await shot('point4-causes');
      await page.keyboard.press('Enter');
      await until('the cursor at the cause', () => cursorPosition(page), (at) => at.startsWith('Ln 14, Col 13'));

      await openFromExplorer(page, 'star.py');
      await until('the status of star.py', () => languageStatus(page), (s) => s.includes('no tensor shapes in this file'));
      const note = await hoverOn(1, 'fr', /not followed/); // a hint's dots: its first two characters
      assert.ok(note.includes('`layers` is not a file of the workspace'), note);
      await shot('point4-star-import');
    });
  });

  it('point 10: a syntax error keeps the last shapes and is said by the status item, not by a squiggle', async (t) => {
    await evidence(t, 'syntax-error', async () => {
      await page.mouse.move(10, 10);
      await openFromExplorer(page, 'lost.py');
      await goToLine(page, 22);
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace'); // out = net(torch.randn(4, 16)  <- unclosed
      await until('the status to say so', () => languageStatus(page), (s) => s.includes('line 22 does not parse'));
      const state = await settled(page);
      assert.deepEqual(state.errors, []);
      assert.ok((state.lines[12] ?? '').includes('x: [4, 32] = self.fc(x)'), state.lines[12]);
      assert.ok(!(await problems(page)).includes('SyntaxError'));
      await page.mouse.move(10, 10);
      await page.locator('[id="status.languageStatus"]').hover();
      await page.locator('.workbench-hover').filter({ hasText: 'does not parse' }).first().waitFor();
      await shot('point10-syntax-error');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+z');
      await until('the status to recover', () => languageStatus(page), (s) => s.includes('shapes for 3 of 6 tensor lines'));
    });
  });

  it('point 9: the code of a diagnostic links to its rule page, which opens', async (t) => {
    await evidence(t, 'rule-link', async () => {
      await page.mouse.move(10, 10);
      await openFromExplorer(page, 'model.py');
      await until('the squiggle', () => editorState(page), (s) => s.warnings.includes(17));
      await hoverOn(17, 'self.fc', /mat1 and mat2/);
      const link = page.locator('.monaco-hover:not(.hidden) a').filter({ hasText: 'linear-in-features' }).first();
      await link.waitFor();
      await shot('point9-rule-link');
      await link.click();
      await page.locator('.part.editor .tab.active[aria-label^="linear-in-features.md"]').waitFor({ timeout: 20_000 });
      const page1 = await until('the rule page', () => editorState(page), (s) => (s.lines[1] ?? '').includes('# linear-in-features'));
      assert.equal(page1.lines[3], '## What it does');
      await shot('point9-rule-page');
      await page.keyboard.press('Control+w');
    });
  });

  it('point 8: [tool.shapelens] severities, per-file ignores and excludes, the settings winning, and the ignore quick fix', async (t) => {
    await evidence(t, 'suppression', async () => {
      await page.mouse.move(10, 10);
      await openFromExplorer(page, 'model.py');
      const model = await until('the pyproject severity', () => editorState(page), (s) => s.warnings.includes(17));
      assert.deepEqual(model.errors, []);
      await until('the Problems entry', () => problems(page), (text) => text.includes(TITLE_ERROR));

      await openFromExplorer(page, 'autoencoder.py');
      await goToLine(page, 30);
      await until('the setting over pyproject', () => editorState(page), (s) => s.errors.includes(30));

      await quickOpen(page, 'tests/test_model.py');
      const test = await until('its hints', () => settled(page), (s) => (s.lines[16] ?? '').includes('x: [10, 1568]'));
      assert.deepEqual([test.errors, test.warnings], [[], []]);

      await quickOpen(page, 'legacy/old.py');
      await until('the status', () => languageStatus(page), (s) => s.includes('shapelens: excluded'));
      const old = await settled(page);
      assert.deepEqual([old.errors, old.warnings], [[], []]);
      assert.equal(old.lines[16], '        x = x.view(x.size(0), -1)', 'no hint in an excluded file');
      await shot('point8-excluded');

      await openFromExplorer(page, 'model.py');
      await page.mouse.move(10, 10);
      const titles = await openQuickFixes(page, 17, 'self.fc', 'Ignore linear-in-features on this line');
      assert.ok(titles.some((title) => title.includes('Change in_features to 1568')), titles.join(' | '));
      await shot('point8-ignore-quick-fix');
      await applyQuickFix(page, 'Ignore linear-in-features on this line');
      const fixed = await until(
        'the comment and no squiggle',
        () => settled(page),
        (s) => (s.lines[17] ?? '').includes('# shapelens: ignore[linear-in-features]') && s.warnings.length === 0,
      );
      assert.match(fixed.lines[17], /x = self\.fc\(x\) {2}# shapelens: ignore\[linear-in-features\]/);
      await until('Problems to drop it', () => problems(page), (text) => !text.includes(TITLE_ERROR));
      await shot('point8-ignored');
    });
  });
});
