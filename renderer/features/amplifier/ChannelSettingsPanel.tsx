// The amplifier's channel settings (Cyton, Cyton+Daisy): per channel power, gain, input, bias and
// SRB2, SRB1 for the whole board. The user edits a draft; Apply sends only the channels that
// differ from what the board confirmed, Reset sends the board's defaults, Register dump shows the
// ADS1299 registers. A row marked • differs from the board; ✓ means the board confirmed it.

import { useEffect, useRef, useState } from 'react';
import { GAIN_CHOICES, INPUT_CHOICES, INPUT_NAMES, channelDiffers, diffSettings, withChannel, withSrb1, type ChannelSetting } from './amplifier-settings.js';

interface Props {
  readonly labels: readonly string[];
  readonly confirmed: readonly ChannelSetting[];
  readonly fromBoard: readonly boolean[];
  readonly busy: boolean;
  readonly error: string | null;
  readonly dump: string | null;
  readonly onApply: (draft: readonly ChannelSetting[]) => void;
  readonly onReset: () => void;
  readonly onDump: () => void;
  readonly onCloseDump: () => void;
}

export function ChannelSettingsPanel({ labels, confirmed, fromBoard, busy, error, dump, onApply, onReset, onDump, onCloseDump }: Props) {
  const [draft, setDraft] = useState<readonly ChannelSetting[]>(confirmed);
  // what the board confirmed replaces the draft (after Apply, Reset, a new board)
  useEffect(() => setDraft(confirmed), [confirmed]);
  const pending = diffSettings(confirmed, draft).length;
  const srb1 = draft[0]?.srb1 ?? false;
  const confirmedCount = fromBoard.filter(Boolean).length;
  const set = (channel: number, change: Partial<ChannelSetting>) => setDraft((d) => withChannel(d, channel, change));

  return (
    <section className="panel amp-panel" aria-labelledby="amp-title" data-testid="channel-settings" data-pending={pending}>
      <header className="panel-header">
        <h2 id="amp-title">Channel settings</h2>
        <span className="panel-note" title="Settings the board has confirmed since it was connected (the rest are its power-on defaults)">
          {confirmedCount === 0 ? 'board defaults' : `${confirmedCount}/${confirmed.length} confirmed`}
        </span>
      </header>
      <div className="amp-body">
        <table className="amp-table">
          <thead>
            <tr>
              <th scope="col">Ch</th>
              <th scope="col" title="Powered on">
                On
              </th>
              <th scope="col">Gain</th>
              <th scope="col">Input</th>
              <th scope="col" title="Included in the bias (driven right leg)">
                Bias
              </th>
              <th scope="col" title="N input to SRB2 (the common reference)">
                SRB2
              </th>
              <th scope="col" aria-label="State" />
            </tr>
          </thead>
          <tbody>
            {draft.map((s, i) => {
              const n = i + 1;
              const c = confirmed[i];
              const changed = channelDiffers(c, s);
              const label = labels[i] ?? `Ch ${n}`;
              return (
                <tr key={n} className={changed ? 'changed' : s.powerOn ? undefined : 'off'} data-testid={`channel-row-${n}`} data-confirmed-gain={c?.gain} data-confirmed-input={c?.input} data-board-confirmed={fromBoard[i] ? 'true' : 'false'}>
                  <th scope="row" title={label}>
                    {n}
                    {label !== String(n) && label !== `Ch ${n}` ? <span className="amp-label"> {label}</span> : null}
                  </th>
                  <td>
                    <input type="checkbox" data-testid={`channel-power-${n}`} checked={s.powerOn} disabled={busy} onChange={(e) => set(n, { powerOn: e.target.checked })} aria-label={`Channel ${n} powered`} />
                  </td>
                  <td>
                    <select data-testid={`channel-gain-${n}`} value={s.gain} disabled={busy} onChange={(e) => set(n, { gain: Number(e.target.value) as ChannelSetting['gain'] })} aria-label={`Channel ${n} gain`}>
                      {GAIN_CHOICES.map((g) => (
                        <option key={g} value={g}>
                          ×{g}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select data-testid={`channel-input-${n}`} value={s.input} disabled={busy} onChange={(e) => set(n, { input: e.target.value as ChannelSetting['input'] })} aria-label={`Channel ${n} input`}>
                      {INPUT_CHOICES.map((v) => (
                        <option key={v} value={v}>
                          {INPUT_NAMES[v] ?? v}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" data-testid={`channel-bias-${n}`} checked={s.bias} disabled={busy} onChange={(e) => set(n, { bias: e.target.checked })} aria-label={`Channel ${n} in the bias`} />
                  </td>
                  <td>
                    <input type="checkbox" data-testid={`channel-srb2-${n}`} checked={s.srb2} disabled={busy} onChange={(e) => set(n, { srb2: e.target.checked })} aria-label={`Channel ${n} to SRB2`} />
                  </td>
                  <td className="amp-state" title={changed ? `Not applied: the board has gain ×${c?.gain ?? '?'}, ${c?.input ?? '?'} input` : fromBoard[i] ? 'Confirmed by the board' : 'The board\u2019s power-on default'}>
                    {changed ? '•' : fromBoard[i] ? '✓' : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="amp-actions">
          <label className="check" title="All N inputs to SRB1 (board-wide; sent with every channel)">
            <input type="checkbox" data-testid="channel-srb1" checked={srb1} disabled={busy} onChange={(e) => setDraft((d) => withSrb1(d, e.target.checked))} />
            <span>SRB1 (all)</span>
          </label>
          <span className="status-spacer" />
          <button type="button" className="btn small" data-testid="channel-dump" disabled={busy} onClick={onDump} title="Show the amplifier's registers (?)">
            Register dump
          </button>
          <button type="button" className="btn small" data-testid="channel-reset" disabled={busy} onClick={onReset} title="Every channel back to the board's defaults (d)">
            Reset
          </button>
          <button type="button" className={pending > 0 ? 'btn small primary' : 'btn small'} data-testid="channel-apply" disabled={busy || pending === 0} onClick={() => onApply(draft)} title="Send the changed channels to the board">
            {busy ? 'Sending…' : pending > 0 ? `Apply (${pending})` : 'Apply'}
          </button>
        </div>
        {error && (
          <div className="form-error" role="alert" data-testid="channel-error">
            {error}
          </div>
        )}
      </div>
      {dump !== null && <DumpDialog text={dump} onClose={onCloseDump} />}
    </section>
  );
}

function DumpDialog({ text, onClose }: { text: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="help-dialog dump-dialog" aria-labelledby="dump-title" onClose={onClose} onCancel={onClose} data-testid="register-dump">
      <h2 id="dump-title">Register dump</h2>
      <pre className="dump-text">{text}</pre>
      <form method="dialog">
        <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(text).catch(() => undefined)}>
          Copy
        </button>{' '}
        <button type="submit" className="btn primary" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
