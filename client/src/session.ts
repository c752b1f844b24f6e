// The server's lifecycle: start, stop, and restarts (serialised, and debounced when a burst of
// setting or trust changes arrives), reflected in the status item and the logs.
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, State } from 'vscode-languageclient/node';
import { checkedVersion, findInterpreter } from './interpreter';
import { createClient } from './server';
import { isEnabled } from './settings';
import { Status } from './status';

/** How long restart requests must stop coming before the server restarts. */
export const RESTART_DEBOUNCE_MS = 500;

export class Session implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** The pyproject.toml files of the workspace, watched once for every server this session starts. */
  private readonly pyprojects = vscode.workspace.createFileSystemWatcher('**/pyproject.toml');

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: Status,
  ) {}

  start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  restart(reason: string): Promise<void> {
    return this.enqueue(async () => {
      this.log.info(`Restarting the server: ${reason}`);
      await this.stopClient();
      await this.startClient();
    });
  }

  /** Restart once the changes have stopped coming for RESTART_DEBOUNCE_MS. */
  scheduleRestart(reason: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.restart(reason);
    }, RESTART_DEBOUNCE_MS);
  }

  /** A setting the server reads changed: it pulls the new values (through the trust filter). */
  async settingsChanged(): Promise<void> {
    const client = this.client;
    if (client?.isRunning()) {
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  }

  /** The server's client while it runs (not while it starts, restarts or after it failed). */
  runningClient(): LanguageClient | undefined {
    return this.client?.isRunning() ? this.client : undefined;
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    return this.enqueue(() => this.stopClient());
  }

  dispose(): void {
    void this.stop();
    this.pyprojects.dispose();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step);
    return this.queue;
  }

  private async startClient(): Promise<void> {
    if (!isEnabled()) {
      this.log.info('"shapelens.enable" is false: the server is not started.');
      this.status.off();
      return;
    }
    this.status.starting();
    try {
      const interpreter = await findInterpreter();
      const version = await checkedVersion(interpreter.command);
      const detail = `Python ${version}: ${interpreter.command.join(' ')}`;
      this.log.info(`${detail} (from ${interpreter.source})`);
      const client = createClient(this.extensionPath, interpreter.command, this.log, this.status, this.pyprojects);
      this.client = client;
      client.onDidChangeState(({ newState }) => this.stateChanged(client, newState, detail));
      await client.start();
    } catch (error) {
      await this.stopClient();
      this.fail(error);
    }
  }

  private stateChanged(client: LanguageClient, state: State, detail: string): void {
    if (client !== this.client) {
      return; // one we stopped ourselves
    }
    if (state === State.Starting) {
      this.status.starting();
    } else if (state === State.Running) {
      this.status.ready(detail);
    } else {
      this.status.failed('The server stopped. See the logs.');
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(message);
    this.status.failed(message);
    void vscode.window.showErrorMessage(message, 'Show Logs').then((choice) => {
      if (choice === 'Show Logs') {
        this.log.show();
      }
    });
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose(2000);
    } catch (error) {
      this.log.warn(`The server did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
