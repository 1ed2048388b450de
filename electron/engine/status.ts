// The engine's status, assembled from an acquisition's counters: what the status bar, `bci stream`'s
// summary and every client see. Rates, losses, buffer fill and latency are measured, never assumed.

import type { RollingPercentiles } from '../common/rolling-stats.js';
import type { EngineState, EngineStatus, Percentiles } from '../common/contract/status.js';
import { isAmplifier } from './boards/driver.js';
import { hostNowMs, type Acquisition } from './acquisition.js';

const PERCENTILES = [50, 99] as const;
const NO_PERCENTILES: Percentiles = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };

function percentilesOf(p: RollingPercentiles): Percentiles {
  const [p50, p99] = p.percentiles(PERCENTILES);
  return { p50, p99, max: p.recorded ? p.max : Number.NaN };
}

export function assembleStatus(state: EngineState, a: Acquisition | undefined, pipeline: string, lastError: string | null, engineNotices: readonly string[]): EngineStatus {
  if (!a) {
    return {
      state, boardId: null, sampleRateHz: 0, channelCount: 0, rowsReceived: 0, elapsedSec: 0,
      effectiveRateHz: 0, fittedRateHz: 0, clockJitterMs: 0, deviceLostRows: 0, overflowLostRows: 0,
      bufferFill: 0, latencyMs: NO_PERCENTILES, processingMs: NO_PERCENTILES, rowsFiltered: 0, pipeline,
      lastError, recording: null, playback: null, link: null, notices: [...engineNotices], decoder: null,
    };
  }
  const elapsedMs = a.startedAtMs > 0 ? (state === 'streaming' ? hostNowMs() : a.lastPushMs) - a.startedAtMs : 0;
  return {
    state,
    boardId: a.descriptor.id,
    sampleRateHz: a.descriptor.sampleRateHz,
    channelCount: a.descriptor.channels.length,
    rowsReceived: a.rowsReceived,
    elapsedSec: elapsedMs / 1000,
    effectiveRateHz: elapsedMs > 0 ? (a.rowsReceived * 1000) / elapsedMs : 0,
    fittedRateHz: a.clock.fittedRateHz,
    clockJitterMs: a.clock.jitterMs,
    deviceLostRows: a.deviceLost,
    overflowLostRows: a.pipelineOverflow + a.rawReader.totalLostRows,
    bufferFill: Math.min(1, a.ring.maxReaderLag() / a.ring.capacityRows),
    latencyMs: percentilesOf(a.latency),
    processingMs: percentilesOf(a.processing),
    rowsFiltered: a.rowsFiltered,
    pipeline,
    lastError,
    playback: a.driver.playback ?? null,
    link: a.link,
    decoder: a.decoder?.status(percentilesOf) ?? null,
    notices: isAmplifier(a.driver) ? [...engineNotices, ...a.driver.notices] : [...engineNotices],
    recording: a.recording
      ? {
          path: a.recording.info.path,
          durationSec: a.recording.progress.rowsWritten / a.descriptor.sampleRateHz,
          lostRows: a.recording.progress.lostRows,
          annotations: a.recording.progress.annotations,
          error: a.recording.error,
        }
      : null,
  };
}
