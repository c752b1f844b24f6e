import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { checkedVersion, findInterpreter, InterpreterError, onActiveEnvironmentChange } from '../../src/interpreter';
import { fake } from '../mocks/vscode';
import { brokenPython, fakePython, fakePythonExtension } from './helpers';

describe('findInterpreter', () => {
  beforeEach(() => fake.reset());

  it('uses shapelens.interpreter first, with its arguments and variables expanded', async () => {
    fake.folders = [{ uri: vscode.Uri.file('/work/project') }];
    fake.settings['shapelens.interpreter'] = ['${workspaceFolder}/.venv/bin/python', '-X', 'utf8'];
    fakePythonExtension('/envs/active/bin/python');
    const found = await findInterpreter();
    assert.deepEqual(found.command, ['/work/project/.venv/bin/python', '-X', 'utf8']);
    assert.equal(found.source, 'shapelens.interpreter');
  });

  it('expands ~ and ${userHome}', async () => {
    fake.settings['shapelens.interpreter'] = ['~/py/bin/python', '${userHome}/x'];
    const found = await findInterpreter();
    assert.deepEqual(found.command, [`${os.homedir()}/py/bin/python`, `${os.homedir()}/x`]);
  });

  it("falls back to the Python extension's active environment, activating the extension", async () => {
    const { extension } = fakePythonExtension('/envs/active/bin/python');
    const found = await findInterpreter();
    assert.deepEqual(found.command, ['/envs/active/bin/python']);
    assert.equal(found.source, 'the Python extension');
    assert.equal(extension.isActive, true);
  });

  it('says what to do when there is neither a setting nor the Python extension', async () => {
    await assert.rejects(findInterpreter(), (error: Error) => {
      assert.ok(error instanceof InterpreterError);
      assert.match(error.message, /needs Python >= 3\.10/);
      assert.match(error.message, /"shapelens\.interpreter"/);
      assert.match(error.message, /install the Python extension/);
      return true;
    });
  });

  it('says the same when the Python extension has no interpreter selected', async () => {
    fakePythonExtension(undefined);
    await assert.rejects(findInterpreter(), /set "shapelens\.interpreter"/);
  });

  it('ignores an empty or malformed setting', async () => {
    fake.settings['shapelens.interpreter'] = 'python3';
    fakePythonExtension('/envs/active/bin/python');
    assert.deepEqual((await findInterpreter()).command, ['/envs/active/bin/python']);
  });
});

describe('checkedVersion', () => {
  it('returns the version of a Python >= 3.10', async () => {
    assert.equal(await checkedVersion([fakePython('3.10.0')]), '3.10.0');
    assert.equal(await checkedVersion([fakePython('3.13.2')]), '3.13.2');
  });

  it('works on the real python3 of this machine', async () => {
    assert.match(await checkedVersion(['python3']), /^3\.\d+\.\d+$/);
  });

  it('refuses an older Python, naming it and the way out', async () => {
    const old = fakePython('3.9.18');
    await assert.rejects(checkedVersion([old]), (error: Error) => {
      assert.ok(error instanceof InterpreterError);
      assert.equal(
        error.message,
        `shapelens needs Python >= 3.10, but "${old}" is Python 3.9.18. ` +
          'Choose a newer one in "shapelens.interpreter" or with "Python: Select Interpreter".',
      );
      return true;
    });
    await assert.rejects(checkedVersion([fakePython('2.7.18')]), /is Python 2\.7\.18/);
  });

  it('reports an interpreter that does not run', async () => {
    await assert.rejects(checkedVersion(['/no/such/python']), /cannot run the Python "\/no\/such\/python": .*ENOENT/);
    await assert.rejects(checkedVersion([brokenPython('bad interpreter')]), /cannot run the Python ".*": bad interpreter/);
  });
});

describe('onActiveEnvironmentChange', () => {
  beforeEach(() => fake.reset());

  it('follows the Python extension when it is there', async () => {
    const { select } = fakePythonExtension('/envs/a/bin/python');
    let calls = 0;
    const watching = await onActiveEnvironmentChange(() => calls++);
    select();
    watching.dispose();
    select();
    assert.equal(calls, 1);
  });

  it('does nothing without it', async () => {
    const watching = await onActiveEnvironmentChange(() => assert.fail('no Python extension, no event'));
    watching.dispose();
  });
});
