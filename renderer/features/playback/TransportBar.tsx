// The playback transport, under the traces while a recording plays: play / pause, the position
// and duration (m:ss.s), a timeline with the recording's events as ticks (labels when there is
// room, on hover otherwise) that seeks on click and scrubs on drag (playback pauses while the
// handle is held and resumes after), the speed (the choices of the board's speed field) and
// looping, sent as typed controlPlayback commands. Arrow keys step 1 s (Shift: 10 s).
// Positions come from the engine's status; the text shows a pending seek until the engine
// reports it, and `data-position-sec` is always the engine's own figure.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PlaybackState } from '../../../electron/common/contract/status.js';
import type { PlaybackCommand } from '../../../electron/common/contract/playback.js';
import type { BoardOptionField } from '../../../electron/common/contract/board-options.js';
import {
  PAUSE,
  RESUME,
  eventTicks,
  formatClock,
  fractionOf,
  keySeek,
  loopCommand,
  seekCommand,
  shouldGlide,
  speedCommand,
  tickNear,
  tickTitle,
  timeAtOffset,
} from './transport.js';
import { fileNameOf } from '../../ui/format.js';
import { fieldChoices, parseFieldValue } from '../../ui/option-controls.js';

interface Props {
  readonly playback: PlaybackState;
  /** The engine is streaming (else play means Start). */
  readonly streaming: boolean;
  /** The playing board's speed option (its range and words make the speed select), or null: no select. */
  readonly speedField: BoardOptionField | null;
  /** Sends a playback command; resolves false when the engine refused it (the App shows why). */
  readonly onCommand: (command: PlaybackCommand) => Promise<boolean>;
  readonly onStart: () => void;
}

/** Room a label needs on the timeline, px (a rough text width). */
function labelRoom(label: string): number {
  return Math.min(140, 6.5 * label.length + 12);
}

export function TransportBar({ playback, streaming, speedField, onCommand, onStart }: Props) {
  const duration = playback.durationSec;
  const playing = playback.playing && streaming;
  const timelineRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [drag, setDrag] = useState<number | null>(null);
  const [pendingSeek, setPendingSeek] = useState<number | null>(null);
  const [hover, setHover] = useState<{ x: number; sec: number } | null>(null);
  const dragState = useRef<{ pointerId: number; startX: number; moved: boolean; wasPlaying: boolean; pausing: Promise<boolean> } | null>(null);
  const scrub = useRef<{ inFlight: boolean; wanted: number | null }>({ inFlight: false, wanted: null });

  useLayoutEffect(() => {
    const el = timelineRef.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // a pending seek shows until the engine reports a position near it (or a second has passed)
  useEffect(() => {
    if (pendingSeek === null) return;
    const tolerance = 0.3 + (playback.speed === 'max' ? duration : playback.speed * 0.6);
    if (Math.abs(playback.positionSec - pendingSeek) <= tolerance) {
      setPendingSeek(null);
      return;
    }
    const timer = setTimeout(() => setPendingSeek(null), 1000);
    return () => clearTimeout(timer);
  }, [pendingSeek, playback.positionSec, playback.speed, duration]);

  const shownSec = drag ?? pendingSeek ?? playback.positionSec;
  const fraction = fractionOf(shownSec, duration);

  // the playhead glides between status updates while playing forward; it jumps on seeks and loops
  const lastShown = useRef(shownSec);
  const glide = drag === null && pendingSeek === null && shouldGlide(lastShown.current, shownSec, playing, playback.speed);
  useEffect(() => {
    lastShown.current = shownSec;
  }, [shownSec]);

  const ticks = useMemo(() => eventTicks(playback.events, duration, width), [playback.events, duration, width]);

  const send = useCallback((command: PlaybackCommand) => onCommand(command), [onCommand]);

  /** Seeks; while playing: pause, seek, resume (the position restarts its clock cleanly). */
  const seekTo = useCallback(
    async (sec: number, resumeAfter: boolean) => {
      setPendingSeek(sec);
      if (!(await send(seekCommand(sec)))) {
        setPendingSeek(null);
        return;
      }
      if (resumeAfter) await send(RESUME);
    },
    [send],
  );

  const scrubTo = useCallback(
    (sec: number) => {
      const s = scrub.current;
      if (s.inFlight) {
        s.wanted = sec;
        return;
      }
      s.inFlight = true;
      void send(seekCommand(sec)).finally(() => {
        s.inFlight = false;
        const next = s.wanted;
        s.wanted = null;
        if (next !== null && dragState.current) scrubTo(next);
      });
    },
    [send],
  );

  const offsetOf = (e: { clientX: number }): number => {
    const rect = timelineRef.current!.getBoundingClientRect();
    return e.clientX - rect.left;
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !(duration > 0)) return;
    e.preventDefault();
    timelineRef.current?.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    const x = offsetOf(e);
    // pause while the handle is held; the seek and the resume wait for the pause to settle
    dragState.current = { pointerId: e.pointerId, startX: x, moved: false, wasPlaying: playing, pausing: playing ? send(PAUSE) : Promise.resolve(true) };
    setDrag(timeAtOffset(x, width, duration));
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const x = offsetOf(e);
    const sec = timeAtOffset(x, width, duration);
    setHover({ x: Math.min(Math.max(0, x), width), sec });
    const d = dragState.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (!d.moved && Math.abs(x - d.startX) > 3) d.moved = true;
    if (d.moved) {
      setDrag(sec);
      void d.pausing.then(() => scrubTo(sec));
    }
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = dragState.current;
    if (!d || d.pointerId !== e.pointerId) return;
    dragState.current = null;
    const x = offsetOf(e);
    let sec = timeAtOffset(x, width, duration);
    if (!d.moved) {
      // a click on an event's tick goes to the event itself
      const tick = tickNear(ticks, x, width);
      if (tick) sec = tick.onsetSec;
    }
    setDrag(null);
    setPendingSeek(sec);
    void d.pausing.then(() => seekTo(sec, d.wasPlaying));
  };

  const onPointerCancel = () => {
    const d = dragState.current;
    dragState.current = null;
    setDrag(null);
    if (d?.wasPlaying) void d.pausing.then(() => send(RESUME));
  };

  const playPause = useCallback(() => {
    if (!streaming) onStart();
    else void send(playback.playing ? PAUSE : RESUME);
  }, [streaming, onStart, send, playback.playing]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === ' ' || e.key === 'k' || e.key === 'K') {
      e.preventDefault();
      playPause();
      return;
    }
    const target = keySeek(e.key, e.shiftKey, shownSec, duration);
    if (target === null) return;
    e.preventDefault();
    if (playing)
      void send(PAUSE).then((ok) => {
        if (ok) void seekTo(target, true);
      });
    else void seekTo(target, false);
  };

  const speedChoices = speedField ? fieldChoices(speedField, playback.speed) : null;
  const hoverTick = hover ? tickNear(ticks, hover.x, width, 6) : null;
  const status = playback.finished ? 'end' : playing ? 'playing' : 'paused';

  return (
    <section className="panel transport" data-testid="transport" aria-label="Playback" data-playing={playing} data-finished={playback.finished}>
      <button
        type="button"
        className={playing ? 'btn transport-play on' : 'btn transport-play'}
        data-testid="transport-playpause"
        onClick={playPause}
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space on the timeline)' : playback.finished ? 'Play again from the start' : 'Play'}
      >
        {playing ? (
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <rect x="3" y="2.5" width="3.5" height="11" rx="1" fill="currentColor" />
            <rect x="9.5" y="2.5" width="3.5" height="11" rx="1" fill="currentColor" />
          </svg>
        ) : (
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 2.6v10.8a.6.6 0 0 0 .9.5l8.6-5.4a.6.6 0 0 0 0-1L4.9 2.1a.6.6 0 0 0-.9.5z" fill="currentColor" />
          </svg>
        )}
      </button>
      <span className="transport-time" data-testid="transport-position" data-position-sec={playback.positionSec} data-duration-sec={duration} data-state={status} title={`${status} · ${playback.file}`}>
        <span className="transport-now">{formatClock(shownSec)}</span>
        <span className="transport-sep"> / </span>
        <span className="transport-total">{formatClock(duration)}</span>
      </span>
      <div
        ref={timelineRef}
        className={drag !== null ? 'timeline dragging' : 'timeline'}
        data-testid="transport-timeline"
        role="slider"
        tabIndex={0}
        aria-label="Position in the recording"
        aria-valuemin={0}
        aria-valuemax={Number(duration.toFixed(3))}
        aria-valuenow={Number(shownSec.toFixed(3))}
        aria-valuetext={`${formatClock(shownSec)} of ${formatClock(duration)}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      >
        <div className="timeline-labels" aria-hidden="true">
          {ticks.map((t, i) => {
            const next = ticks[i + 1];
            const room = ((next ? next.fraction : 1) - t.fraction) * width;
            const label = t.count === 1 ? t.labels[0] : `${t.labels[0]} +${t.count - 1}`;
            return room >= labelRoom(label) && ticks.length <= 60 ? (
              <span key={i} className="timeline-label" style={{ left: `${t.fraction * 100}%` }}>
                {label}
              </span>
            ) : null;
          })}
        </div>
        <div className="timeline-track">
          <div className="timeline-fill" style={{ width: `${fraction * 100}%`, transition: glide ? 'width 250ms linear' : 'none' }} />
          {ticks.map((t, i) => (
            <span key={i} className={t.count > 1 ? 'timeline-tick many' : 'timeline-tick'} style={{ left: `${t.fraction * 100}%` }} title={tickTitle(t)} data-testid="transport-event" data-label={t.labels.join(' ')} data-onset-sec={t.onsetSec} />
          ))}
          <div className="timeline-head" style={{ left: `${fraction * 100}%`, transition: glide ? 'left 250ms linear' : 'none' }} />
        </div>
        {hover && width > 0 && (
          <div className="timeline-hover" style={{ left: `${Math.min(Math.max(hover.x, 40), Math.max(40, width - 40))}px` }} aria-hidden="true">
            {hoverTick ? tickTitle(hoverTick) : formatClock(hover.sec)}
          </div>
        )}
      </div>
      {speedChoices && speedField && (
        <label className="transport-field" title="Playback speed">
          <span className="field-label">{speedField.label}</span>
          <select
            data-testid="transport-speed"
            className="compact-select"
            value={String(playback.speed)}
            onChange={(e) => {
              const command = speedCommand(parseFieldValue(speedField, e.target.value));
              if (command) void send(command);
            }}
          >
            {speedChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className={playback.loop ? 'seg-toggle on' : 'seg-toggle'} data-testid="transport-loop" aria-pressed={playback.loop} onClick={() => void send(loopCommand(!playback.loop))} title="Loop: start again at the end">
        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
          <path d="M3 7.5V6a2 2 0 0 1 2-2h7m0 0-2-2m2 2-2 2M13 8.5V10a2 2 0 0 1-2 2H4m0 0 2 2m-2-2 2-2" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Loop
      </button>
      {playback.finished && (
        <span className="transport-end" title={`${fileNameOf(playback.file)} played to its end: press play to start again`}>
          end
        </span>
      )}
    </section>
  );
}
