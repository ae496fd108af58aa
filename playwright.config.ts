import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/browser.ts';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1360, height: 860 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: await chromiumLaunchOptions(),
  },
});
