/**
 * What the lightbox keeps from one photo to the next (each photo is a route of its own, so the view is
 * made anew at every step): whether the info panel is shown (remembered across sessions), the slideshow,
 * fullscreen (the whole window is made fullscreen, so stepping to the next photo does not leave it).
 */
const INFO_KEY = 'subspace.lightbox.info';

/** Seconds each photo stays up in a slideshow. */
export const SLIDESHOW_SECONDS = 4;

function readInfo(): boolean {
  try {
    return window.localStorage.getItem(INFO_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

class Lightbox {
  info = $state(readInfo());
  playing = $state(false);
  fullscreen = $state(document.fullscreenElement !== null);
  help = $state(false);

  constructor() {
    document.addEventListener('fullscreenchange', () => {
      this.fullscreen = document.fullscreenElement !== null;
    });
  }

  toggleInfo(): void {
    this.info = !this.info;
    try {
      window.localStorage.setItem(INFO_KEY, this.info ? 'shown' : 'hidden');
    } catch {
      // Not remembered where storage is refused; the panel still toggles.
    }
  }

  async toggleFullscreen(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await document.documentElement.requestFullscreen();
  }

  /** Leaving the photos: fullscreen and the slideshow end with the lightbox. */
  close(): void {
    this.playing = false;
    this.help = false;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }
}

export const lightbox = new Lightbox();
