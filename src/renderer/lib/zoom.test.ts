import { describe, expect, it } from 'vitest';
import { FIT, clampView, fitSize, panBy, pixelPercent, placement, toggleZoom, wheelFactor, zoomTo } from './zoom.ts';

const stage = { width: 1000, height: 800 };
const portrait = { width: 1067, height: 1600 };
const landscape = { width: 1600, height: 1067 };

describe('fitting a photo in the stage', () => {
  it('fits a portrait photo by its height and a landscape one by its width, whole', () => {
    expect(fitSize(portrait, stage)).toEqual({ width: 1067 * 0.5, height: 800 });
    const fit = fitSize(landscape, stage);
    expect(fit.width).toBe(1000);
    expect(fit.height).toBeCloseTo(666.9, 1);
  });

  it('enlarges a photo smaller than the stage to fit it', () => {
    expect(fitSize({ width: 500, height: 306 }, stage)).toEqual({ width: 1000, height: 612 });
  });

  it('centres the fitted photo inside the stage', () => {
    const box = placement(FIT, portrait, stage);
    expect(box.top).toBe(0);
    expect(box.height).toBe(800);
    expect(box.left).toBeCloseTo((1000 - 533.5) / 2);
    expect(box.left + box.width).toBeLessThanOrEqual(1000);
  });

  it('has nothing to draw before the photo or the stage has a size', () => {
    expect(fitSize({ width: 0, height: 0 }, stage)).toEqual({ width: 0, height: 0 });
    expect(fitSize(portrait, { width: 0, height: 0 })).toEqual({ width: 0, height: 0 });
  });
});

describe('zooming', () => {
  it('keeps the photo point under the cursor in place', () => {
    const at = { x: 200, y: -100 };
    const before = placement(FIT, landscape, stage);
    const view = zoomTo(FIT, 2, at, landscape, stage);
    const after = placement(view, landscape, stage);
    const cursor = { x: stage.width / 2 + at.x, y: stage.height / 2 + at.y };
    const share = (box: typeof before) => ({ x: (cursor.x - box.left) / box.width, y: (cursor.y - box.top) / box.height });
    expect(share(after).x).toBeCloseTo(share(before).x, 6);
    expect(share(after).y).toBeCloseTo(share(before).y, 6);
  });

  it('stays between the fit and four screen pixels per photo pixel', () => {
    expect(zoomTo(FIT, 0.2, { x: 0, y: 0 }, portrait, stage).scale).toBe(1);
    const most = zoomTo(FIT, 1000, { x: 0, y: 0 }, portrait, stage);
    expect(pixelPercent(most, portrait, stage)).toBe(400);
  });

  it('double-click goes to the photo’s own pixels at the point, and back to fit', () => {
    const zoomed = toggleZoom(FIT, { x: 0, y: 0 }, portrait, stage);
    expect(pixelPercent(zoomed, portrait, stage)).toBe(100);
    expect(toggleZoom(zoomed, { x: 0, y: 0 }, portrait, stage)).toEqual(FIT);
  });

  it('double-click still zooms a small photo already enlarged to fit', () => {
    const small = { width: 500, height: 306 };
    expect(toggleZoom(FIT, { x: 0, y: 0 }, small, stage).scale).toBe(2);
    expect(zoomTo(FIT, 100, { x: 0, y: 0 }, small, stage).scale).toBe(2);
  });

  it('turns wheel deltas into factors: down zooms out, up zooms in, bounded per event', () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(120, 0));
    expect(wheelFactor(-1e6, 0)).toBeCloseTo(wheelFactor(-300, 0));
  });
});

describe('panning', () => {
  it('cannot move a fitted photo', () => {
    expect(panBy(FIT, 300, -200, portrait, stage)).toEqual(FIT);
  });

  it('moves a zoomed photo only as far as its edges reach the stage’s', () => {
    const zoomed = zoomTo(FIT, 2, { x: 0, y: 0 }, landscape, stage);
    const far = panBy(zoomed, 10_000, 10_000, landscape, stage);
    const box = placement(far, landscape, stage);
    expect(box.left).toBeCloseTo(0);
    expect(box.top).toBeCloseTo(0);
    const near = panBy(zoomed, 50, 0, landscape, stage);
    expect(near.x).toBe(50);
  });

  it('keeps a side that is still narrower than the stage centred', () => {
    const zoomed = clampView({ scale: 1.2, x: 300, y: 300 }, fitSize(portrait, stage), stage);
    expect(zoomed.x).toBe(0);
    expect(zoomed.y).toBeCloseTo(80);
  });
});
