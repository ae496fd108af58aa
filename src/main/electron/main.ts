/**
 * The Electron entry: one window over the service. Everything with logic lives in modules that run under plain Node;
 * this file only wires the window, IPC, protocols, tray and login item to them.
 */
import { app, BrowserWindow, dialog, session, shell, type Tray } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IndexingProgress, Settings } from '../../shared/dto.ts';
import { appDataDir, projectRoot } from '../paths.ts';
import { openService, type Service } from '../service.ts';
import { registerIpc, trustedSender } from './ipc.ts';
import { setLinuxAutostart } from './login-item.ts';
import { APP_PAGE, devServerUrl } from './app-url.ts';
import { handleAppProtocol, handleMediaProtocol, registerSchemes } from './protocols.ts';
import { createTray, trayTooltip } from './tray.ts';
import { createMainWindow } from './window.ts';
import { windowStatePath } from './window-state.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const devServer = devServerUrl(process.env, app.isPackaged);
const pageUrl = devServer?.href ?? APP_PAGE;
const startHidden = process.argv.includes('--hidden');

registerSchemes();
app.enableSandbox();
app.setPath('userData', join(appDataDir(), 'electron'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let service: Service | null = null;
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let settings: Settings | null = null;
  let indexing = false;
  let quitting = false;

  const showWindow = () => {
    if (!service) return;
    if (!window || window.isDestroyed()) window = openWindow(true);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const openWindow = (show: boolean): BrowserWindow => {
    const created = createMainWindow({
      preload: join(here, '../preload/index.cjs'),
      url: pageUrl,
      devServer,
      statePath: windowStatePath(appDataDir()),
      show,
    });
    // Closing the window quits, unless indexing is under way and the user chose to let it finish in the tray.
    created.on('close', (event) => {
      if (quitting || !settings?.keepIndexingInTray || (!indexing && !tray)) return;
      event.preventDefault();
      hideToTray(created);
    });
    return created;
  };

  const hideToTray = (target: BrowserWindow) => {
    target.hide();
    tray ??= createTray(iconPath(), {
      show: showWindow,
      pause: () => void service?.dispatch('indexing.pause', {}),
      resume: () => void service?.dispatch('indexing.resume', {}),
      quit: () => app.quit(),
    });
  };

  const applyLoginItem = async (enabled: boolean) => {
    if (process.platform === 'linux') await setLinuxAutostart(enabled, process.env.APPIMAGE ?? process.execPath);
    else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!service) return;
    quitting = true;
    event.preventDefault();
    const closing = service;
    service = null;
    void closing.close().finally(() => app.exit(0));
  });

  const start = async () => {
    const opened = await openService({
      dataDir: appDataDir(),
      watch: true,
      shell: {
        tray: true,
        revealInFolder: (path) => shell.showItemInFolder(path),
        setStartAtLogin: applyLoginItem,
      },
    });
    service = opened;
    const current = await opened.dispatch('settings.get', {});
    if (current.ok) settings = Settings.parse(current.result);
    opened.subscribe((event, payload) => {
      if (event === 'settings.changed') settings = Settings.parse(payload);
      if (event !== 'indexing.progress') return;
      const progress = IndexingProgress.parse(payload);
      indexing = progress.phase === 'scanning' || progress.phase === 'indexing' || progress.phase === 'paused';
      tray?.setToolTip(trayTooltip(progress));
    });

    handleAppProtocol(session.defaultSession, join(here, '../renderer'));
    handleMediaProtocol(session.defaultSession, opened);
    registerIpc(opened, trustedSender(() => window, devServer), () => window);
    // Started at login: stay in the tray (indexing what changed meanwhile) until the user opens the window.
    const hidden = startHidden && settings?.keepIndexingInTray === true;
    window = openWindow(!hidden);
    if (hidden) hideToTray(window);
  };

  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Subspace could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

function iconPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(projectRoot(), 'build', 'icon.png');
}
