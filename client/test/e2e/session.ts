// One end-to-end session: the built .vsix installed in a fresh code-server over a workspace of
// files the test writes, its workbench open in headless Chromium; screenshots on request and on
// failure, the logs of code-server and of the extension kept beside them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestContext } from 'node:test';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { CodeServer, isolatedEnv, tools } from './codeServer';
import { until } from './workbench';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const VSIX = path.join(ROOT, 'shapelens.vsix');
export const SHOTS = process.env.SHAPELENS_E2E_SCREENSHOTS ?? path.join(ROOT, 'out', 'e2e');

/** The Python with the test's environment: the server runs on it. */
export const python = execFileSync(process.env.SHAPELENS_E2E_PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)'])
  .toString()
  .trim();

/** VS Code user settings every session starts with (see shared/docs/real-vscode.md). */
export function baseSettings(): Record<string, unknown> {
  return {
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
  };
}

export class Session {
  private constructor(
    readonly root: string,
    readonly folder: string,
    private readonly server: CodeServer,
    private readonly browser: BrowserContext,
    readonly page: Page,
  ) {}

  /**
   * Writes `files` (path relative to the workspace -> text) into a new workspace, starts code-server
   * with the .vsix and `settings`, and opens the workbench; resolves once the extension host is up
   * and `firstFile` is listed in the Explorer.
   */
  static async start(files: Record<string, string>, settings: Record<string, unknown>, firstFile: string): Promise<Session> {
    if (!fs.existsSync(VSIX)) {
      throw new Error(`${VSIX} is not built (npm run vsix)`);
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-e2e-'));
    const folder = path.join(root, 'workspace');
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), text);
    }
    const setup = tools();
    const server = await CodeServer.start(setup, { root, folder, vsix: VSIX, settings });
    const browser = await chromium.launchPersistentContext(path.join(root, 'chromium'), {
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
    const page = browser.pages()[0] ?? (await browser.newPage());
    const session = new Session(root, folder, server, browser, page);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${firstFile}"]`).waitFor({ timeout: 60_000 });
    // Measure as a user of a running VS Code: the extension host (started after the workbench,
    // 15 s later on a busy machine) has activated its first extensions.
    await until('the extension host', async () => session.extensionHostUp(), (up) => up, 120_000);
    return session;
  }

  async shot(name: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 400)); // hovers and pickers fade in
    await this.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  /** Runs a test's steps; on failure, a screenshot and the logs of code-server and of the extension. */
  async evidence(t: TestContext, name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      await this.shot(`failed-${name}`).catch(() => undefined);
      t.diagnostic(`screenshot: ${path.join(SHOTS, `failed-${name}.png`)}`);
      for (const file of this.logs()) {
        t.diagnostic(`--- ${file}\n${fs.readFileSync(file, 'utf8').slice(-4000)}`);
      }
      throw error;
    }
  }

  /** Ends the browser and code-server with all it started; keeps the logs beside the screenshots. */
  async stop(logPrefix = ''): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    for (const file of this.logs()) {
      fs.copyFileSync(file, path.join(SHOTS, `${logPrefix}${path.basename(file)}`));
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  logs(): string[] {
    const found = [path.join(this.root, 'code-server.log')];
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
    const userLogs = path.join(this.root, 'user-data', 'logs');
    if (fs.existsSync(userLogs)) {
      walk(userLogs);
    }
    return found;
  }

  private extensionHostUp(): boolean {
    return this.logs().some((file) => file.endsWith('exthost.log') && fs.readFileSync(file, 'utf8').includes('_doActivateExtension'));
  }
}
