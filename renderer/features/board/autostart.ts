// The page's autostart request (`?autostart=<board id>&channels=…`): which board to connect and
// start when the page opens (`npm start`, the end-to-end tests and the renderer benchmark use it).
// The board id comes from the URL and its options from the parameters named by that board's
// fields' command-line flags, checked against the fields; the request as a whole is checked by the
// engine's validateBoardOptions. Pure: the URL's query and the board list come in as arguments.

import { validateBoardOptions, type BoardInfo, type BoardOptionField, type BoardOptions } from '../../../electron/common/contract/board-options.js';
import { fitsField, parseFieldValue, type FieldValue } from '../../ui/option-controls.js';

export type AutostartRequest = { readonly options: BoardOptions } | { readonly error: string };

/** A field's value from its URL parameter, or undefined when absent or out of range (the board's default applies). */
function paramValue(field: BoardOptionField, q: URLSearchParams): FieldValue | undefined {
  const flag = field.cli?.flag;
  if (!flag) return undefined;
  const raw = q.get(flag);
  if (raw === null) return undefined;
  // a flag that sets a boolean (`&unpaced`, `&loop`) needs no value (`=0` or `=false`: not set)
  if (field.type === 'boolean' && field.cli?.sets !== undefined) return raw === '0' || raw === 'false' ? undefined : field.cli.sets;
  const value = parseFieldValue(field, raw);
  return value !== null && fitsField(field, value) ? value : undefined;
}

/**
 * `?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60` → what to connect and start; null
 * when the page was not asked to; an error for an unknown board or a request the engine would
 * refuse. Out-of-range values are dropped (the board's defaults apply).
 */
export function parseAutostart(search: string, boards: readonly BoardInfo[]): AutostartRequest | null {
  const q = new URLSearchParams(search);
  const id = q.get('autostart');
  if (!id) return null;
  const request: Record<string, FieldValue> = { board: id };
  for (const field of boards.find((b) => b.id === id)?.fields ?? []) {
    const value = paramValue(field, q);
    if (value !== undefined) request[field.key] = value;
  }
  const checked = validateBoardOptions(boards, request);
  return checked.ok ? { options: checked.options.options } : { error: `autostart: ${checked.error}` };
}
