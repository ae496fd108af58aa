/** The tray icon shown while the window is closed and indexing carries on. */
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  show(): void;
  pause(): void;
  resume(): void;
  quit(): void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  const icon = nativeImage.createFromPath(iconPath).resize({ width: 18, height: 18 });
  const tray = new Tray(icon);
  tray.setToolTip('Subspace: indexing in the background');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Subspace', click: actions.show },
      { type: 'separator' },
      { label: 'Pause indexing', click: actions.pause },
      { label: 'Resume indexing', click: actions.resume },
      { type: 'separator' },
      { label: 'Quit Subspace', click: actions.quit },
    ]),
  );
  tray.on('click', actions.show);
  return tray;
}

/** Shown as the tooltip so hovering the icon tells how far indexing is. */
export function trayTooltip(progress: { phase: string; done: number; total: number }): string {
  if (progress.phase === 'indexing' || progress.phase === 'scanning') return `Subspace: indexing ${progress.done} of ${progress.total}`;
  if (progress.phase === 'paused') return `Subspace: indexing paused at ${progress.done} of ${progress.total}`;
  return 'Subspace';
}
