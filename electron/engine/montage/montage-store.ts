// The site's named montages in the data folder (montages.json): per channel a label, a type and
// optionally a 10-20 position. Validated when read (a hand-edited or damaged file is refused with a
// sentence naming it, never half-used) and replaced atomically when written, as the site store does.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EngineError, explainIssues } from '../../common/contract/failure.js';
import { explainMontageIssues, montageSchema, type Montage, type MontageInput } from '../../common/contract/montage.js';
import { readJson, writeAtomically } from '../safety/site-store.js';

export const MONTAGES_FILE = 'montages.json';

const montagesFileSchema = z.object({ format: z.literal('bci-workstation-montages'), version: z.literal(1), montages: z.array(montageSchema).max(10_000) }).strict();

export class MontageStore {
  constructor(readonly dataDir: string) {}

  get path(): string {
    return join(this.dataDir, MONTAGES_FILE);
  }

  /** Every saved montage, by name. */
  list(): Montage[] {
    if (!existsSync(this.path)) return [];
    const parsed = montagesFileSchema.safeParse(readJson(this.path));
    if (!parsed.success) throw new EngineError('invalid-request', `${this.path} is damaged (${explainIssues('montages file', parsed.error.issues).message}): repair it or move it aside`);
    return parsed.data.montages;
  }

  /** A montage by name (case-insensitive), or undefined. */
  find(name: string): Montage | undefined {
    const key = name.trim().toLowerCase();
    return this.list().find((m) => m.name.toLowerCase() === key);
  }

  /** The montage of that name, or a not-found sentence saying what is there. */
  get(name: string): Montage {
    const montage = this.find(name);
    if (montage) return montage;
    const names = this.list().map((m) => m.name);
    throw new EngineError('invalid-request', `there is no montage "${name.trim()}" in ${this.dataDir}${names.length > 0 ? ` (saved: ${names.join(', ')})` : ' (none is saved yet)'}: save it first`, [{ path: 'name', message: 'no such montage' }]);
  }

  /** Saves a montage (validated); one of the same name is replaced only with `replace`. Answers it as saved. */
  save(input: MontageInput | unknown, options: { replace?: boolean; nowMs?: number } = {}): { montage: Montage; replaced: boolean } {
    const parsed = montageSchema.safeParse(input);
    if (!parsed.success) throw explainMontageIssues(input, parsed.error.issues);
    const montage: Montage = { ...parsed.data, savedAt: new Date(options.nowMs ?? Date.now()).toISOString() };
    const all = this.list();
    const index = all.findIndex((m) => m.name.toLowerCase() === montage.name.toLowerCase());
    if (index >= 0 && !options.replace) {
      throw new EngineError('invalid-request', `a montage named "${all[index].name}" already exists in ${this.dataDir}: save with replace (bci montage save --replace) to overwrite it, or choose another name`, [{ path: 'name', message: 'already exists' }]);
    }
    if (index >= 0) all[index] = montage;
    else all.push(montage);
    this.write(all);
    return { montage, replaced: index >= 0 };
  }

  /** Deletes a montage by name (recordings made with it keep their copy in their session file). */
  delete(name: string): Montage {
    const montage = this.get(name);
    this.write(this.list().filter((m) => m.name !== montage.name));
    return montage;
  }

  private write(montages: readonly Montage[]): void {
    mkdirSync(this.dataDir, { recursive: true });
    writeAtomically(this.path, JSON.stringify({ format: 'bci-workstation-montages', version: 1, montages }, null, 2) + '\n');
  }
}
