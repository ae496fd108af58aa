/**
 * Names that carry the contract over each transport. Kept free of imports: the sandboxed preload bundles this file
 * and nothing else from the contract.
 */
export const transport = {
  invokeChannel: 'subspace:invoke',
  eventChannel: 'subspace:event',
  pickFolderChannel: 'subspace:pick-folder',
  httpPrefix: '/api/',
  wsPath: '/events',
  mediaScheme: 'subspace-media',
  tokenParam: 'token',
} as const;

/** Photo bytes (`photo`) or a JPEG thumbnail no larger than 512 px (`thumbnail`), by photo id only. */
export type MediaKind = 'photo' | 'thumbnail';
