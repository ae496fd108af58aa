import type { Page } from '@playwright/test';

/** Whether the photos on screen have arrived: every `<img>` loaded, and no grid cell still waiting for its thumbnail. */
export function photosShown(page: Page): Promise<boolean> {
  return page
    .locator('main img')
    .evaluateAll((imgs) => imgs.every((img) => (img as unknown as { complete: boolean }).complete && img.getAttribute('data-thumb') !== 'loading'));
}
