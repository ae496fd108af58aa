/**
 * The Electron entry: windows, tray, dialogs and the plumbing between the page and the service process. The
 * service itself (LanceDB, ONNX Runtime, sharp, the indexer) runs in a utility process (service-process.ts): the
 * page talks to it over its own MessagePort, and when it dies it is restarted and the page is told.
 */
import { app, BrowserWindow, dialog, MessageChannelMain, session, shell, type MessagePortMain, type Tray, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transport } from '../../shared/channels.ts';
import { IndexingProgress, Settings, type ServiceStatus } from '../../shared/dto.ts';
import { fileLogger } from '../log/logger.ts';
import { appDataDir, projectRoot } from '../paths.ts';
import { ServiceSupervisor } from '../service-host/supervisor.ts';
import { APP_PAGE, devServerUrl, isAppUrl } from './app-url.ts';
import { registerIpc, trustedSender } from './ipc.ts';
import { setLinuxAutostart } from './login-item.ts';
import { handleAppProtocol, handleMediaProtocol, registerSchemes } from './protocols.ts';
import { forkServiceProcess } from './service-child.ts';
import { createTray, trayTooltip } from './tray.ts';
import { createMainWindow } from './window.ts';
import { windowStatePath } from './window-state.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const devServer = devServerUrl(process.env, app.isPackaged);
const pageUrl = devServer?.href ?? APP_PAGE;
const startHidden = process.argv.includes('--hidden');
const dataDir = appDataDir();
const { log, path: logFile } = fileLogger(dataDir, 'main');

registerSchemes();
app.enableSandbox();
app.setPath('userData', join(dataDir, 'electron'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let supervisor: ServiceSupervisor<MessagePortMain> | null = null;
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let settings: Settings | null = null;
  let indexing = false;
  let quitting = false;

  const showWindow = () => {
    if (!supervisor) return;
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
      statePath: windowStatePath(dataDir),
      show,
    });
    // Closing the window quits, unless indexing is under way and the user chose to let it finish in the tray.
    created.on('close', (event) => {
      if (quitting || !settings?.keepIndexingInTray || (!indexing && !tray)) return;
      event.preventDefault();
      hideToTray(created);
    });
    created.webContents.on('render-process-gone', (_event, details) => log.error(`the window's renderer process is gone: ${details.reason}`));
    return created;
  };

  const hideToTray = (target: BrowserWindow) => {
    target.hide();
    tray ??= createTray(iconPath(), {
      show: showWindow,
      pause: () => void supervisor?.dispatch('indexing.pause', {}),
      resume: () => void supervisor?.dispatch('indexing.resume', {}),
      quit: () => app.quit(),
    });
  };

  /**
   * Gives the page in this frame a port of its own to the service process, saying why when it is a new one. While
   * the service process is down it gets none (the restart brings one), unless it was left stopped: then it is told.
   */
  const sendPort = (frame: WebFrameMain, status: ServiceStatus | null) => {
    if (!supervisor || frame.isDestroyed() || !isAppUrl(frame.url, devServer)) return;
    const { port1, port2 } = new MessageChannelMain();
    if (supervisor.connect(port1)) {
      frame.postMessage(transport.serviceChannel, status, [port2]);
      return;
    }
    port1.close();
    port2.close();
    if (supervisor.stopped) frame.postMessage(transport.serviceChannel, stoppedStatus(supervisor.stopped));
  };

  const stoppedStatus = (reason: string): ServiceStatus => ({ state: 'stopped', message: `${reason} (${logFile})` });

  const currentFrame = (): WebFrameMain | null => (window && !window.isDestroyed() ? window.webContents.mainFrame : null);

  const applyLoginItem = async (enabled: boolean) => {
    if (process.platform === 'linux') await setLinuxAutostart(enabled, process.env.APPIMAGE ?? process.execPath);
    else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('child-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') log.error(`${details.name ?? details.type} process gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  app.on('before-quit', (event) => {
    if (!supervisor) return;
    quitting = true;
    event.preventDefault();
    const closing = supervisor;
    supervisor = null;
    log.info('quitting');
    void closing.close().finally(() => app.exit(0));
  });

  const start = async () => {
    log.info(`starting Subspace ${app.getVersion()} (${process.platform}, Electron ${process.versions.electron}${app.isPackaged ? '' : ', development run'})`);
    const started = new ServiceSupervisor<MessagePortMain>({
      spawn: () => forkServiceProcess(join(here, 'service-process.js'), log),
      init: { dataDir, watch: true, logFile, shell: { tray: true, revealInFolder: true, startAtLogin: true } },
      shell: { reveal: (path) => shell.showItemInFolder(path), setStartAtLogin: applyLoginItem },
      log,
    });
    await started.start();
    supervisor = started;
    const current = await started.dispatch('settings.get', {});
    if (current.ok) settings = Settings.parse(current.result);
    started.on('settings.changed', (payload) => {
      settings = Settings.parse(payload);
    });
    started.on('indexing.progress', (payload) => {
      const progress = IndexingProgress.parse(payload);
      indexing = progress.phase === 'scanning' || progress.phase === 'indexing' || progress.phase === 'paused';
      tray?.setToolTip(trayTooltip(progress));
    });
    started.onRestart(() => {
      const frame = currentFrame();
      if (frame) sendPort(frame, { state: 'restarted', message: 'The library service restarted.' });
    });
    started.onStop((reason) => currentFrame()?.postMessage(transport.serviceChannel, stoppedStatus(reason)));

    handleAppProtocol(session.defaultSession, join(here, '../renderer'));
    handleMediaProtocol(session.defaultSession, (kind, photoId) => started.media(kind, photoId));
    registerIpc({ isTrusted: trustedSender(() => window, devServer), getWindow: () => window, onPortRequest: (frame) => sendPort(frame, null) });
    // Started at login: stay in the tray (indexing what changed meanwhile) until the user opens the window.
    const hidden = startHidden && settings?.keepIndexingInTray === true;
    window = openWindow(!hidden);
    if (hidden) hideToTray(window);
  };

  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('Subspace could not start', error);
      dialog.showErrorBox('Subspace could not start', `${error instanceof Error ? error.message : String(error)}\n\nLog file: ${logFile}`);
      app.exit(1);
    });
}

function iconPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(projectRoot(), 'build', 'icon.png');
}
