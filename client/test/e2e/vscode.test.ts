// The built .vsix in a real VS Code (code-server 1.139) driven through Debian's Chromium: what
// a user sees on the seed's two examples, from the first hint to the quick fix that clears the
// problem. Screenshots, timings and logs go to out/e2e/ (SHAPELENS_E2E_SCREENSHOTS to change).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, TestContext } from 'node:test';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { CodeServer, isolatedEnv, sleep, tools } from './codeServer';
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

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const VSIX = path.join(ROOT, 'shapelens.vsix');
const SHOTS = process.env.SHAPELENS_E2E_SCREENSHOTS ?? path.join(ROOT, 'out', 'e2e');
const TITLE_ERROR = 'mat1 and mat2 shapes cannot be multiplied (10x1568 and 2048x64)';
const RECONSTRUCTION = 'Autoencoder reconstructs [1, 4, 28, 28] from an input of [1, 3, 28, 28]';

const python = execFileSync(process.env.SHAPELENS_E2E_PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)'])
  .toString()
  .trim();

let root: string;
let server: CodeServer | undefined;
let browser: BrowserContext | undefined;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** On failure: a screenshot and the logs of code-server and of the extension. */
async function evidence(t: TestContext, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await shot(`failed-${name}`).catch(() => undefined);
    t.diagnostic(`screenshot: ${path.join(SHOTS, `failed-${name}.png`)}`);
    for (const file of logs()) {
      t.diagnostic(`--- ${file}\n${fs.readFileSync(file, 'utf8').slice(-4000)}`);
    }
    throw error;
  }
}

function logs(): string[] {
  const found = [path.join(root, 'code-server.log')];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/shapelens|exthost\.log/.test(entry.name)) {
        found.push(full);
      }
    }
  };
  const userLogs = path.join(root, 'user-data', 'logs');
  if (fs.existsSync(userLogs)) {
    walk(userLogs);
  }
  return found;
}

function extensionHostUp(): boolean {
  return logs().some((file) => file.endsWith('exthost.log') && fs.readFileSync(file, 'utf8').includes('_doActivateExtension'));
}

describe('shapelens in VS Code (code-server, Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is built (npm run vsix)`);
    fs.mkdirSync(SHOTS, { recursive: true });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-e2e-'));
    const folder = path.join(root, 'workspace');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(ROOT, 'examples', 'title_error.py'), path.join(folder, 'model.py'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'seed_example1_channels.py'), path.join(folder, 'autoencoder.py'));
    const setup = tools();
    server = await CodeServer.start(setup, {
      root,
      folder,
      vsix: VSIX,
      settings: {
        'shapelens.interpreter': [python],
        'security.workspace.trust.enabled': false,
        'files.hotExit': 'off',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'editor.minimap.enabled': false,
        'editor.hover.delay': 200,
      },
    });
    browser = await chromium.launchPersistentContext(path.join(root, 'chromium'), {
      executablePath: setup.chromium,
      headless: true,
      env: isolatedEnv(root) as Record<string, string>,
      viewport: { width: 1440, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="model.py"]').waitFor({ timeout: 60_000 });
    // Measure as a user of a running VS Code: the extension host (started after the workbench,
    // 15 s later on a busy machine) has activated its first extensions.
    await until('the extension host', async () => extensionHostUp(), (up) => up, 120_000);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (root === undefined) {
      return;
    }
    for (const file of logs()) {
      fs.copyFileSync(file, path.join(SHOTS, path.basename(file)));
    }
    fs.rmSync(root, { recursive: true, force: true });
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
