/** `subspace`: the command line. Parses arguments, opens the service, runs one command, sets the exit code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/errors.ts';
import { appDataDir, projectRoot } from '../paths.ts';
import { LibraryLockedError } from '../service/library-lock.ts';
import { NoLibraryError, runCommand, typedPath, UsageError, type CommandName } from './commands.ts';
import { createOutput } from './output.ts';
import { USAGE } from './usage.ts';

const COMMANDS: readonly CommandName[] = ['index', 'search', 'similar', 'notes-for', 'photos-for', 'link', 'unlink', 'status', 'folders', 'serve', 'model'];

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        library: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        limit: { type: 'string' },
        notes: { type: 'string', multiple: true, default: [] },
        folder: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        camera: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    return usageFailure(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [command, ...args] = positionals;
  if (!command) return usageFailure('no command given');
  if (!(COMMANDS as readonly string[]).includes(command)) return usageFailure(`unknown command "${command}"`);

  const out = createOutput(values.json);
  try {
    await runCommand(command as CommandName, args, {
      dataDir: values.library === undefined ? appDataDir() : typedPath(values.library),
      libraryGiven: values.library !== undefined,
      verbose: values.verbose,
      out,
      limit: values.limit,
      notes: values.notes,
      filters: { folder: values.folder, from: values.from, to: values.to, camera: values.camera },
      port: values.port,
    });
    return 0;
  } catch (error) {
    out.endProgress();
    if (error instanceof UsageError) return usageFailure(error.message);
    const message = error instanceof Error ? error.message : String(error);
    const detail = detailOf(error);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ type: 'error', message, ...(error instanceof ApiError ? { code: error.code } : {}), ...(detail ? { detail } : {}) })}\n`);
    }
    process.stderr.write(`subspace: ${message}\n`);
    if (detail) process.stderr.write(values.verbose ? `details: ${detail}\n` : 'Run it again with --verbose for the details.\n');
    return exitCode(error);
  }
}

/** The exit codes of docs/cli.md: 2 for what was typed wrong (a value the contract refuses too), 3 for a library another process writes. */
function exitCode(error: unknown): number {
  if (error instanceof LibraryLockedError) return 3;
  if (error instanceof NoLibraryError) return error.given ? 2 : 1;
  if (error instanceof ApiError && error.code === 'bad_request') return 2;
  return 1;
}

/** The technical account behind a message: the API's detail, or for an unexpected failure, where it happened. */
function detailOf(error: unknown): string | null {
  if (error instanceof ApiError) return error.detail ?? null;
  if (error instanceof NoLibraryError || error instanceof LibraryLockedError) return null;
  return error instanceof Error && error.stack ? error.stack : null;
}

function usageFailure(message: string): number {
  process.stderr.write(`subspace: ${message}\nRun \`subspace --help\` for the commands and options.\n`);
  return 2;
}
