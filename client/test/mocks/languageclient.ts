// A fake vscode-languageclient/node: records the clients made, their options, notifications and
// requests, goes through the states a real one does, and registers the server's commands in VS Code.
import { commands, Disposable, EventEmitter, Uri } from './vscode';

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

export const ExecuteCommandRequest = { method: 'workspace/executeCommand', type: { method: 'workspace/executeCommand' } };

interface CommandRegistration {
  id: string;
  registerOptions: { commands: string[] };
}

/** As the real ExecuteCommandFeature: a VS Code command for each command the server offers. */
class ExecuteCommandFeature {
  private registered: Disposable[] = [];

  constructor(private readonly client: LanguageClient) {}

  register(data: CommandRegistration): void {
    for (const command of data.registerOptions.commands) {
      this.registered.push(
        commands.registerCommand(command, (...args: unknown[]) =>
          this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }),
        ),
      );
    }
  }

  clear(): void {
    this.registered.forEach((disposable) => disposable.dispose());
    this.registered = [];
  }
}

export class LanguageClient {
  /** Every client made, in order. */
  static made: LanguageClient[] = [];
  /** When set, start() fails with it. */
  static startError: Error | undefined;
  /** The commands the server offers in its executeCommandProvider (as shapelens serve does). */
  static serverCommands = ['shapelens.validate'];
  /** The server's answer to a request. */
  static answer: (method: string, params: unknown) => unknown = () => null;

  state = State.Stopped;
  disposed = false;
  notifications: { method: string; params: unknown }[] = [];
  requests: { method: string; params: unknown }[] = [];
  readonly code2ProtocolConverter = { asUri: (uri: Uri) => uri.toString() };
  readonly protocol2CodeConverter = { asUri: (uri: string) => ({ toString: () => uri }) };
  /** Handlers of the server's notifications, by method. */
  readonly handlers = new Map<string, (params: unknown) => void>();
  private readonly commandFeature = new ExecuteCommandFeature(this);
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
    try {
      this.commandFeature.register({ id: 'server', registerOptions: { commands: LanguageClient.serverCommands } });
    } catch (error) {
      this.move(State.Stopped);
      throw error;
    }
    this.move(State.Running);
  }

  getFeature(method: string): ExecuteCommandFeature | undefined {
    return method === ExecuteCommandRequest.method ? this.commandFeature : undefined;
  }

  onNotification(method: string, handler: (params: unknown) => void): Disposable {
    this.handlers.set(method, handler);
    return new Disposable(() => this.handlers.delete(method));
  }

  /** A notification from the server. */
  notify(method: string, params: unknown): void {
    this.handlers.get(method)?.(params);
  }

  isRunning(): boolean {
    return this.state === State.Running;
  }

  async sendNotification(type: { method: string }, params: unknown): Promise<void> {
    this.notifications.push({ method: type.method, params });
  }

  async sendRequest(type: { method: string }, params: unknown): Promise<unknown> {
    this.requests.push({ method: type.method, params });
    return LanguageClient.answer(type.method, params);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.commandFeature.clear();
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
    LanguageClient.serverCommands = ['shapelens.validate'];
    LanguageClient.answer = () => null;
  }
}
