/** The IPC transport: one invoke channel into the service, one event channel out; only our own page may call. */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { transport } from '../../shared/channels.ts';
import { RootKind } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import type { Service } from '../service.ts';
import { isAppUrl } from './app-url.ts';

/** True only for the main frame of our window showing our own page. */
type TrustedSender = (event: IpcMainInvokeEvent) => boolean;

export function trustedSender(getWindow: () => BrowserWindow | null, devServer: URL | null): TrustedSender {
  return (event) => {
    const window = getWindow();
    const frame = event.senderFrame;
    if (!window || event.sender !== window.webContents || !frame || frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url, devServer);
  };
}

export function registerIpc(service: Service, isTrusted: TrustedSender, getWindow: () => BrowserWindow | null): () => void {
  ipcMain.handle(transport.invokeChannel, (event, method: unknown, request: unknown) => {
    if (!isTrusted(event)) return { ok: false, error: new ApiError('unauthorized', 'This window may not call Subspace.').toBody() };
    return service.dispatch(method, request);
  });
  ipcMain.handle(transport.pickFolderChannel, async (event, kind: unknown) => {
    const window = getWindow();
    if (!isTrusted(event) || !window) return null;
    const which = RootKind.safeParse(kind);
    if (!which.success) return null;
    const result = await dialog.showOpenDialog(window, {
      title: which.data === 'photos' ? 'Choose a photo folder' : 'Choose a notes folder',
      properties: ['openDirectory'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  const unsubscribe = service.subscribe((event, payload) => {
    const contents: WebContents | undefined = getWindow()?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(transport.eventChannel, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(transport.invokeChannel);
    ipcMain.removeHandler(transport.pickFolderChannel);
  };
}
