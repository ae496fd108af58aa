/**
 * Note preview: Markdown rendered by `marked` (with Obsidian's `[[wikilinks]]` and `![[photo.jpg]]` embeds),
 * then sanitized by DOMPurify (notes are files anyone could have written).
 */
import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { findWikilinks, isPhotoTarget, type Wikilink } from '../../shared/wikilinks.ts';

/** How the preview resolves links: to a note id, and an embed's picture to a library photo id. */
export interface LinkResolver {
  note(target: string): { id: string } | null;
  photo(name: string): { id: string } | null;
}

let resolver: LinkResolver | null = null;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const wikilink: TokenizerAndRendererExtension = {
  name: 'wikilink',
  level: 'inline',
  start: (src) => {
    const at = src.search(/!?\[\[/);
    return at < 0 ? undefined : at;
  },
  tokenizer(src) {
    const match = /^!?\[\[[^\[\]\n]+?\]\]/.exec(src);
    const link = match ? findWikilinks(match[0])[0] : undefined;
    return match && link ? { type: 'wikilink', raw: match[0], link } : undefined;
  },
  renderer: (token) => renderLink(token['link'] as Wikilink),
};

function renderLink(link: Wikilink): string {
  const label = escape(link.alias ?? (link.target ? `${link.target}${link.heading ? ` › ${link.heading}` : ''}` : link.heading ?? ''));
  if (link.embed && isPhotoTarget(link.target)) {
    const photo = resolver?.photo(link.target);
    if (!photo) return `<span class="wikilink unresolved" title="No photo named ${escape(link.target)} in the library">${escape(link.target)}</span>`;
    return `<a class="wikilink embed" href="#/photo/${encodeURIComponent(photo.id)}" aria-label="Open ${escape(link.target)}" title="Open ${escape(link.target)}"><img data-photo-id="${escape(photo.id)}" alt="${escape(link.alias ?? link.target)}"></a>`;
  }
  const heading = link.heading ? ` data-heading="${escape(link.heading)}"` : '';
  if (!link.target) return `<a class="wikilink" href="#"${heading}>${label}</a>`;
  const note = resolver?.note(link.target);
  if (!note) return `<a class="wikilink unresolved" href="#" data-create="${escape(link.target)}" title="Create the note “${escape(link.target)}”">${label}</a>`;
  return `<a class="wikilink" href="#/notes/${encodeURIComponent(note.id)}" data-note-id="${escape(note.id)}"${heading}>${label}</a>`;
}

const marked = new Marked({ gfm: true, breaks: false, async: false, extensions: [wikilink] });

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && !node.getAttribute('href')?.startsWith('#')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** HTML for a note's Markdown; wikilinks resolve through `links` (unresolved without it). */
export function renderMarkdown(source: string, links: LinkResolver | null = null): string {
  resolver = links;
  try {
    const html = marked.parse(source) as string;
    return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'] });
  } finally {
    resolver = null;
  }
}
