// The language status item of Python files: starting, analysing, error (or off), and for the
// active file what the server understood of it (its shapelens/status notification): "shapes for
// 42 of 60 tensor lines", or that the file does not parse. A click lists the causes of the lines
// without a shape (shapelens.showCauses), or opens the logs when there are none.
import * as vscode from 'vscode';

export const SHOW_CAUSES_COMMAND = 'shapelens.showCauses';

/** Where inference was lost, and the tensor lines it leaves without a shape. */
export interface Cause {
  line: number;
  character: number;
  message: string;
  lines: number;
  names: string[];
}

/** The server's shapelens/status for one document (see server/shapelens/lsp/status.py). */
export interface FileStatus {
  uri: string;
  version?: number | null;
  tensorLines: number;
  withShapes: number;
  causes: Cause[];
  parseError: { line: number; character: number; message: string } | null;
  /** The pyproject.toml whose [tool.shapelens] exclude names the file. */
  excluded?: string | null;
}

const SHOW_LOGS = { title: 'Show Logs', command: 'shapelens.showLogs' };

export class Status implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** Documents sent to the server whose diagnostics have not come back yet. */
  private readonly pending = new Set<string>();
  private readonly files = new Map<string, FileStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private active: string | undefined;
  private running = false;
  private detail = '';

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('shapelens.status', { language: 'python' });
    this.item.name = 'shapelens';
    this.item.command = SHOW_LOGS;
    this.active = vscode.window.activeTextEditor?.document.uri.toString();
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        this.active = editor?.document.uri.toString();
        this.refresh();
      }),
    );
    this.starting();
  }

  starting(): void {
    this.running = false;
    this.pending.clear();
    this.files.clear();
    this.show('$(loading~spin) shapelens: starting', 'starting the server', true);
  }

  ready(detail: string): void {
    this.running = true;
    this.detail = detail;
    this.refresh();
  }

  /** A document went to the server (opened or changed): its analysis is under way. */
  analysing(uri: string): void {
    this.pending.add(uri);
    this.refresh();
  }

  /** Its diagnostics came back. */
  analysed(uri: string): void {
    this.pending.delete(uri);
    this.refresh();
  }

  /** It was closed: nothing more comes for it. */
  closed(uri: string): void {
    this.pending.delete(uri);
    this.files.delete(uri);
    this.refresh();
  }

  /** What the server says it understood of a document. */
  fileStatus(status: FileStatus): void {
    this.files.set(status.uri, status);
    this.refresh();
  }

  /** The status of a document, as last sent by the server. */
  of(uri: string): FileStatus | undefined {
    return this.files.get(uri);
  }

  failed(message: string): void {
    this.running = false;
    this.show('$(error) shapelens: error', message, false, vscode.LanguageStatusSeverity.Error);
  }

  off(): void {
    this.running = false;
    this.show('shapelens: off', '"shapelens.enable" is false', false);
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.item.dispose();
  }

  private refresh(): void {
    if (!this.running) {
      return;
    }
    const active = this.active;
    const file = active === undefined ? undefined : this.files.get(active);
    if (active !== undefined ? this.pending.has(active) : this.pending.size > 0) {
      this.show('$(sync~spin) shapelens: analysing', this.detail, true);
    } else if (file === undefined) {
      this.show('$(check) shapelens: ready', this.detail, false);
    } else {
      this.describe(file);
    }
  }

  private describe(file: FileStatus): void {
    const missing = file.tensorLines - file.withShapes;
    const why = { title: 'Show causes', command: SHOW_CAUSES_COMMAND };
    if (file.excluded) {
      this.show('shapelens: excluded', `by [tool.shapelens] exclude in ${file.excluded}`, false);
    } else if (file.parseError !== null) {
      this.show(
        `$(warning) shapelens: line ${file.parseError.line + 1} does not parse`,
        'showing the shapes of the last version that did',
        false,
        vscode.LanguageStatusSeverity.Warning,
        { title: 'Show the error', command: SHOW_CAUSES_COMMAND },
      );
    } else if (file.withShapes === 0) {
      const causes = file.causes.length > 0;
      this.show(
        causes ? '$(info) shapelens: no tensor shapes in this file' : '$(check) shapelens: no tensors found',
        causes ? 'see why' : this.detail,
        false,
        vscode.LanguageStatusSeverity.Information,
        causes ? why : SHOW_LOGS,
      );
    } else if (missing === 0) {
      this.show(`$(check) shapelens: shapes for all ${file.tensorLines} tensor lines`, this.detail, false);
    } else {
      this.show(
        `$(info) shapelens: shapes for ${file.withShapes} of ${file.tensorLines} tensor lines`,
        `${missing} without: see why`,
        false,
        vscode.LanguageStatusSeverity.Information,
        why,
      );
    }
  }

  private show(
    text: string,
    detail: string,
    busy: boolean,
    severity = vscode.LanguageStatusSeverity.Information,
    command: vscode.Command = SHOW_LOGS,
  ): void {
    this.item.text = text;
    this.item.detail = detail;
    this.item.busy = busy;
    this.item.severity = severity;
    this.item.command = command;
  }
}

interface CauseItem extends vscode.QuickPickItem {
  at?: { line: number; character: number };
  logs?: boolean;
}

/**
 * "shapelens: Show Why Shapes Are Missing": the active file's causes in a quick pick, the one
 * costing most lines first (and a syntax error before all); picking one puts the cursor there.
 */
export async function showCauses(status: Status, log: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const file = editor === undefined ? undefined : status.of(editor.document.uri.toString());
  const items: CauseItem[] = [];
  if (file?.parseError) {
    const { line, character, message } = file.parseError;
    items.push({
      label: `$(warning) line ${line + 1} does not parse`,
      detail: `${message}. Until it does, the shapes shown are those of the last version that parsed.`,
      at: { line, character },
    });
  }
  for (const cause of file?.causes ?? []) {
    const lost = cause.lines === 1 ? '1 tensor line' : `${cause.lines} tensor lines`;
    items.push({
      label: `line ${cause.line + 1}: ${cause.message}`,
      detail: cause.lines > 0 ? `${lost} without a shape: ${cause.names.join(', ')}` : 'no tensor line of its own',
      at: { line: cause.line, character: cause.character },
    });
  }
  items.push({ label: '$(output) Show Logs', logs: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: file === undefined ? 'shapelens' : `shapelens: why shapes are missing (${file.withShapes} of ${file.tensorLines} tensor lines have one)`,
    placeHolder: items.length > 1 ? 'Pick a cause to go to its line' : 'Every tensor line of this file has a shape',
    matchOnDetail: true,
  });
  if (picked?.logs) {
    log.show();
  } else if (picked?.at !== undefined && editor !== undefined) {
    const position = new vscode.Position(picked.at.line, picked.at.character);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  }
}
