// The part of the vscode API that the client uses, recording what it is asked to do.
// `fake` drives it from the tests: settings, trust, installed extensions, events.

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath);
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export enum LanguageStatusSeverity {
  Information = 0,
  Warning = 1,
  Error = 2,
}

export interface FakeStatusItem {
  id: string;
  selector: unknown;
  name?: string;
  text: string;
  detail?: string;
  busy: boolean;
  severity: LanguageStatusSeverity;
  command?: { title: string; command: string };
  disposed: boolean;
  dispose(): void;
}

export interface FakeLog {
  name: string;
  lines: string[];
  shown: number;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
  dispose(): void;
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export interface FakeDocument {
  uri: Uri;
  fileName: string;
  languageId: string;
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}

export interface FakeEditor {
  document: FakeDocument;
  selection?: Selection;
  revealed: Range[];
  viewColumn: number;
  revealRange(range: Range): void;
}

export interface FakeQuickPick {
  items: { label: string; detail?: string; description?: string }[];
  options: { title?: string; placeHolder?: string };
}

export interface ConfigurationChange {
  affectsConfiguration(section: string): boolean;
}

class Fake {
  settings: Record<string, unknown> = {};
  trusted = true;
  folders: { uri: Uri }[] = [];
  installed = new Map<string, { isActive: boolean; exports: unknown; activate(): Promise<unknown> }>();
  commands = new Map<string, (...args: unknown[]) => unknown>();
  errors: { message: string; items: string[] }[] = [];
  /** What showErrorMessage resolves to (the button the user clicks). */
  errorChoice: string | undefined = undefined;
  warnings: { message: string; items: string[] }[] = [];
  /** What showWarningMessage resolves to. */
  warningChoice: string | undefined = undefined;
  informations: { message: string; items: string[] }[] = [];
  /** The titles of the progress notifications, and whether each task has ended. */
  progress: { location: ProgressLocation; title?: string; done: boolean }[] = [];
  /** The active text editor. */
  activeEditor: FakeEditor | undefined = undefined;
  activeEditorChanged = new EventEmitter<FakeEditor | undefined>();
  /** The quick picks shown, and which item label the user picks (undefined: Escape). */
  quickPicks: FakeQuickPick[] = [];
  quickPickChoice: string | undefined = undefined;
  /** The globs of the file system watchers made. */
  watchers: string[] = [];
  logs: FakeLog[] = [];
  statusItems: FakeStatusItem[] = [];
  configurationChanged = new EventEmitter<ConfigurationChange>();
  trustGranted = new EventEmitter<void>();

  /** Make a file of that language the active editor's document. */
  open(fsPath: string, languageId = 'python'): FakeDocument {
    const editor: FakeEditor = {
      document: { uri: Uri.file(fsPath), fileName: fsPath, languageId },
      revealed: [],
      viewColumn: 1,
      revealRange: (range) => editor.revealed.push(range),
    };
    this.activeEditor = editor;
    this.activeEditorChanged.fire(editor);
    return editor.document;
  }

  /** Change settings (full names, e.g. "shapelens.enable") and fire onDidChangeConfiguration. */
  set(changes: Record<string, unknown>): void {
    Object.assign(this.settings, changes);
    const names = Object.keys(changes);
    this.configurationChanged.fire({
      affectsConfiguration: (section) => names.some((name) => name === section || name.startsWith(`${section}.`)),
    });
  }

  reset(): void {
    Object.assign(this, new Fake());
  }
}

export const fake = new Fake();

export const workspace = {
  getConfiguration(section: string) {
    return {
      get<T>(key: string, defaultValue?: T): T | undefined {
        const name = `${section}.${key}`;
        return name in fake.settings ? (fake.settings[name] as T) : defaultValue;
      },
    };
  },
  get isTrusted(): boolean {
    return fake.trusted;
  },
  get workspaceFolders() {
    return fake.folders.length > 0 ? fake.folders : undefined;
  },
  onDidChangeConfiguration: (listener: Listener<ConfigurationChange>) => fake.configurationChanged.event(listener),
  createFileSystemWatcher(glob: string) {
    fake.watchers.push(glob);
    return { glob, dispose: () => undefined };
  },
  onDidGrantWorkspaceTrust: (listener: Listener<void>) => fake.trustGranted.event(listener),
};

export const extensions = {
  getExtension(id: string) {
    return fake.installed.get(id);
  },
};

export const window = {
  createOutputChannel(name: string, options: { log: true }): FakeLog {
    if (!options.log) {
      throw new Error('shapelens asks for a LogOutputChannel');
    }
    const log: FakeLog = {
      name,
      lines: [],
      shown: 0,
      info: (message) => log.lines.push(`info ${message}`),
      warn: (message) => log.lines.push(`warn ${message}`),
      error: (message) => log.lines.push(`error ${message}`),
      show: () => {
        log.shown += 1;
      },
      dispose: () => undefined,
    };
    fake.logs.push(log);
    return log;
  },
  showErrorMessage(message: string, ...items: string[]): Promise<string | undefined> {
    fake.errors.push({ message, items });
    return Promise.resolve(fake.errorChoice);
  },
  showWarningMessage(message: string, ...items: string[]): Promise<string | undefined> {
    fake.warnings.push({ message, items });
    return Promise.resolve(fake.warningChoice);
  },
  showInformationMessage(message: string, ...items: string[]): Promise<string | undefined> {
    fake.informations.push({ message, items });
    return Promise.resolve(undefined);
  },
  async withProgress<R>(options: { location: ProgressLocation; title?: string }, task: () => Promise<R>): Promise<R> {
    const shown = { location: options.location, title: options.title, done: false };
    fake.progress.push(shown);
    try {
      return await task();
    } finally {
      shown.done = true;
    }
  },
  get activeTextEditor() {
    return fake.activeEditor;
  },
  onDidChangeActiveTextEditor: (listener: Listener<FakeEditor | undefined>) => fake.activeEditorChanged.event(listener),
  showQuickPick<T extends { label: string }>(items: T[], options: { title?: string; placeHolder?: string }) {
    fake.quickPicks.push({ items, options });
    return Promise.resolve(items.find((item) => item.label === fake.quickPickChoice));
  },
  showTextDocument(document: FakeDocument) {
    return Promise.resolve(fake.activeEditor?.document === document ? fake.activeEditor : undefined);
  },
};

export const languages = {
  createLanguageStatusItem(id: string, selector: unknown): FakeStatusItem {
    const item: FakeStatusItem = {
      id,
      selector,
      text: '',
      busy: false,
      severity: LanguageStatusSeverity.Information,
      disposed: false,
      dispose: () => {
        item.disposed = true;
      },
    };
    fake.statusItems.push(item);
    return item;
  },
};

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown): Disposable {
    if (fake.commands.has(id)) {
      throw new Error(`command '${id}' already exists`); // as VS Code does
    }
    fake.commands.set(id, run);
    return new Disposable(() => fake.commands.delete(id));
  },
  executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const run = fake.commands.get(id);
    if (run === undefined) {
      return Promise.reject(new Error(`command '${id}' not found`));
    }
    return Promise.resolve(run(...args));
  },
};
