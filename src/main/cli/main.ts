/** `subspace`: the command line. Parses arguments, opens the service, runs one command, sets the exit code. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/errors.ts';
import { appDataDir, projectRoot } from '../paths.ts';
import { LibraryLockedError } from '../service/library-lock.ts';
import { runCommand, UsageError, type CommandName } from './commands.ts';
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
      dataDir: resolve(values.library ?? appDataDir()),
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
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'error', message, ...(error instanceof ApiError ? { code: error.code } : {}) })}\n`);
    process.stderr.write(`subspace: ${message}\n`);
    return error instanceof LibraryLockedError ? 3 : 1;
  }
}

function usageFailure(message: string): number {
  process.stderr.write(`subspace: ${message}\nRun \`subspace --help\` for the commands and options.\n`);
  return 2;
}
