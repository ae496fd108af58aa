#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx is a runtime dependency), so `subspace` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
