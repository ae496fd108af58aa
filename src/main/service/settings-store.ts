/** The user's settings: zod-checked JSON in the data folder, written atomically. */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings, type SettingsPatch } from '../../shared/dto.ts';

export class SettingsStore {
  private constructor(
    private readonly path: string,
    private current: Settings,
    /** Set when the file on disk was unreadable and was set aside. */
    readonly recovered: string | null,
  ) {}

  /** Loads `settings.json`; a missing file gives the defaults, an invalid one is kept beside as `.invalid` and replaced by them. */
  static async open(dataDir: string): Promise<SettingsStore> {
    const path = join(dataDir, 'settings.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SettingsStore(path, Settings.parse({}), null);
      throw error;
    }
    try {
      return new SettingsStore(path, Settings.parse(JSON.parse(text)), null);
    } catch (error) {
      const aside = `${path}.invalid`;
      await rename(path, aside);
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return new SettingsStore(path, Settings.parse({}), `${path} was unreadable (${why}); it was kept as ${aside} and defaults are used.`);
    }
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = Settings.parse({ ...this.current, ...patch });
    await mkdir(join(this.path, '..'), { recursive: true });
    await writeFile(`${this.path}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
    await rename(`${this.path}.tmp`, this.path);
    this.current = next;
    return next;
  }
}
