// `npm start`: the desktop app when an Electron binary is installed; otherwise browser mode, said in one line.
// Builds first when the bundles in out/ are missing or older than the sources.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable's path, or null where the electron package has no binary. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(join(root, dir)) && newestMtime(join(root, dir)) > built);
}

function build() {
  console.log('[subspace] building the app (electron-vite build)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs a child with our stdio and leaves with its exit code; Ctrl+C reaches it directly (same process group). */
function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron) {
  if (isStale(join(root, 'out/main/index.js'), ['src', 'models'])) build();
  run(electron, [root, ...args]);
} else {
  console.log(
    `[subspace] No Electron binary here (it is downloaded by \`node node_modules/electron/install.js\` when online); starting browser mode instead.`,
  );
  if (isStale(join(root, 'out/renderer/index.html'), ['src/renderer', 'src/shared'])) build();
  run(process.execPath, [join(root, 'bin/subspace.js'), 'serve', ...args]);
}
