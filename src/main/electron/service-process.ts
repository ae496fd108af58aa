/**
 * The utility process entry (out/main/service-process.js): the service, LanceDB, ONNX Runtime, sharp and the
 * indexer's worker thread all live here, so a native crash ends this process, which the main process restarts,
 * and never the window.
 */
import { hostService } from '../service-host/host.ts';
import { parentPortLink } from './port-links.ts';

hostService(parentPortLink(process.parentPort), { onClosed: () => process.exit(0) });
