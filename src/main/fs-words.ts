/** File system errors in words: what a person can act on, with the system's own message kept as the detail. */

export interface Worded {
  message: string;
  /** The system's message (e.g. `EACCES: permission denied, scandir '/x'`). */
  detail: string;
}

/** Why `path` (a folder, unless `what` says otherwise) cannot be used. */
export function describeFsError(error: unknown, path: string, what: 'folder' | 'file' = 'folder'): Worded {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
      return { message: `There is no ${what} at ${path}: check the spelling.`, detail };
    case 'ENOTDIR':
      return { message: `${path} is a file, not a folder.`, detail };
    case 'EACCES':
    case 'EPERM':
      return { message: `Subspace is not allowed to open ${path}: its permissions keep this user out.`, detail };
    case 'ELOOP':
      return { message: `${path} is a link that leads back to itself.`, detail };
    case 'ENAMETOOLONG':
      return { message: `${path} is too long a path for this system.`, detail };
    case 'EIO':
    case 'ENXIO':
    case 'ENODEV':
      return { message: `${path} cannot be read: is its drive still connected?`, detail };
    default:
      return { message: `${path} cannot be read${code ? ` (${code})` : ''}.`, detail };
  }
}
