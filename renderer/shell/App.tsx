// The workstation window, layout only: board picker and run controls on top, the stacked time
// series on the left (with the playback transport under it while a recording plays, and the online
// decoder's probabilities while one runs), amplifier / record / open recording / decoding / filters /
// spectrum / band powers / channels on the right, the measured status at the bottom, and the cue
// stage over everything while a calibration runs. Each feature's hook holds its state; App wires
// them to the panels. Samples flow client → Workstation (outside React) → uPlot.

import { memo, useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { EngineClient } from '../client/engine-client.js';
import { Workstation } from '../stream/workstation.js';
import { shapeOf } from '../stream/stream-model.js';
import { BoardPanel, useBoardConnection, useSerialPorts } from '../features/board/index.js';
import { ChannelSettingsPanel, ImpedancePanel, useAmplifier } from '../features/amplifier/index.js';
import { ChannelPanel, TimeSeriesPanel, useSignalView } from '../features/signals/index.js';
import { BandPowerPanel, SpectrumPanel, useSpectrum } from '../features/spectrum/index.js';
import { FilterPanel, useFilters } from '../features/filters/index.js';
import { RecordPanel, SESSION_FORM_KEY, calibrationRecordingOptions, useRecording } from '../features/recording/index.js';
import { ReplayPanel, TransportBar, seekCommand, usePlayback } from '../features/playback/index.js';
import { EventListPanel, useEventLog, useMarkers } from '../features/events/index.js';
import { LslPanel, useLslOutlets } from '../features/lsl/index.js';
import { CalibrationPanel, CueStage, OnlineView, boardCueMode, useCalibration, useDecoder, type CalibrationRecorder } from '../features/decoding/index.js';
import { PredictionHistory } from '../stream/prediction-history.js';
import { AssistBanner } from '../features/assistive/index.js';
import { AlertBanner, AlertRulesPanel, ChecklistPanel, overrideChannels, useAlertRules, useSafety } from '../features/safety/index.js';
import { ProtocolsPanel, useProtocols } from '../features/protocols/index.js';
import { ViewPanels } from '../features/views/index.js';
import { MontagePanel, useMontage } from '../features/montage/index.js';
import { LibraryDialog, useLibrary } from '../features/library/index.js';
import { desktopBridge } from '../client/desktop.js';
import { errorText } from '../ui/format.js';
import type { RecordingOptionsInput } from '../../electron/common/contract/session.js';
import { useEngine } from './use-engine.js';
import { useHotkeys } from './use-hotkeys.js';
import { StatusBar } from './StatusBar.js';
import { HelpDialog } from './HelpDialog.js';

const MemoTimeSeries = memo(TimeSeriesPanel);
const MemoSpectrum = memo(SpectrumPanel);
const MemoBands = memo(BandPowerPanel);
const MemoFilters = memo(FilterPanel);
const MemoChannels = memo(ChannelPanel);

/** The session a calibration records itself with: the session form as it stands (else its remembered fields), in mode calibration. */
function calibrationSession(live: RecordingOptionsInput | null) {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(SESSION_FORM_KEY);
  } catch {
    // storage unavailable: the defaults
  }
  return calibrationRecordingOptions(stored, live);
}

export function App({ client }: { client: EngineClient }) {
  const workstation = useMemo(() => new Workstation(), []);
  useEffect(() => () => workstation.dispose(), [workstation]);
  const engine = useEngine(client, workstation);
  const { snapshot, state, reportError, refreshStatus } = engine;
  const descriptor = snapshot?.descriptor ?? null;
  const shape = useMemo(() => (descriptor ? shapeOf(descriptor) : null), [descriptor]);
  // the stream model follows the board
  useEffect(() => workstation.configure(shape), [workstation, shape]);

  const signals = useSignalView(workstation, shape);
  const spectrum = useSpectrum(workstation, shape, signals.visible, signals.quality);
  const filters = useFilters(client, snapshot, workstation);
  const lsl = useLslOutlets(client, engine.snapshotSerial);
  const recording = useRecording(client, workstation, state, engine.status, refreshStatus);
  const { boards, connectedBoard } = engine;
  const board = useBoardConnection({ client, snapshot, state, descriptor, boards, connectedBoard, snapshotSerial: engine.snapshotSerial, reportError, beforeDisconnect: recording.finish });
  const ports = useSerialPorts(client, board.chosen?.capabilities.connection === 'serial-port', engine.bridgeConnected, reportError);
  const amplifier = useAmplifier(client, descriptor, connectedBoard?.capabilities ?? null, state, refreshStatus);
  const replay = usePlayback({
    client,
    state,
    boards,
    connectedBoard,
    status: engine.status,
    bridgeConnected: engine.bridgeConnected,
    recordingActive: recording.active !== null,
    initialPath: board.remembered?.file ?? '',
    onConnected: board.adoptConnection,
    reportError,
    refreshStatus,
  });
  const { addMarker } = useMarkers(client, state, reportError);
  // the Marker button's click is not a label: it adds the next M1, M2, …
  const addNextMarker = useCallback(() => addMarker(), [addMarker]);
  const events = useEventLog(workstation, descriptor?.sampleRateHz ?? null, descriptor ? `${descriptor.id}|${descriptor.channels.length}|${descriptor.sampleRateHz}` : '', engine.status);
  const hotkeyLabels = events.hotkeys;
  // an event of a replay: its place in the file (a looping replay's sample indices run on past the end)
  const playbackDuration = replay.playback?.durationSec ?? null;
  const replayCommand = replay.command;
  const seekEvent = useMemo(
    () => (playbackDuration !== null && playbackDuration > 0 ? (timeSec: number) => void replayCommand(seekCommand(timeSec % playbackDuration)) : null),
    [playbackDuration, replayCommand],
  );
  const addHotkeyMarker = useCallback((index: number) => addMarker(hotkeyLabels[index]), [addMarker, hotkeyLabels]);
  const boardInfo = useMemo(() => engine.boards.find((b) => b.id === descriptor?.id), [engine.boards, descriptor]);
  // the board that takes an LSL stream (found by its connection kind: the renderer names no board id)
  // the site's mains (the session form's) where the board has none of its own: one setting for the spectrum and the recording
  const [formMains, setFormMains] = useState<50 | 60>(50);
  const lslBoard = useMemo(() => boards.find((b) => b.capabilities.connection === 'lsl-stream' && b.unavailable === undefined), [boards]);
  const cueMode = useMemo(() => boardCueMode(boardInfo, board.options), [boardInfo, board.options]);
  const boardKey = descriptor ? `${descriptor.id}|${descriptor.sampleRateHz}|${descriptor.channels.length}|${JSON.stringify(board.options)}` : '';
  const calibration = useCalibration({ client, workstation, state, sampleRateHz: descriptor?.sampleRateHz ?? null, boardCues: cueMode !== null, boardKey, bridgeConnected: engine.bridgeConnected });
  // the cue stage covers the window: leave its frames to it
  const calibrating = calibration.active !== null;
  useEffect(() => {
    workstation.drawingSuspended = calibrating;
  }, [workstation, calibrating]);
  // class probabilities of an online decoder, outside React (filled from prediction frames by useDecoder)
  const predictions = useMemo(() => new PredictionHistory(), []);
  const [sessionOptions, setSessionOptions] = useState<RecordingOptionsInput | null>(null);
  const recorder: CalibrationRecorder = { activePath: recording.active?.path ?? null, start: recording.start, stop: recording.stop, options: () => calibrationSession(sessionOptions) };
  const { actions: decoder, startCalibration } = useDecoder({ client, workstation, state, calibration, recorder, predictions });

  const safety = useSafety(client, state, sessionOptions, reportError);
  // the session form's data folder holds the protocols and the site settings (alert rules)
  const [formDataDir, setFormDataDir] = useState('');
  const protocols = useProtocols(client, formDataDir, engine.bridgeConnected);
  const alertRules = useAlertRules(client, formDataDir, engine.bridgeConnected);
  const impedanceOverride = amplifier.impedanceAvailable ? { channels: overrideChannels(amplifier.labels, amplifier.readings, alertRules.rules?.impedanceMaxKOhm ?? 50), onOverride: safety.overrideImpedance, disabled: !engine.bridgeConnected } : null;
  const channelLabels = useMemo(() => descriptor?.channels.map((c) => c.label) ?? [], [descriptor]);
  const montage = useMontage(client, descriptor, snapshot?.montage ?? null, state, engine.bridgeConnected, recording.active !== null);

  // the recordings library (the data folder of the session form), the desktop app's open dialog and dropped files
  const library = useLibrary(client, sessionOptions?.dataDir);
  const [libraryOpen, setLibraryOpen] = useState(false);
  const desktop = useMemo(() => desktopBridge(), []);
  const openFile = replay.openFile;
  const openFromLibrary = useCallback(
    (path: string) => {
      setLibraryOpen(false);
      openFile(path);
    },
    [openFile],
  );
  const browse = useMemo(
    () =>
      desktop
        ? () => {
            desktop.openRecordingDialog().then(
              (path) => {
                if (path !== null) openFromLibrary(path);
              },
              (e: unknown) => reportError(errorText(e)),
            );
          }
        : null,
    [desktop, openFromLibrary, reportError],
  );
  const dropFile = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const file = event.dataTransfer.files[0];
      if (!file) return;
      event.preventDefault();
      const path = desktop?.pathForFile(file) ?? '';
      if (path !== '') openFromLibrary(path);
      else reportError(`${file.name} cannot be opened by dropping it here: a browser page never learns a file's path. Open it from the library (the data folder on the engine's machine), or type its path under Open recording.`);
    },
    [desktop, openFromLibrary, reportError],
  );
  const allowDrop = useCallback((event: DragEvent<HTMLDivElement>) => {
    if (event.dataTransfer.types.includes('Files')) event.preventDefault();
  }, []);

  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  useHotkeys({ startStop: board.startStop, cycleNotch: filters.cycleNotch, globalScaleStep: signals.globalScaleStep, channelScaleStep: signals.channelScaleStep, autoscale: signals.autoscale, addMarker: addNextMarker, addHotkeyMarker, cycleWindow: signals.cycleWindow, toggleMode: signals.toggleMode, openHelp });
  const dismissError = useCallback(() => reportError(null), [reportError]);

  return (
    <div className="app" onDragOver={allowDrop} onDrop={dropFile}>
      <header className="app-header">
        <div className="brand" aria-label="BCI Workstation">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">BCI Workstation</span>
        </div>
        <BoardPanel
          boards={boards}
          choice={board.choice}
          onChoice={board.setChoice}
          state={state}
          connectedName={descriptor?.name ?? null}
          busy={board.busy}
          bridgeConnected={engine.bridgeConnected}
          onConnect={board.connect}
          onDisconnect={board.disconnect}
          onStartStop={board.startStop}
          ports={ports.ports}
          portsBusy={ports.busy}
          onRefreshPorts={ports.refresh}
        />
        <button type="button" className="btn small library-button" data-testid="open-library" onClick={() => setLibraryOpen(true)} title="The data folder's recordings: open, verify, repair" aria-label="Recordings library">
          Library
        </button>
        <button type="button" className="btn icon help-button" onClick={openHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
        <AssistBanner client={client} />
      </header>
      <main className="app-main">
        <div className="main-column">
          <AlertBanner alerts={safety.alerts} cues={safety.cues} onAcknowledge={safety.acknowledge} />
          <MemoTimeSeries
            workstation={workstation}
            shape={shape}
            settings={signals.settings}
            quality={signals.quality}
            streaming={state === 'streaming'}
            canMark={state === 'streaming'}
            recording={recording.active !== null}
            onSettings={signals.change}
            onGlobalScaleStep={signals.globalScaleStep}
            onChannelScaleStep={signals.channelScaleStep}
            onAutoscale={signals.autoscale}
            onMarker={addNextMarker}
          />
          {replay.playback && <TransportBar playback={replay.playback} streaming={state === 'streaming'} speedField={replay.transportSpeedField} onCommand={replay.command} onStart={board.start} />}
          {decoder.online && <OnlineView history={predictions} cue={calibration.currentCue} onStop={decoder.onGoOffline} />}
        </div>
        <aside className="sidebar">
          {amplifier.impedanceAvailable && (
            <ImpedancePanel labels={amplifier.labels} readings={amplifier.readings} measuring={amplifier.measuring} error={amplifier.impedanceError} disabled={!engine.bridgeConnected || amplifier.settingsBusy} onMeasure={amplifier.measure} />
          )}
          {amplifier.available && (
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
          )}
          <ChecklistPanel checklist={safety.checklist} enforced={safety.enforced} onEnforced={safety.setEnforced} override={impedanceOverride} />
          <RecordPanel
            state={state}
            appliedMontage={snapshot?.montage ?? null}
            onOptions={setSessionOptions}
            blockedBy={safety.enforced ? (safety.checklist?.red ?? ['Checklist']) : null}
            bridgeConnected={engine.bridgeConnected}
            active={recording.active}
            summary={recording.summary}
            error={recording.error}
            busy={recording.busy}
            markers={recording.markers}
            onRecord={recording.start}
            onStop={recording.stop}
            onDismissSummary={recording.dismissSummary}
            onClearError={recording.clearError}
            onReplay={replay.replayThis}
            boardMainsHz={board.mainsHz}
            onMains={setFormMains}
            onDataDir={setFormDataDir}
            protocols={protocols.protocols}
            requireProtocol={protocols.requireProtocol}
          />
          <ProtocolsPanel view={protocols} disabled={!engine.bridgeConnected} />
          <AlertRulesPanel view={alertRules} disabled={!engine.bridgeConnected} />
          <LslPanel
            state={lsl.state}
            error={lsl.error}
            busy={lsl.busy}
            disabled={!engine.bridgeConnected}
            onToggle={lsl.toggle}
            streams={lsl.streams}
            searching={lsl.searching}
            onSearch={lsl.search}
            canUseAsBoard={state === 'idle' && lslBoard !== undefined}
            onUseAsBoard={(selector) => {
              if (lslBoard?.capabilities.connectionField) board.setChoice({ ...board.choice, board: lslBoard.id, values: { ...board.choice.values, [lslBoard.capabilities.connectionField]: selector } });
            }}
            canTakeMarkers={state !== 'idle'}
            onTakeMarkers={lsl.takeMarkers}
            takenMarkers={lsl.takenMarkers}
          />
          <ReplayPanel
            path={replay.path}
            speedField={replay.speedField}
            speed={replay.speed}
            loopField={replay.loopField}
            loop={replay.loop}
            onPath={replay.setPath}
            onSpeed={replay.setSpeed}
            onLoop={replay.setLoop}
            busy={replay.busy}
            error={replay.error}
            blocked={replay.blocked}
            playingFile={replay.playback?.file ?? null}
            onOpen={replay.open}
            onLibrary={() => setLibraryOpen(true)}
            onBrowse={browse}
          />
          <EventListPanel log={events.log} hotkeyText={events.hotkeyText} onHotkeyText={events.setHotkeyText} onSeek={seekEvent} onClear={events.clear} />
          <CalibrationPanel
            settings={calibration.settings}
            onSettings={calibration.setSettings}
            config={calibration.config}
            problems={calibration.problems}
            streaming={state === 'streaming' && engine.bridgeConnected}
            active={calibration.active}
            progress={calibration.progress}
            markersSent={calibration.markersSent}
            markersPlaced={calibration.markersPlaced}
            recentCues={calibration.recentCues}
            result={calibration.result}
            error={calibration.error}
            refreshHz={calibration.refreshHz}
            boardCueMode={cueMode}
            boardCueLabels={calibration.boardCueLabels}
            sampleRateHz={descriptor?.sampleRateHz ?? null}
            onStart={startCalibration}
            onAbort={calibration.abort}
            decoder={decoder}
          />
          <MemoFilters form={filters.form} others={filters.others} active={snapshot?.pipeline ?? null} error={filters.error} busy={filters.busy} sampleRateHz={descriptor?.sampleRateHz ?? null} onApply={filters.apply} />
          <MemoSpectrum workstation={workstation} shape={shape} visible={signals.visible} selection={spectrum.selection} onSelection={spectrum.setSelection} summary={spectrum.summary} mainsHz={board.mainsHz ?? formMains} />
          <MemoBands summary={spectrum.summary} subject={spectrum.subject} />
          <ViewPanels client={client} descriptor={descriptor} labels={channelLabels} quality={safety.quality} />
          <MontagePanel editor={montage} disabled={!engine.bridgeConnected} />
          <MemoChannels shape={shape} hidden={signals.settings.hidden} quality={signals.quality} hasOwnScales={Object.keys(signals.settings.channelScaleUv).length > 0} onHidden={signals.setHidden} onResetScales={signals.resetScales} />
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
      />
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      {libraryOpen && <LibraryDialog library={library} onOpen={openFromLibrary} openBlocked={replay.blocked} onBrowse={browse} onClose={() => setLibraryOpen(false)} />}
      {calibration.active && <CueStage run={calibration.active} onAbort={calibration.abort} />}
    </div>
  );
}
