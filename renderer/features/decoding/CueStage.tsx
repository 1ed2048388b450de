// The cue stage: the whole window for the subject while a calibration runs. A fixation cross, the
// cue (an arrow or the class's word), or the SSVEP targets, with the run's progress small in a
// corner and Abort (or Escape). React renders the elements once; a scheduled run's frame loop
// (CueDriver) changes them in place every animation frame, so the frame that first drew a cue is
// the one that stamps its marker. Following a board's cues, the stage shows each cue as it arrives.
// While the stage is up, the workstation's single-key shortcuts are held off (Escape aborts).

import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ActiveRun } from './use-calibration.js';
import { cueSymbolOf } from './paradigm.js';
import { formatHz } from './ssvep.js';

interface Props {
  readonly run: ActiveRun;
  readonly onAbort: () => void;
}

export function CueStage({ run, onAbort }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const cueRef = useRef<HTMLDivElement>(null);
  const wordRef = useRef<HTMLDivElement>(null);
  const progressRef = useRef<HTMLSpanElement>(null);
  const targetsRef = useRef<(HTMLDivElement | null)[]>([]);
  const abortRef = useRef<HTMLButtonElement>(null);
  const onAbortRef = useRef(onAbort);
  onAbortRef.current = onAbort;
  const scheduled = run.source === 'paradigm' ? run : null;
  const ssvep = run.config.kind === 'ssvep' && run.source === 'paradigm';

  // a scheduled run: hand the elements to the frame loop
  useLayoutEffect(() => {
    if (!scheduled) return;
    return scheduled.attach({
      root: rootRef.current!,
      cue: cueRef.current,
      cueWord: wordRef.current,
      progress: progressRef.current!,
      targets: targetsRef.current.filter((t): t is HTMLDivElement => t !== null),
    });
  }, [scheduled]);

  // keys: Escape aborts; nothing else reaches the workstation's shortcuts (Tab and the Abort button still work)
  useEffect(() => {
    rootRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onAbortRef.current();
        return;
      }
      if (e.key === 'Tab' || (e.target instanceof Node && abortRef.current?.contains(e.target))) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  const board = run.source === 'board' ? run : null;
  const boardCue = board?.cue ?? null;
  // attributes and text a scheduled run's frame loop owns are never rendered by React (constant or absent)
  return (
    <div
      className={`cue-stage ${ssvep ? 'ssvep' : 'mi'}`}
      ref={rootRef}
      tabIndex={-1}
      data-testid="cue-stage"
      data-source={run.source}
      data-phase={board ? (boardCue ? 'cue' : 'fixation') : 'ready'}
      data-cue={board ? (boardCue ?? undefined) : undefined}
      role="dialog"
      aria-modal="true"
      aria-label="Calibration cues"
    >
      <div className="stage-bar">
        {board ? (
          <span className="stage-progress" data-testid="stage-progress">
            {board.progress.text} — following the board&apos;s cues
          </span>
        ) : (
          <span className="stage-progress" ref={progressRef} data-testid="stage-progress" />
        )}
        <span className="stage-hint">Esc aborts</span>
        <button type="button" className="btn stop small" ref={abortRef} onClick={() => onAbortRef.current()} data-testid="stage-abort">
          Abort
        </button>
      </div>
      {ssvep ? (
        <>
          <div className="ssvep-targets">
            {run.config.classes.map((label, t) => (
              <div key={label} className="ssvep-target-wrap">
                <div className="ssvep-target" ref={(el) => void (targetsRef.current[t] = el)} data-label={label} />
                <div className="ssvep-target-label">{targetCaption(label, run.plans?.[t]?.frequencyHz ?? Number.NaN)}</div>
              </div>
            ))}
          </div>
          <div className="stage-center ssvep-fixation">
            <div className="fixation-cross" aria-hidden="true" />
          </div>
        </>
      ) : (
        <div className="stage-center">
          <div className="fixation-cross" aria-hidden="true" />
          {board ? (
            <>
              <div className="cue-symbol" data-testid="cue-symbol">
                {boardCue ? (cueSymbolOf(boardCue) ?? '') : ''}
              </div>
              <div className="cue-word" data-testid="cue-word">
                {boardCue ?? ''}
              </div>
            </>
          ) : (
            <>
              <div className="cue-symbol" ref={cueRef} data-testid="cue-symbol" />
              <div className="cue-word" ref={wordRef} data-testid="cue-word" />
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** "30 Hz" under a target, with its class label when that says something else ("A · 30 Hz"). */
function targetCaption(label: string, frequencyHz: number): string {
  const hz = `${formatHz(frequencyHz)} Hz`;
  return label.replace(/\s+/g, '').toLowerCase() === hz.replace(/\s+/g, '').toLowerCase() ? hz : `${label} · ${hz}`;
}
