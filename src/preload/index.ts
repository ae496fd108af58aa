/**
 * Exposes exactly the contract's transport to the page as `window.subspace` (the renderer's `PreloadBridge`).
 * Sandboxed: no Node here, and nothing but these three functions crosses the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { transport } from '../shared/channels.ts';

contextBridge.exposeInMainWorld('subspace', {
  invoke: (method: string, request: unknown): Promise<unknown> => ipcRenderer.invoke(transport.invokeChannel, method, request),
  on(event: string, handler: (payload: unknown) => void): () => void {
    const forward = (_ipc: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) handler(payload);
    };
    ipcRenderer.on(transport.eventChannel, forward);
    return () => {
      ipcRenderer.removeListener(transport.eventChannel, forward);
    };
  },
  pickFolder: (kind: 'photos' | 'notes'): Promise<string | null> => ipcRenderer.invoke(transport.pickFolderChannel, kind),
});
