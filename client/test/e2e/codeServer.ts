// code-server (VS Code 1.139 in the browser) on 127.0.0.1, in its own process group, with its
// own HOME: the set-up comes from scripts/e2e_setup.sh (cached under ~/.cache/shapelens-e2e).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface Tools {
  node: string;
  codeServer: string;
  chromium: string;
}

/** The paths scripts/e2e_setup.sh exports. */
export function tools(): Tools {
  const names = { node: 'SHAPELENS_E2E_NODE', codeServer: 'SHAPELENS_E2E_CODE_SERVER', chromium: 'SHAPELENS_E2E_CHROMIUM' };
  const missing = Object.values(names).filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} not set: run bash scripts/test_client.sh, or eval "$(bash scripts/e2e_setup.sh)" first`);
  }
  return {
    node: process.env[names.node] as string,
    codeServer: process.env[names.codeServer] as string,
    chromium: process.env[names.chromium] as string,
  };
}

/** HOME and XDG folders inside `root`: code-server and Chromium write there, not into ~. */
export function isolatedEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: path.join(root, 'home') };
  for (const [name, dir] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_RUNTIME_DIR', 'runtime'],
  ]) {
    env[name] = path.join(root, 'home', dir);
    fs.mkdirSync(env[name] as string, { recursive: true, mode: 0o700 });
  }
  return env;
}

export class CodeServer {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  static async start(
    tools: Tools,
    options: { root: string; vsix: string; settings: Record<string, unknown>; folder: string },
  ): Promise<CodeServer> {
    const env = isolatedEnv(options.root);
    const userData = path.join(options.root, 'user-data');
    const extensions = path.join(options.root, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
    const entry = path.join(tools.codeServer, 'out', 'node', 'entry.js');
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    execFileSync(tools.node, [entry, ...common, '--install-extension', options.vsix], { env, stdio: 'pipe' });

    const port = await freePort();
    const config = path.join(options.root, 'config.yaml');
    fs.writeFileSync(config, 'auth: none\ncert: false\n');
    const logFile = path.join(options.root, 'code-server.log');
    const log = fs.openSync(logFile, 'w');
    const child = spawn(
      tools.node,
      [
        entry,
        ...common,
        '--config', config,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--reconnection-grace-time', '5',
        options.folder,
      ],
      { env, detached: true, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    const server = new CodeServer(child, `http://127.0.0.1:${port}`, logFile);
    await server.healthy(60_000);
    return server;
  }

  /** Ends code-server with everything it started (extension host, the Python server). */
  async stop(): Promise<void> {
    const group = -(this.process.pid as number);
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(group, signal);
      } catch {
        return; // the group is gone
      }
      if (await Promise.race([exited.then(() => true), sleep(3000).then(() => false)])) {
        break;
      }
    }
    try {
      process.kill(group, 'SIGKILL'); // children that outlived code-server itself
    } catch {
      // none left
    }
  }

  private async healthy(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (this.process.exitCode !== null) {
        throw new Error(`code-server exited with ${this.process.exitCode}:\n${fs.readFileSync(this.logFile, 'utf8')}`);
      }
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`code-server did not answer in ${ms} ms:\n${fs.readFileSync(this.logFile, 'utf8')}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
