import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Waits for the results of `query` (not of a prefix typed on the way: a later answer would undo the click
 * below) and makes every result visible: where no photo stands out ("No photos match"), the nearest photos
 * are one click away, and specs that walk all the results take that click.
 */
export async function showAllResults(page: Page, grid: Locator, query: string): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: `“${query}”` }).first()).toBeVisible();
  const nearest = page.getByRole('button', { name: /Show the \d+ nearest photos/ });
  await expect(grid.getByRole('option').first().or(nearest)).toBeVisible();
  if (await nearest.isVisible()) await nearest.click();
  await expect(grid.getByRole('option').first()).toBeVisible();
}
