/**
 * The note editor's CodeMirror 6 setup: Markdown highlighting (GFM), undo history, soft-wrapped lines, wikilinks
 * marked (Ctrl/Cmd-click follows one), colours from the app's theme variables so light and dark both hold.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { markdownKeymap, markdownLanguage } from '@codemirror/lang-markdown';
import { HighlightStyle, Language, LanguageSupport, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { Decoration, drawSelection, EditorView, keymap, MatchDecorator, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { MarkdownConfig, MarkdownParser } from '@lezer/markdown';
import { findWikilinks } from '../../shared/wikilinks.ts';

export interface EditorCallbacks {
  /** The text changed (the whole document, `\n` line breaks). */
  onchange(text: string): void;
  /** The selection changed: the selected text, or '' for a caret. */
  onselect(selected: string): void;
  onblur(): void;
  /** Ctrl/Cmd-click on a wikilink: its target (a note name; '' for this note) and heading. */
  onfollow(target: string, heading: string | null): void;
}

const highlight = HighlightStyle.define([
  { tag: tags.heading1, fontSize: '1.45em', fontWeight: '650' },
  { tag: tags.heading2, fontSize: '1.25em', fontWeight: '650' },
  { tag: tags.heading3, fontSize: '1.1em', fontWeight: '650' },
  { tag: [tags.heading4, tags.heading5, tags.heading6], fontWeight: '650' },
  { tag: tags.strong, fontWeight: '650' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: [tags.link, tags.url], color: 'var(--accent)' },
  { tag: tags.monospace, fontFamily: 'var(--mono)', fontSize: '0.9em' },
  { tag: tags.quote, color: 'var(--text-2)' },
  { tag: [tags.processingInstruction, tags.meta, tags.contentSeparator, tags.labelName], color: 'var(--text-3)' },
  { tag: tags.list, color: 'var(--text-2)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '15px', color: 'var(--text)', backgroundColor: 'var(--surface)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font)', lineHeight: '1.7', overflow: 'auto' },
  '.cm-content': { padding: '18px 0', maxWidth: '70ch', margin: '0 auto', caretColor: 'var(--text)' },
  '.cm-line': { padding: '0 20px' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-selectionBackground': { backgroundColor: 'var(--selected) !important' },
  '&.cm-focused .cm-selectionBackground': { backgroundColor: 'var(--accent-soft) !important' },
  '.cm-wikilink': { color: 'var(--accent)', textDecoration: 'underline', textDecorationColor: 'var(--accent-soft)', textUnderlineOffset: '3px' },
});

/**
 * YAML front matter as one block (muted), as Obsidian's source view shows it: without this, Markdown reads the
 * closing `---` as a heading underline and the YAML above it as a heading.
 */
const frontMatter: MarkdownConfig = {
  defineNodes: [{ name: 'FrontMatter', block: true, style: tags.meta }],
  parseBlock: [
    {
      name: 'FrontMatter',
      before: 'HorizontalRule',
      parse(cx, line) {
        if (cx.lineStart !== 0 || !/^---[ \t]*$/.test(line.text)) return false;
        let end = line.text.length;
        while (cx.nextLine()) {
          end = cx.lineStart + line.text.length;
          if (/^(?:---|\.\.\.)[ \t]*$/.test(line.text)) {
            cx.nextLine();
            break;
          }
        }
        cx.addElement(cx.elt('FrontMatter', 0, end));
        return true;
      },
    },
  ],
};

/** Markdown with GFM and front matter, without `markdown()`'s HTML and code-block languages (a megabyte of grammars). */
const notesMarkdown = new Language(markdownLanguage.data, (markdownLanguage.parser as MarkdownParser).configure([frontMatter]), [], 'markdown');

const wikilinkMarks = new MatchDecorator({
  regexp: /!?\[\[[^\[\]\n]+?\]\]/g,
  // Not inside code, where `[[x]]` is only text.
  decorate: (add, from, to, _match, view) => {
    const node = syntaxTree(view.state).resolveInner(from, 1);
    if (!/Code/.test(node.name) && !/Code/.test(node.parent?.name ?? '')) add(from, to, Decoration.mark({ class: 'cm-wikilink' }));
  },
});

const wikilinks = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = wikilinkMarks.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = wikilinkMarks.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

function followOnClick(callbacks: EditorCallbacks): Extension {
  return EditorView.domEventHandlers({
    mousedown(event, view) {
      if (!(event.ctrlKey || event.metaKey)) return false;
      const at = view.posAtCoords({ x: event.clientX, y: event.clientY });
      if (at === null) return false;
      const line = view.state.doc.lineAt(at);
      const link = findWikilinks(line.text).find((l) => at - line.from >= l.start && at - line.from < l.end);
      if (!link || (!link.target && !link.heading)) return false;
      event.preventDefault();
      callbacks.onfollow(link.target, link.heading);
      return true;
    },
  });
}

export function createEditorState(text: string, label: string, callbacks: EditorCallbacks): EditorState {
  return EditorState.create({
    doc: text,
    extensions: [
      history(),
      drawSelection(),
      EditorView.lineWrapping,
      new LanguageSupport(notesMarkdown),
      syntaxHighlighting(highlight),
      wikilinks,
      theme,
      keymap.of([...markdownKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'true', autocapitalize: 'sentences' }),
      followOnClick(callbacks),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) callbacks.onchange(update.state.doc.toString());
        if (update.docChanged || update.selectionSet) {
          const { from, to } = update.state.selection.main;
          callbacks.onselect(update.state.sliceDoc(from, to));
        }
        if (update.focusChanged && !update.view.hasFocus) callbacks.onblur();
      }),
    ],
  });
}
