import { createRequire } from 'node:module';

/**
 * LanceDB's own apache-arrow instance. An ESM `import 'apache-arrow'` can resolve to a second copy whose
 * classes LanceDB does not recognise ("schemas must be equivalent"), so the CommonJS copy is loaded instead.
 */
export const arrow: typeof import('apache-arrow') = createRequire(import.meta.url)('apache-arrow');
