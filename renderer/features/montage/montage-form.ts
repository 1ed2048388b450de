// The montage editor's form, without DOM: rows as typed (label, type, position), checked with the
// contract's own schema so that the messages shown inline are the engine's, per channel and field.

import { montageFromDescriptor, montageSchema, type Montage, type MontageChannelType } from '../../../electron/common/contract/montage.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';

export interface MontageRow {
  readonly label: string;
  readonly type: MontageChannelType;
  /** '' for none. */
  readonly position: string;
}

export interface MontageFormCheck {
  /** Problems by row (label and position), as the engine words them. */
  readonly rows: readonly { readonly label?: string; readonly position?: string; readonly type?: string }[];
  /** Problems with the montage as a whole (its name, the board's channel count). */
  readonly general: readonly string[];
  readonly ok: boolean;
}

export function rowsOf(montage: Pick<Montage, 'channels'>): MontageRow[] {
  return montage.channels.map((c) => ({ label: c.label, type: c.type, position: c.position ?? '' }));
}

export function rowsFromBoard(board: BoardDescriptor): MontageRow[] {
  return montageFromDescriptor('board', board).channels.map((c) => ({ label: c.label, type: c.type, position: c.position ?? '' }));
}

export function montageOf(name: string, rows: readonly MontageRow[]) {
  return { name, channels: rows.map((r) => ({ label: r.label, type: r.type, ...(r.position !== '' && { position: r.position }) })) };
}

/** Checks the form: the contract's schema, and the channel count against the connected board's. */
export function checkMontageForm(name: string, rows: readonly MontageRow[], board: BoardDescriptor | null): MontageFormCheck {
  const byRow: { label?: string; position?: string; type?: string }[] = rows.map(() => ({}));
  const general: string[] = [];
  let nameSaid = false;
  const parsed = montageSchema.safeParse(montageOf(name, rows));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, index, field] = issue.path;
      if (first === 'channels' && typeof index === 'number' && (field === 'label' || field === 'position' || field === 'type')) byRow[index][field] ??= issue.message;
      else if (first !== 'name' || !nameSaid) general.push(issue.message);
      if (first === 'name') nameSaid = true;
    }
  }
  if (board && rows.length !== board.channels.length) general.push(`the ${board.name} has ${board.channels.length} channels and this montage ${rows.length}: it cannot be applied to this board`);
  return { rows: byRow, general: [...new Set(general)], ok: parsed.success };
}
