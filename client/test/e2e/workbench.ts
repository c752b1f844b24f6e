// Reading and driving the VS Code workbench in the page, as a user sees it: the text of each
// editor line (inlay hints included), squiggles, the Problems panel, hovers, the quick-fix menu.
import type { Page } from 'playwright-core';

export interface EditorState {
  /** Line number -> its text as shown, hints included, non-breaking spaces made plain. */
  lines: Record<number, string>;
  /** Line numbers under a red (error) or yellow (warning) squiggle, a blue (information) one, or hint dots. */
  errors: number[];
  warnings: number[];
  infos: number[];
  hints: number[];
}

/** The active editor as rendered: lines are matched to their numbers by their vertical position. */
export function editorState(page: Page): Promise<EditorState> {
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
    const state = {
      lines: {} as Record<number, string>,
      errors: [] as number[],
      warnings: [] as number[],
      infos: [] as number[],
      hints: [] as number[],
    };
    if (editor === null) {
      return state;
    }
    const top = (element: Element) => Math.round(parseFloat((element as HTMLElement).style.top));
    const numberAt = new Map<number, number>();
    for (const number of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      numberAt.set(top(number.parentElement as Element), Number(number.textContent));
    }
    for (const line of editor.querySelectorAll('.view-lines .view-line')) {
      const number = numberAt.get(top(line));
      if (number !== undefined) {
        state.lines[number] = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      }
    }
    for (const [selector, into] of [
      ['.squiggly-error', state.errors],
      ['.squiggly-warning', state.warnings],
      ['.squiggly-info', state.infos],
      ['.squiggly-hint', state.hints],
    ] as const) {
      for (const squiggle of editor.querySelectorAll(`.view-overlays ${selector}`)) {
        const number = numberAt.get(top(squiggle.parentElement as Element));
        if (number !== undefined && !into.includes(number)) {
          into.push(number);
        }
      }
    }
    return state;
  });
}

/** Polls `read` until `ok` holds; on time-out the error shows what was last seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}; last seen:\n${JSON.stringify(last, null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await read();
  }
  return last;
}

/** Waits until the editor has looked the same for `ms` (hints are redrawn after each analysis). */
export async function settled(page: Page, ms = 1500): Promise<EditorState> {
  let last = JSON.stringify(await editorState(page));
  let since = Date.now();
  const end = Date.now() + 30_000;
  while (Date.now() - since < ms && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = JSON.stringify(await editorState(page));
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return JSON.parse(last);
}

/** Screen coordinates of the middle of the `occurrence`-th `text` on editor line `line`. */
export async function pointAt(page: Page, line: number, text: string, occurrence = 1): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    ({ line, text, occurrence }) => {
      const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
      if (editor === null) {
        return null;
      }
      const top = (element: Element) => Math.round(parseFloat((element as HTMLElement).style.top));
      let lineTop: number | undefined;
      for (const number of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        if (Number(number.textContent) === line) {
          lineTop = top(number.parentElement as Element);
        }
      }
      const row = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => top(l) === lineTop);
      if (row === undefined) {
        return null;
      }
      const full = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      let index = -1;
      for (let i = 0; i < occurrence; i++) {
        index = full.indexOf(text, index + 1);
      }
      if (index < 0) {
        return null;
      }
      // The middle character of the match, found among the line's text nodes.
      let target = index + Math.floor(text.length / 2);
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const length = (node.textContent ?? '').length;
        if (target < length) {
          const range = document.createRange();
          range.setStart(node, target);
          range.setEnd(node, target + 1);
          const box = range.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }
        target -= length;
      }
      return null;
    },
    { line, text, occurrence },
  );
  if (point === null) {
    throw new Error(`"${text}" is not on line ${line}: ${JSON.stringify((await editorState(page)).lines[line])}`);
  }
  return point;
}

/** Opens a file of the workspace from the Explorer, as a click. */
export async function openFromExplorer(page: Page, name: string): Promise<void> {
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).click();
  await page.locator(`.part.editor .tab.active[aria-label^="${name}"]`).waitFor();
  await page.locator('.part.editor .editor-instance .view-line').first().waitFor();
}

/** Scrolls the active editor to `line` and puts the cursor there (Ctrl+G). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+g');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

/** The text of the visible hover after pointing at `text` on `line`. */
export async function hoverText(page: Page, line: number, text: string, expect: RegExp): Promise<string> {
  await page.mouse.move(10, 10);
  const { x, y } = await pointAt(page, line, text);
  await page.mouse.move(x, y);
  return until(
    `a hover matching ${expect} over "${text}" on line ${line}`,
    async () => {
      const hovers = await page.locator('.monaco-hover:not(.hidden)').allTextContents();
      return hovers.join('\n').replace(/\u00a0/g, ' ');
    },
    (seen) => expect.test(seen),
    20_000,
  );
}

/** The Problems panel's text (opened with Ctrl+Shift+M when closed). */
export async function problems(page: Page): Promise<string> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
  }
  return ((await panel.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/**
 * Ctrl+. on `text` of `line`; returns the titles in the quick-fix menu. Asked again (Escape, Ctrl+.)
 * when the menu did not come: a Ctrl+. that arrives while the editor is still busy is lost.
 */
export async function openQuickFixes(page: Page, line: number, text: string, expect: string): Promise<string[]> {
  const rows = page.locator('.action-widget .monaco-list-row');
  for (let attempt = 1; ; attempt++) {
    const { x, y } = await pointAt(page, line, text);
    await page.mouse.click(x, y);
    await page.keyboard.press('Control+.');
    try {
      await rows.filter({ hasText: expect }).first().waitFor({ timeout: 5_000 });
      return rows.allTextContents();
    } catch (error) {
      if (attempt === 4) {
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
}

export async function applyQuickFix(page: Page, title: string): Promise<void> {
  await page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first().click();
}

/** Opens a workspace file by its relative path with Quick Open (Ctrl+P), as a user does for files in folders. */
export async function quickOpen(page: Page, relative: string): Promise<void> {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relative);
  const name = relative.split('/').pop() as string;
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.part.editor .tab.active[aria-label^="${name}"]`).waitFor();
  await page.locator('.part.editor .editor-instance .view-line').first().waitFor();
}

/** What the shapelens language status item says (its text and detail, as the status bar reads them out). */
export async function languageStatus(page: Page): Promise<string> {
  const label = await page.locator('[id="status.languageStatus"]').getAttribute('aria-label');
  return (label ?? '').replace(/\u00a0/g, ' ');
}

/** Hovers the language status item and clicks the link `title` of the shapelens item; returns the hover's text. */
export async function clickLanguageStatus(page: Page, title: string): Promise<string> {
  await page.mouse.move(10, 10);
  await page.locator('[id="status.languageStatus"]').hover();
  const link = page.locator('.workbench-hover a.monaco-link').filter({ hasText: title }).first();
  await link.waitFor({ timeout: 10_000 });
  const text = (await page.locator('.workbench-hover').first().innerText()).replace(/\u00a0/g, ' ');
  await link.click();
  return text;
}

/** The rows of the open quick pick (label and detail of each). */
export async function quickPickRows(page: Page): Promise<string[]> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor();
  return (await rows.allInnerTexts()).map((row) => row.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The cursor's position as the status bar says it, e.g. "Ln 14, Col 13". */
export async function cursorPosition(page: Page): Promise<string> {
  return (await page.locator('[id="status.editor.selection"]').innerText()).trim();
}
