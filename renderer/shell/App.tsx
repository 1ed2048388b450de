// The workstation window: board picker and run controls on top, the stacked time series on the
// left (with the playback transport under it while a recording plays), record / open recording /
// filters / spectrum / band powers on the right, the measured status at the bottom. React owns
// layout and controls; samples flow client → Workstation (outside React) → uPlot.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient } from '../client/engine-client.js';
import type { BoardOptions } from '../../electron/common/contract/board-options.js';
import { DEFAULT_WINDOW_SEC, Workstation, type QualitySnapshot, type SpectrumSummary } from '../stream/workstation.js';
import { shapeOf } from '../stream/stream-model.js';
import { useEngine } from './use-engine.js';
import { errorText } from '../ui/format.js';
import { BoardPanel } from '../features/board/BoardPanel.js';
import { DEFAULT_BOARD_CHOICE, boardOptionsOf, type BoardChoice } from '../features/board/board-choice.js';
import { FilterPanel } from '../features/filters/FilterPanel.js';
import { TimeSeriesPanel, type TimeSeriesSettings } from '../features/signals/TimeSeriesPanel.js';
import { SpectrumPanel } from '../features/spectrum/SpectrumPanel.js';
import { BandPowerPanel } from '../features/spectrum/BandPowerPanel.js';
import { StatusBar } from './StatusBar.js';
import { HelpDialog } from './HelpDialog.js';
import { ChannelPanel } from '../features/signals/ChannelPanel.js';
import type { SpectrumSelection } from '../stream/spectrum-chart.js';
import { DEFAULT_FORM, formToPipeline, nextNotch, pipelineToForm, type FilterForm } from '../features/filters/filter-form.js';
import { DEFAULT_SCALE_UV, WINDOW_CHOICES_SEC, autoscaleGlobal, stepScale } from '../features/signals/scale.js';
import { parseAutostart } from '../features/board/autostart.js';
import { RecordPanel } from '../features/recording/RecordPanel.js';
import { ReplayPanel } from '../features/playback/ReplayPanel.js';
import { TransportBar } from '../features/playback/TransportBar.js';
import { useRecording } from '../features/recording/use-recording.js';
import type { PlaybackSpeed } from '../ui/playback-speeds.js';
import type { RecordingOptionsInput } from '../../electron/common/contract/session.js';
import { isAmplifierBoard } from '../ui/board-kinds.js';
import { AUTO_PORT, type SerialPortInfo } from '../features/board/serial-ports.js';
import { useAmplifier } from '../features/amplifier/use-amplifier.js';
import { ChannelSettingsPanel } from '../features/amplifier/ChannelSettingsPanel.js';
import { ImpedancePanel } from '../features/amplifier/ImpedancePanel.js';

const MemoTimeSeries = memo(TimeSeriesPanel);
const MemoSpectrum = memo(SpectrumPanel);
const MemoBands = memo(BandPowerPanel);
const MemoFilters = memo(FilterPanel);
const MemoChannels = memo(ChannelPanel);

const LAST_CONNECT_KEY = 'bci.lastConnect';

function loadLastConnect(): BoardOptions | null {
  try {
    const raw = localStorage.getItem(LAST_CONNECT_KEY);
    return raw ? (JSON.parse(raw) as BoardOptions) : null;
  } catch {
    return null;
  }
}

function saveLastConnect(options: BoardOptions): void {
  try {
    localStorage.setItem(LAST_CONNECT_KEY, JSON.stringify(options));
  } catch {
    // storage unavailable: the mains readout will show both 50 and 60 Hz after a reload
  }
}

const DEFAULT_SETTINGS: TimeSeriesSettings = { windowSec: DEFAULT_WINDOW_SEC, mode: 'sweep', globalScaleUv: DEFAULT_SCALE_UV, channelScaleUv: {}, hidden: {}, removeBaseline: true };

function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'submit';
  }
  return (el as HTMLElement).isContentEditable === true;
}

export function App({ client }: { client: EngineClient }) {
  const workstation = useMemo(() => new Workstation(), []);
  useEffect(() => () => workstation.dispose(), [workstation]);
  const engine = useEngine(client, workstation);
  const { session, state, reportError, refreshStatus } = engine;
  const descriptor = session?.descriptor ?? null;
  const shape = useMemo(() => (descriptor ? shapeOf(descriptor) : null), [descriptor]);

  // --- the stream model follows the board
  useEffect(() => workstation.configure(shape), [workstation, shape]);

  const [quality, setQuality] = useState<readonly number[]>([]);
  const [spectrum, setSpectrum] = useState<SpectrumSummary | null>(null);
  useEffect(() => {
    const a = workstation.onQuality.on((q: QualitySnapshot) => setQuality(q.flags));
    const b = workstation.onSpectrum.on(setSpectrum);
    return () => {
      a.dispose();
      b.dispose();
    };
  }, [workstation]);

  // --- filters: the form mirrors the engine's pipeline
  const [form, setForm] = useState<FilterForm>(DEFAULT_FORM);
  const [others, setOthers] = useState<readonly string[]>([]);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [filterBusy, setFilterBusy] = useState(false);
  const formRef = useRef(form);
  formRef.current = form;
  const pipelineJson = session ? JSON.stringify(session.pipeline) : '';
  const lastPipelineJson = useRef<string | null>(null);
  useEffect(() => {
    if (!session) return;
    const reading = pipelineToForm(session.pipeline, formRef.current);
    setForm(reading.form);
    setOthers(reading.others);
    if (lastPipelineJson.current !== null && lastPipelineJson.current !== pipelineJson) workstation.pipelineChanged();
    lastPipelineJson.current = pipelineJson;
  }, [pipelineJson, workstation]);

  const applyFilters = useCallback(
    (next: FilterForm) => {
      const result = formToPipeline(next);
      setForm(next);
      if (!result.ok) {
        setFilterError(result.error);
        return;
      }
      setFilterBusy(true);
      client
        .invoke('setPipeline', result.pipeline)
        .then(
          () => setFilterError(null),
          (e: unknown) => {
            setFilterError(errorText(e));
            // show what really runs again
            client.invoke('getSession').then(
              (s) => {
                const reading = pipelineToForm(s.pipeline, next);
                setForm(reading.form);
                setOthers(reading.others);
              },
              () => undefined,
            );
          },
        )
        .finally(() => setFilterBusy(false));
    },
    [client],
  );

  // --- board: choice, connect / disconnect, start / stop
  const [choice, setChoice] = useState<BoardChoice>(() => {
    const last = loadLastConnect();
    return last ? { ...DEFAULT_BOARD_CHOICE, ...definedOnly(last) } : DEFAULT_BOARD_CHOICE;
  });
  const [connectOptions, setConnectOptions] = useState<BoardOptions | null>(loadLastConnect);
  const [busy, setBusy] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (e) {
        reportError(errorText(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  const connectWith = useCallback(
    (options: BoardOptions) =>
      run(async () => {
        await client.invoke('connect', options);
        setConnectOptions(options);
        saveLastConnect(options);
        reportError(null);
      }),
    [client, run],
  );

  const connect = useCallback(() => void connectWith(boardOptionsOf(choice)), [choice, connectWith]);

  // --- serial ports, listed while a serial board (Cyton) is chosen
  const [ports, setPorts] = useState<readonly SerialPortInfo[]>([]);
  const [portsBusy, setPortsBusy] = useState(false);
  const serialChosen = isAmplifierBoard(choice.board);
  const refreshPorts = useCallback(() => {
    setPortsBusy(true);
    client
      .invoke('listPorts')
      .then(
        (list) => setPorts(list),
        (e: unknown) => reportError(`could not list the serial ports: ${errorText(e)}`),
      )
      .finally(() => setPortsBusy(false));
  }, [client]);
  useEffect(() => {
    if (serialChosen && engine.bridgeConnected) refreshPorts();
  }, [serialChosen, engine.bridgeConnected, refreshPorts]);

  // --- amplifier (Cyton): channel settings and impedance
  const amplifier = useAmplifier(client, descriptor, state, refreshStatus);

  // --- recording: the status carries its progress; stop hands back the summary
  const recording = useRecording(client, workstation, state, engine.status, refreshStatus);
  const recordingRef = useRef(recording);
  recordingRef.current = recording;
  const startRecording = useCallback((options: RecordingOptionsInput) => void recordingRef.current.start(options), []);
  const stopRecording = useCallback(() => void recordingRef.current.stop(), []);

  // a recording in progress is completed (and its summary shown) before the board goes away
  const disconnect = useCallback(
    () =>
      void run(async () => {
        if (recordingRef.current.active) await recordingRef.current.stop();
        await client.invoke('disconnect');
      }),
    [client, run],
  );

  const startStop = useCallback(() => {
    const s = stateRef.current;
    if (s === 'streaming') void run(() => client.invoke('stop'));
    else if (s === 'connected') void run(() => client.invoke('start'));
  }, [client, run]);

  // ?autostart=synthetic[&channels=N&rate=HZ]: connect (if idle) and start, once
  const autostarted = useRef(false);
  useEffect(() => {
    if (autostarted.current || engine.sessionSerial === 0 || !session) return;
    autostarted.current = true;
    const request = parseAutostart(location.search);
    if (!request) return;
    void (async () => {
      if (session.state === 'idle') {
        const options = request.options;
        if (options.board === 'synthetic') setChoice((c) => ({ ...c, ...definedOnly(options) }));
        if (!(await connectWith(options))) return;
      }
      if (session.state !== 'streaming') await run(() => client.invoke('start'));
    })();
  }, [engine.sessionSerial, session, client, connectWith, run]);

  // reflect the connected board in the picker
  useEffect(() => {
    if (!descriptor) return;
    setChoice((c) => ({ ...c, board: descriptor.id, ...(descriptor.id === 'synthetic' ? { channelCount: descriptor.channels.length, sampleRateHz: descriptor.sampleRateHz } : {}) }));
  }, [descriptor]);

  // --- open recording: the playback board on a file, started at once; then the transport bar
  const [replayPath, setReplayPath] = useState(() => loadLastConnect()?.file ?? '');
  const [replaySpeed, setReplaySpeed] = useState<PlaybackSpeed>(1);
  const [replayLoop, setReplayLoop] = useState(false);
  const [replayBusy, setReplayBusy] = useState(false);
  const [replayError, setReplayError] = useState<string | null>(null);
  const openRecording = useCallback(async () => {
    const file = replayPath.trim();
    if (!file) return;
    if (recordingRef.current.active) {
      setReplayError('Stop the recording before opening another file.');
      return;
    }
    setReplayBusy(true);
    setReplayError(null);
    try {
      if (stateRef.current !== 'idle') await client.invoke('disconnect');
      const options: BoardOptions = { board: 'playback', file, speed: replaySpeed, loop: replayLoop };
      await client.invoke('connect', options);
      setConnectOptions(options);
      saveLastConnect(options);
      setChoice((c) => ({ ...c, board: 'playback', file, speed: replaySpeed, loop: replayLoop }));
      await client.invoke('start');
      reportError(null);
    } catch (e) {
      setReplayError(errorText(e));
    } finally {
      setReplayBusy(false);
      refreshStatus();
    }
  }, [client, replayPath, replaySpeed, replayLoop, refreshStatus]);
  const replayThis = useCallback((path: string) => {
    setReplayPath(path);
    setReplayError(null);
  }, []);

  const playback = state !== 'idle' && descriptor?.id === 'playback' ? (engine.status?.playback ?? null) : null;
  const playbackCommand = useCallback(
    async (command: string): Promise<boolean> => {
      try {
        await client.invoke('configureBoard', { command });
        return true;
      } catch (e) {
        reportError(errorText(e));
        return false;
      } finally {
        refreshStatus();
      }
    },
    [client, refreshStatus],
  );
  const startPlayback = useCallback(() => void run(() => client.invoke('start')), [client, run]);

  const mainsHz: 50 | 60 | null = descriptor && connectOptions && connectOptions.board === descriptor.id && descriptor.id === 'synthetic' ? (connectOptions.mainsHz ?? 50) : null;

  // --- time-series view
  const [settings, setSettings] = useState<TimeSeriesSettings>(DEFAULT_SETTINGS);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const shapeKey = shape ? `${shape.channelCount}:${shape.labels.join(',')}` : '';
  useEffect(() => {
    // a different montage: per-channel settings no longer apply
    setSettings((s) => ({ ...s, channelScaleUv: {}, hidden: {} }));
    setSpectrumSelection('all');
  }, [shapeKey]);

  const changeSettings = useCallback((change: Partial<TimeSeriesSettings>) => setSettings((s) => ({ ...s, ...change })), []);
  const setHidden = useCallback((hidden: Record<number, boolean>) => setSettings((s) => ({ ...s, hidden })), []);
  const resetScales = useCallback(() => setSettings((s) => ({ ...s, channelScaleUv: {} })), []);
  const globalScaleStep = useCallback((steps: number) => setSettings((s) => ({ ...s, globalScaleUv: stepScale(s.globalScaleUv, steps) })), []);
  const channelScaleStep = useCallback(
    (channel: number, steps: number) =>
      setSettings((s) => {
        const current = s.channelScaleUv[channel] ?? s.globalScaleUv;
        return { ...s, channelScaleUv: { ...s.channelScaleUv, [channel]: stepScale(current, steps) } };
      }),
    [],
  );
  const autoscale = useCallback(() => {
    const buffer = workstation.model.timeSeries;
    if (!buffer) return;
    const s = settingsRef.current;
    const p2p: number[] = [];
    for (let c = 0; c < buffer.channelCount; c++) if (!s.hidden[c] && quality[c] === 0) p2p.push(buffer.peakToPeak(c));
    const scale = autoscaleGlobal(p2p);
    if (scale !== null) setSettings((old) => ({ ...old, globalScaleUv: scale, channelScaleUv: {} }));
  }, [workstation, quality]);

  const markerCount = useRef(0);
  const addMarker = useCallback(() => {
    if (stateRef.current !== 'streaming') return;
    markerCount.current++;
    client.invoke('addMarker', { label: `M${markerCount.current}` }).catch((e: unknown) => reportError(errorText(e)));
  }, [client]);

  const [spectrumSelection, setSpectrumSelection] = useState<SpectrumSelection>('all');
  const visible = useMemo(() => {
    const v: number[] = [];
    for (let c = 0; c < (shape?.channelCount ?? 0); c++) if (!settings.hidden[c]) v.push(c);
    return v;
  }, [shape, settings.hidden]);
  const visibleKey = visible.join(',');
  const stableVisible = useMemo(() => visible, [visibleKey]);
  const goodCount = visible.filter((c) => !quality[c]).length || visible.length;
  const bandSubject = typeof spectrumSelection === 'number' ? (shape?.labels[spectrumSelection] ?? '') : `mean of ${goodCount} channel${goodCount === 1 ? '' : 's'}`;

  // --- keyboard
  const [helpOpen, setHelpOpen] = useState(false);
  const keyActions = useRef({ startStop, applyFilters, globalScaleStep, channelScaleStep, autoscale, addMarker });
  keyActions.current = { startStop, applyFilters, globalScaleStep, channelScaleStep, autoscale, addMarker };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (isTextEntry(target) || target?.closest('dialog')) return;
      const a = keyActions.current;
      const channelAttr = target?.getAttribute('data-channel');
      const focusedChannel = channelAttr === null || channelAttr === undefined ? null : Number(channelAttr);
      switch (e.key) {
        case ' ':
          // a focused button or checkbox takes Space itself
          if (target && target.closest('button, summary, input, a')) return;
          e.preventDefault();
          a.startStop();
          break;
        case 'n':
        case 'N':
          a.applyFilters({ ...formRef.current, notch: nextNotch(formRef.current.notch) });
          break;
        case '+':
        case '=':
          if (focusedChannel !== null) a.channelScaleStep(focusedChannel, -1);
          else a.globalScaleStep(-1);
          break;
        case '-':
        case '_':
          if (focusedChannel !== null) a.channelScaleStep(focusedChannel, 1);
          else a.globalScaleStep(1);
          break;
        case 'a':
        case 'A':
          a.autoscale();
          break;
        case 'm':
        case 'M':
          a.addMarker();
          break;
        case 'w':
        case 'W':
          setSettings((s) => ({ ...s, windowSec: WINDOW_CHOICES_SEC[(WINDOW_CHOICES_SEC.indexOf(s.windowSec) + 1) % WINDOW_CHOICES_SEC.length] }));
          break;
        case 's':
        case 'S':
          setSettings((s) => ({ ...s, mode: s.mode === 'sweep' ? 'scroll' : 'sweep' }));
          break;
        case '?':
          setHelpOpen(true);
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const dismissError = useCallback(() => reportError(null), [reportError]);
  const openHelp = useCallback(() => setHelpOpen(true), []);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand" aria-label="BCI Workstation">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">BCI Workstation</span>
        </div>
        <BoardPanel
          boards={engine.boards}
          choice={choice}
          onChoice={setChoice}
          state={state}
          connectedName={descriptor?.name ?? null}
          busy={busy}
          bridgeConnected={engine.bridgeConnected}
          onConnect={connect}
          onDisconnect={disconnect}
          onStartStop={startStop}
          ports={ports}
          portsBusy={portsBusy}
          onRefreshPorts={refreshPorts}
        />
        <button type="button" className="btn icon help-button" onClick={openHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <main className="app-main">
        <div className="main-column">
          <MemoTimeSeries
            workstation={workstation}
            shape={shape}
            settings={settings}
            quality={quality}
            streaming={state === 'streaming'}
            canMark={state === 'streaming'}
            recording={recording.active !== null}
            onSettings={changeSettings}
            onGlobalScaleStep={globalScaleStep}
            onChannelScaleStep={channelScaleStep}
            onAutoscale={autoscale}
            onMarker={addMarker}
          />
          {playback && <TransportBar playback={playback} streaming={state === 'streaming'} onCommand={playbackCommand} onStart={startPlayback} />}
        </div>
        <aside className="sidebar">
          {amplifier.available && (
            <>
              <ImpedancePanel labels={amplifier.labels} readings={amplifier.readings} measuring={amplifier.measuring} error={amplifier.impedanceError} disabled={!engine.bridgeConnected || amplifier.settingsBusy} onMeasure={amplifier.measure} />
              <ChannelSettingsPanel
                labels={amplifier.labels}
                confirmed={amplifier.confirmed}
                fromBoard={amplifier.fromBoard}
                busy={amplifier.settingsBusy || amplifier.measuring !== null || !engine.bridgeConnected}
                error={amplifier.settingsError}
                dump={amplifier.dump}
                onApply={amplifier.apply}
                onReset={amplifier.reset}
                onDump={amplifier.readDump}
                onCloseDump={amplifier.closeDump}
              />
            </>
          )}
          <RecordPanel
            state={state}
            bridgeConnected={engine.bridgeConnected}
            active={recording.active}
            summary={recording.summary}
            error={recording.error}
            busy={recording.busy}
            markers={recording.markers}
            onRecord={startRecording}
            onStop={stopRecording}
            onDismissSummary={recording.dismissSummary}
            onClearError={recording.clearError}
            onReplay={replayThis}
          />
          <ReplayPanel
            path={replayPath}
            speed={replaySpeed}
            loop={replayLoop}
            onPath={setReplayPath}
            onSpeed={setReplaySpeed}
            onLoop={setReplayLoop}
            busy={replayBusy}
            error={replayError}
            blocked={!engine.bridgeConnected ? 'The bridge to the engine is down.' : recording.active ? 'Stop the recording before opening a file.' : null}
            playingFile={playback?.file ?? null}
            onOpen={() => void openRecording()}
          />
          <MemoFilters form={form} others={others} active={session?.pipeline ?? null} error={filterError} busy={filterBusy} sampleRateHz={descriptor?.sampleRateHz ?? null} onApply={applyFilters} />
          <MemoSpectrum workstation={workstation} shape={shape} visible={stableVisible} selection={spectrumSelection} onSelection={setSpectrumSelection} summary={spectrum} mainsHz={mainsHz} />
          <MemoBands summary={spectrum} subject={bandSubject} />
          <MemoChannels shape={shape} hidden={settings.hidden} quality={quality} hasOwnScales={Object.keys(settings.channelScaleUv).length > 0} onHidden={setHidden} onResetScales={resetScales} />
        </aside>
      </main>
      <StatusBar
        state={state}
        status={engine.status}
        boardName={descriptor?.name ?? null}
        channelCount={descriptor?.channels.length ?? 0}
        bridgeConnected={engine.bridgeConnected}
        bridgeKind={client.kind}
        recordingSec={recording.active ? recording.active.durationSec : null}
        lastError={engine.lastError}
        onDismissError={dismissError}
        onHelp={openHelp}
      />
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

/** The defined fields of board options that the picker shows. */
function definedOnly(options: BoardOptions): Partial<BoardChoice> {
  const out: { -readonly [K in keyof BoardChoice]?: BoardChoice[K] } = { board: options.board };
  if (options.channelCount !== undefined) out.channelCount = options.channelCount;
  if (options.sampleRateHz !== undefined) out.sampleRateHz = options.sampleRateHz;
  if (options.mode !== undefined) out.mode = options.mode;
  if (options.mainsHz !== undefined) out.mainsHz = options.mainsHz;
  if (options.file !== undefined) out.file = options.file;
  if (options.speed !== undefined) out.speed = options.speed;
  if (options.loop !== undefined) out.loop = options.loop;
  if (options.port !== undefined) {
    // a remembered path that is not "auto" shows in the typed field until the list has it
    out.port = options.port;
    out.customPort = false;
  } else if (isAmplifierBoard(options.board)) {
    out.port = AUTO_PORT;
  }
  return out;
}
