// The built shapelens.vsix runs on a bare Python: its launcher and bundled libraries alone, with
// site-packages and PYTHONPATH switched off (-S -E), analyse a file and answer an LSP initialize.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

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
