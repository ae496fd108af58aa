/** Electron's ports as the Links of src/shared/port-rpc.ts. Type-only use of Electron: the service process loads this too. */
import type { MessagePortMain, ParentPort, UtilityProcess } from 'electron';
import type { Link } from '../../shared/port-rpc.ts';

export function portMainLink(port: MessagePortMain): Link<MessagePortMain> {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    listen(listener) {
      const forward = (event: Electron.MessageEvent) => listener(event.data, event.ports.map(portMainLink));
      port.on('message', forward);
      port.start();
      return () => port.off('message', forward);
    },
    onClose: (listener) => void port.once('close', listener),
    close: () => port.close(),
  };
}

/** The service process's end of its parent link: ports from the main process arrive with a message, as `event.ports`. */
export function parentPortLink(parent: ParentPort): Link {
  return {
    post: (message) => parent.postMessage(message),
    listen(listener) {
      const forward = (event: Electron.MessageEvent) => listener(event.data, event.ports.map(portMainLink));
      parent.on('message', forward);
      return () => parent.off('message', forward);
    },
  };
}

/** The main process's end of its link to a utility process. */
export function utilityProcessLink(child: UtilityProcess): Link<MessagePortMain> {
  return {
    post: (message, transfer) => child.postMessage(message, transfer),
    listen(listener) {
      const forward = (message: unknown) => listener(message, []);
      child.on('message', forward);
      return () => child.off('message', forward);
    },
  };
}
