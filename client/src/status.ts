// The language status item of Python files: starting, ready, analysing, error (or off).
// Clicking it opens the logs.
import * as vscode from 'vscode';

export class Status implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** Documents sent to the server whose diagnostics have not come back yet. */
  private readonly pending = new Set<string>();
  private running = false;
  private detail = '';

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('shapelens.status', { language: 'python' });
    this.item.name = 'shapelens';
    this.item.command = { title: 'Show Logs', command: 'shapelens.showLogs' };
    this.starting();
  }

  starting(): void {
    this.running = false;
    this.pending.clear();
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

  /** Its diagnostics came back, or it was closed. */
  analysed(uri: string): void {
    this.pending.delete(uri);
    this.refresh();
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
    this.item.dispose();
  }

  private refresh(): void {
    if (!this.running) {
      return;
    }
    if (this.pending.size > 0) {
      this.show('$(sync~spin) shapelens: analysing', this.detail, true);
    } else {
      this.show('$(check) shapelens: ready', this.detail, false);
    }
  }

  private show(text: string, detail: string, busy: boolean, severity = vscode.LanguageStatusSeverity.Information): void {
    this.item.text = text;
    this.item.detail = detail;
    this.item.busy = busy;
    this.item.severity = severity;
  }
}
