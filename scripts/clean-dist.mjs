// Empties dist/ before a build: bundle chunks carry content hashes, so old ones would pile up.
import { rmSync } from 'node:fs';
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
