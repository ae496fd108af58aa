/**
 * The IPC the page still uses: asking for its port to the service process, and the native folder picker. Calls
 * and events themselves go over that port (src/shared/port-rpc.ts). Only our window's main frame showing our own
 * page is answered.
 */
import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type WebFrameMain } from 'electron';
import { transport } from '../../shared/channels.ts';
import { RootKind } from '../../shared/dto.ts';
import { isAppUrl } from './app-url.ts';

type TrustedSender = (event: Pick<IpcMainEvent, 'sender' | 'senderFrame'>) => boolean;

/** True only for the main frame of our window showing our own page. */
export function trustedSender(getWindow: () => BrowserWindow | null, devServer: URL | null): TrustedSender {
  return (event) => {
    const window = getWindow();
    const frame = event.senderFrame;
    if (!window || event.sender !== window.webContents || !frame || frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url, devServer);
  };
}

export interface IpcOptions {
  isTrusted: TrustedSender;
  getWindow: () => BrowserWindow | null;
  /** The page (its preload) wants a port to the service process. */
  onPortRequest: (frame: WebFrameMain) => void;
}

export function registerIpc({ isTrusted, getWindow, onPortRequest }: IpcOptions): () => void {
  const requestPort = (event: IpcMainEvent) => {
    if (isTrusted(event) && event.senderFrame) onPortRequest(event.senderFrame);
  };
  ipcMain.on(transport.portRequestChannel, requestPort);
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
  return () => {
    ipcMain.off(transport.portRequestChannel, requestPort);
    ipcMain.removeHandler(transport.pickFolderChannel);
  };
}
