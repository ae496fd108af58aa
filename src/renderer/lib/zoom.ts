/**
 * Zoom and pan of one photo in a stage: pure arithmetic, so the lightbox only renders what it returns.
 * A view is a scale relative to the fitted size (1 = the whole photo fits) and the offset of the photo's
 * centre from the stage's centre, in screen pixels.
 */
export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface ZoomView {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const FIT: ZoomView = { scale: 1, x: 0, y: 0 };

/** Zooming in never goes past this many screen pixels for one photo pixel. */
const MAX_PIXEL_ZOOM = 4;
/** Even a photo already enlarged to fit can be zoomed this far. */
const MIN_MAX_SCALE = 2;
/** One `+` / `-` press. */
export const ZOOM_STEP = 1.5;

/** The photo's size when it fits the stage whole: as large as fits (a small photo is enlarged, as a grid cell does). */
export function fitSize(natural: Size, stage: Size): Size {
  if (natural.width <= 0 || natural.height <= 0 || stage.width <= 0 || stage.height <= 0) return { width: 0, height: 0 };
  const ratio = Math.min(stage.width / natural.width, stage.height / natural.height);
  return { width: natural.width * ratio, height: natural.height * ratio };
}

export function maxScale(natural: Size, fit: Size): number {
  if (fit.width <= 0) return MIN_MAX_SCALE;
  return Math.max(MIN_MAX_SCALE, (MAX_PIXEL_ZOOM * natural.width) / fit.width);
}

/** Keeps the photo over the stage: a side larger than the stage cannot leave a gap, a smaller one stays centred. */
export function clampView(view: ZoomView, fit: Size, stage: Size): ZoomView {
  const limit = (shown: number, room: number, offset: number) => {
    const slack = Math.max(0, (shown - room) / 2);
    return Math.min(slack, Math.max(-slack, offset)) || 0; // never -0
  };
  return {
    scale: view.scale,
    x: limit(fit.width * view.scale, stage.width, view.x),
    y: limit(fit.height * view.scale, stage.height, view.y),
  };
}

/**
 * Zooms to `scale` (within fit…max) keeping the photo point under `at` (relative to the stage's centre)
 * where it is, as a map does under the cursor.
 */
export function zoomTo(view: ZoomView, scale: number, at: Point, natural: Size, stage: Size): ZoomView {
  const fit = fitSize(natural, stage);
  const next = Math.min(maxScale(natural, fit), Math.max(1, scale));
  const ratio = next / view.scale;
  return clampView({ scale: next, x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio }, fit, stage);
}

export function panBy(view: ZoomView, dx: number, dy: number, natural: Size, stage: Size): ZoomView {
  return clampView({ scale: view.scale, x: view.x + dx, y: view.y + dy }, fitSize(natural, stage), stage);
}

/** Double-click: back to fit when zoomed, else to the photo's own pixels (at least twice the fit) at the point. */
export function toggleZoom(view: ZoomView, at: Point, natural: Size, stage: Size): ZoomView {
  if (view.scale > 1.01) return FIT;
  const fit = fitSize(natural, stage);
  const actual = fit.width > 0 ? natural.width / fit.width : 1;
  return zoomTo(view, Math.max(MIN_MAX_SCALE, actual), at, natural, stage);
}

/** The wheel's zoom factor: smooth for trackpads (small deltas), about one step per mouse notch. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.exp(-Math.max(-300, Math.min(300, pixels)) * 0.0025);
}

/** Where the photo is drawn: its box in stage coordinates. */
export function placement(view: ZoomView, natural: Size, stage: Size): { left: number; top: number; width: number; height: number } {
  const fit = fitSize(natural, stage);
  const width = fit.width * view.scale;
  const height = fit.height * view.scale;
  return { left: (stage.width - width) / 2 + view.x, top: (stage.height - height) / 2 + view.y, width, height };
}

/** The zoom as a share of the photo's own pixels (100 = one photo pixel per screen pixel). */
export function pixelPercent(view: ZoomView, natural: Size, stage: Size): number {
  const fit = fitSize(natural, stage);
  return natural.width > 0 ? Math.round((100 * fit.width * view.scale) / natural.width) : 100;
}
