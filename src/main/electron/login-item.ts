/**
 * Start at login. Electron does it on macOS and Windows; on Linux it has no API, so we write an XDG autostart entry
 * (~/.config/autostart/subspace.desktop), which every freedesktop session honours.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function autostartEntryPath(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'subspace.desktop');
}

/** The command a login session runs: the AppImage when we are one, else the executable itself. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["\\`$])/g, '\\$1')}"`;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Subspace', `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', ''].join(
    '\n',
  );
}

export async function setLinuxAutostart(enabled: boolean, executable: string): Promise<void> {
  const path = autostartEntryPath();
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, autostartEntry(executable));
}
