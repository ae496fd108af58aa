// Runs the training/ Python tests (pytest) with Debian's Python, which has PyTorch and onnx.
// Without them it prints one line and exits 0 — except under CI=true, where that is a failure.
// Otherwise it exits with pytest's own exit code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const python = process.env.SUBSPACE_PYTHON ?? '/usr/bin/python3';
const ci = process.env.CI === 'true';

function missing(what) {
  const line = `training tests skipped: ${what} not found — install python3-torch python3-onnx python3-pytest (Debian) to enable them`;
  if (ci) {
    console.error(`${line} (failing because CI=true)`);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}

if (!existsSync(python)) missing(`Python (${python})`);
const probe = spawnSync(python, ['-c', 'import torch, onnx, pytest'], { encoding: 'utf8' });
if (probe.status !== 0) {
  const name = /No module named '(\w+)'/.exec(probe.stderr ?? '')?.[1];
  missing({ torch: 'PyTorch', onnx: 'onnx', pytest: 'pytest' }[name] ?? 'PyTorch');
}

const result = spawnSync(python, ['-m', 'pytest', 'training/tests', '-q', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
