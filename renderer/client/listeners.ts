// The listener lists every EngineClient keeps (events, frames, connection state).

import { Emitter } from '../../electron/common/disposable.js';
import type { EngineEvent } from '../../electron/common/contract/commands.js';
import { decodeFrame, type SampleFrame } from '../../electron/common/contract/frames.js';

export class ClientListeners {
  readonly events = new Emitter<EngineEvent>();
  readonly frames = new Emitter<SampleFrame>();
  readonly connection = new Emitter<boolean>();

  /** A binary frame from the host: decoded (and validated) once, then handed to listeners. */
  frame(buffer: ArrayBuffer): void {
    let frame: SampleFrame;
    try {
      frame = decodeFrame(buffer);
    } catch (error) {
      this.events.fire({ type: 'error', message: `a sample frame from the engine was malformed and skipped: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    this.frames.fire(frame);
  }
}
