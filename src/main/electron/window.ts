/** The one app window: isolated, sandboxed, no Node, no navigation away, no new windows. */
import { BrowserWindow, screen, shell } from 'electron';
import { isAppUrl, windowOpenAction } from './app-url.ts';
import { loadWindowState, saveWindowState, type WindowState } from './window-state.ts';

export interface WindowOptions {
  preload: string;
  /** Where the page lives: our app protocol, or the dev server under `electron-vite dev`. */
  url: string;
  /** The dev server, in a development run only: its pages count as ours. */
  devServer: URL | null;
  statePath: string;
  show: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const state = loadWindowState(
    options.statePath,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Subspace',
    backgroundColor: '#111318',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  if (state.maximized) window.maximize();
  if (options.show) window.once('ready-to-show', () => window.show());

  const { devServer } = options;
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServer)) event.preventDefault();
  });
  window.webContents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, devServer)) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServer)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links in notes open in the user's browser, never inside the app.
    if (windowOpenAction(url, devServer) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Only writing to the clipboard ("Copy paths"); reading it, and everything else, is refused.
  window.webContents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const remember = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void saveWindowState(options.statePath, currentState(window)).catch(() => undefined), 500);
  };
  window.on('resize', remember);
  window.on('move', remember);
  window.on('maximize', remember);
  window.on('unmaximize', remember);
  window.on('close', () => {
    clearTimeout(saveTimer);
    void saveWindowState(options.statePath, currentState(window)).catch(() => undefined);
  });

  void window.loadURL(options.url);
  return window;
}

function currentState(window: BrowserWindow): WindowState {
  const bounds = window.getNormalBounds();
  return { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: window.isMaximized() };
}
