/**
 * Exposes exactly the contract's transport to the page as `window.subspace` (the renderer's `PreloadBridge`).
 * Sandboxed: no Node here, and nothing but these three functions crosses the bridge. Calls and events travel over
 * a MessagePort to the service process, which the main process hands over on request and again after a restart;
 * the port stays here, on the isolated side.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { transport } from '../shared/channels.ts';
import { RpcClient, webPortLink } from '../shared/port-rpc.ts';

const client = new RpcClient();

ipcRenderer.on(transport.serviceChannel, (event, status: unknown) => {
  const [port] = event.ports;
  if (port) client.connect(webPortLink(port), 'The library service restarted before it answered; try again.');
  if (typeof status !== 'object' || status === null || !('state' in status)) return;
  // The renderer checks the payload against the contract (`service.status`) like every other event.
  client.emit('service.status', status);
  if (status.state === 'stopped') client.disconnect('message' in status && typeof status.message === 'string' ? status.message : 'The library service stopped.');
});
ipcRenderer.send(transport.portRequestChannel);

contextBridge.exposeInMainWorld('subspace', {
  invoke: (method: string, request: unknown): Promise<unknown> => client.call(method, request),
  on: (event: string, handler: (payload: unknown) => void): (() => void) => client.on(event, handler),
  pickFolder: (kind: 'photos' | 'notes'): Promise<string | null> => ipcRenderer.invoke(transport.pickFolderChannel, kind),
});
