// Soft set-up steps that need a network. Each may fail (offline machines, CI) without failing `npm install`:
// it then says in one line what it means and how to do it later.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
  const reason = result.error?.message ?? output.find((l) => /^\w*Error\b/.test(l)) ?? output.at(-1) ?? '';
  return { ok: result.status === 0, reason: reason.trim().slice(0, 160) };
}

// Electron's own install script is disabled in package.json ("allowScripts") so that an offline install does not fail.
const electronDir = join(root, 'node_modules', 'electron');
if (existsSync(join(electronDir, 'install.js')) && !existsSync(join(electronDir, 'path.txt')) && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  const { ok, reason } = run([join(electronDir, 'install.js')]);
  console.log(
    ok
      ? '[subspace] Electron binary installed.'
      : `[subspace] Electron binary not downloaded (${reason}): \`npm start\` will use browser mode. Run \`node node_modules/electron/install.js\` when online for the desktop app.`,
  );
}

// onnxruntime-node bundles the CPU (and WebGPU) providers; its CUDA libraries are fetched only on request.
if (process.env.ONNXRUNTIME_NODE_INSTALL_CUDA) {
  const { ok, reason } = run([join(root, 'node_modules', 'onnxruntime-node', 'script', 'install.js')]);
  console.log(ok ? '[subspace] onnxruntime-node CUDA provider installed.' : `[subspace] CUDA provider not installed: ${reason}`);
}

// The frozen image backbones are not part of the repository: fetch (or convert) them once into the model cache.
spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'main', 'cli', 'fetch-backbone.ts'), '--soft'], { cwd: root, stdio: 'inherit', timeout: 900_000 });
