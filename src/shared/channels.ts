/**
 * Names that carry the contract over each transport. Kept free of imports: the sandboxed preload bundles this file
 * and nothing else from the contract.
 */
export const transport = {
  /** Page → main: give me a port to the service process (answered on `serviceChannel`). */
  portRequestChannel: 'subspace:port-request',
  /** Main → page: a port to the service process, and whether the service was restarted or has stopped. */
  serviceChannel: 'subspace:service',
  pickFolderChannel: 'subspace:pick-folder',
  httpPrefix: '/api/',
  wsPath: '/events',
  mediaScheme: 'subspace-media',
  tokenParam: 'token',
} as const;

/** Photo bytes (`photo`) or a JPEG thumbnail no larger than 512 px (`thumbnail`), by photo id only. */
export type MediaKind = 'photo' | 'thumbnail';
