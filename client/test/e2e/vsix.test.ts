// The built shapelens.vsix runs on a bare Python: its launcher and bundled libraries alone, with
// site-packages and PYTHONPATH switched off (-S -E), analyse a file and answer an LSP initialize.
import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as url from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const VSIX = path.join(ROOT, 'shapelens.vsix');
const PYTHON = process.env.SHAPELENS_E2E_PYTHON ?? 'python3';
const BARE = ['-S', '-E'];

describe('shapelens.vsix', () => {
  let unpacked: string;
  let launcher: string;

  before(() => {
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-vsix-'));
    execFileSync(PYTHON, ['-m', 'zipfile', '-e', VSIX, unpacked]);
    launcher = path.join(unpacked, 'extension', 'bundled', 'launch.py');
  });

  after(() => fs.rmSync(unpacked, { recursive: true, force: true }));

  it('analyses the Linear(32*8*8, 64) example with nothing but what it carries', () => {
    const example = path.join(ROOT, 'examples', 'title_error.py');
    const run = spawnSync(PYTHON, [...BARE, launcher, 'check', '--json', example], { encoding: 'utf8' });
    assert.equal(run.status, 1, `exit 1: an error was found\n${run.stderr}`);
    const [file] = JSON.parse(run.stdout).files;
    assert.deepEqual(
      file.diagnostics.map((d: { code: string; fixes: { title: string }[] }) => [d.code, d.fixes[0].title]),
      [['linear-in-features', 'Change in_features to 1568']],
    );
  });

  it('links each diagnostic code to its rule page, shipped inside the .vsix', async () => {
    const example = path.join(ROOT, 'examples', 'title_error.py');
    const server = new BareServer(launcher);
    try {
      await server.request('initialize', { processId: null, rootUri: null, capabilities: {} });
      server.notify('initialized', {});
      const uri = url.pathToFileURL(example).href;
      server.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(example, 'utf8') },
      });
      const published = await server.notification('textDocument/publishDiagnostics');
      const [diagnostic] = (published as { diagnostics: { code: string; codeDescription: { href: string } }[] }).diagnostics;
      assert.equal(diagnostic.code, 'linear-in-features');
      const page = url.fileURLToPath(diagnostic.codeDescription.href);
      assert.ok(page.startsWith(path.join(unpacked, 'extension') + path.sep), `${page} is inside the installed extension`);
      assert.match(fs.readFileSync(page, 'utf8'), /^# linear-in-features\n\n## What it does/);
    } finally {
      await server.stop();
    }
    const shipped = fs.readdirSync(path.join(unpacked, 'extension', 'bundled', 'libs', 'shapelens', 'docs', 'rules'));
    assert.deepEqual(shipped.sort(), fs.readdirSync(path.join(ROOT, 'docs', 'rules')).sort(), 'every rule page is shipped');
  });

  it('serves LSP with nothing but what it carries', async () => {
    const server = spawn(PYTHON, [...BARE, launcher, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => (stderr += chunk));
    const send = (message: object) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
      server.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    };
    const answer = new Promise<{ id: number; result: { serverInfo: { name: string } } }>((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      server.stdout.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        const header = /^Content-Length: (\d+)\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(buffer.toString('latin1'));
        if (header && buffer.length >= header[0].length + Number(header[1])) {
          resolve(JSON.parse(buffer.subarray(header[0].length, header[0].length + Number(header[1])).toString()));
        }
      });
      server.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
    });
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const response = await answer;
    assert.equal(response.id, 1);
    assert.equal(response.result.serverInfo.name, 'shapelens');
    send({ id: 2, method: 'shutdown' });
    send({ method: 'exit' });
    const code = await new Promise((resolve) => server.on('exit', resolve));
    assert.equal(code, 0, stderr);
  });
});

/** The bundled server on a bare Python, spoken to over stdio: requests, notifications, and what it sends. */
class BareServer {
  private readonly process: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private stderr = '';
  private nextId = 1;
  private readonly received: { id?: number; method?: string; params?: unknown; result?: unknown }[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(launcher: string) {
    this.process = spawn(PYTHON, [...BARE, launcher, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.process.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const header = /^Content-Length: (\d+)\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(this.buffer.toString('latin1'));
        if (!header || this.buffer.length < header[0].length + Number(header[1])) {
          break;
        }
        const end = header[0].length + Number(header[1]);
        const message = JSON.parse(this.buffer.subarray(header[0].length, end).toString());
        this.buffer = this.buffer.subarray(end);
        if (message.id !== undefined && message.method !== undefined) {
          this.send({ id: message.id, result: null }); // the server's own requests: configuration, progress
        } else {
          this.received.push(message);
        }
        this.waiters.splice(0).forEach((wake) => wake());
      }
    });
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  async request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return (await this.next((m) => m.id === id)).result;
  }

  async notification(method: string): Promise<unknown> {
    return (await this.next((m) => m.method === method)).params;
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    await new Promise((resolve) => this.process.on('exit', resolve));
  }

  private async next(match: (message: { id?: number; method?: string }) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = this.received.find(match);
      if (found !== undefined) {
        return found;
      }
      if (Date.now() > deadline || this.process.exitCode !== null) {
        throw new Error(`no answer from the bundled server:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}
