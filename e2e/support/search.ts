import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Waits for a search's results and makes every result visible: where no photo stands out ("No photos
 * match"), the nearest photos are one click away, and specs that walk all the results take that click.
 */
export async function showAllResults(page: Page, grid: Locator): Promise<void> {
  const nearest = page.getByRole('button', { name: /Show the \d+ nearest photos/ });
  await expect(grid.getByRole('option').first().or(nearest)).toBeVisible();
  if (await nearest.isVisible()) await nearest.click();
  await expect(grid.getByRole('option').first()).toBeVisible();
}
