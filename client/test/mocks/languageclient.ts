// A fake vscode-languageclient/node: records the clients made, their options and notifications,
// and goes through the states a real one does.
import { EventEmitter } from './vscode';

export enum State {
  Stopped = 1,
  Running = 2,
  Starting = 3,
}

export enum RevealOutputChannelOn {
  Debug = 0,
  Info = 1,
  Warn = 2,
  Error = 3,
  Never = 4,
}

export class ResponseError extends Error {}

export const DidChangeConfigurationNotification = { type: { method: 'workspace/didChangeConfiguration' } };

export class LanguageClient {
  /** Every client made, in order. */
  static made: LanguageClient[] = [];
  /** When set, start() fails with it. */
  static startError: Error | undefined;

  state = State.Stopped;
  disposed = false;
  notifications: { method: string; params: unknown }[] = [];
  private readonly changed = new EventEmitter<{ oldState: State; newState: State }>();
  readonly onDidChangeState = this.changed.event;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly serverOptions: unknown,
    readonly clientOptions: { middleware: Record<string, unknown> } & Record<string, unknown>,
  ) {
    LanguageClient.made.push(this);
  }

  async start(): Promise<void> {
    this.move(State.Starting);
    if (LanguageClient.startError !== undefined) {
      this.move(State.Stopped);
      throw LanguageClient.startError;
    }
    this.move(State.Running);
  }

  isRunning(): boolean {
    return this.state === State.Running;
  }

  async sendNotification(type: { method: string }, params: unknown): Promise<void> {
    this.notifications.push({ method: type.method, params });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.move(State.Stopped);
  }

  /** A server that dies on its own. */
  crash(): void {
    this.move(State.Stopped);
  }

  private move(newState: State): void {
    const oldState = this.state;
    this.state = newState;
    this.changed.fire({ oldState, newState });
  }

  static reset(): void {
    LanguageClient.made = [];
    LanguageClient.startError = undefined;
  }
}
