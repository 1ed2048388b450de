// What an amplifier with channel settings answers, board-neutral: the settings of one channel and
// an electrode impedance reading. The engine's AmplifierBoard, the contract's command results and
// the CLI speak these; a board narrows them (the Cyton's CytonChannelSettings has its own gains and
// input types, and its lead-off test gives ImpedanceReadings).

export type { ImpedanceQuality, ImpedanceReading } from './cyton-impedance.js';

/** One channel of an ADS1299-family amplifier (on the Cyton: `x CH POWER GAIN INPUT BIAS SRB2 SRB1 X`). */
export interface AmplifierChannelSettings {
  /** Powered (on) or powered down. */
  readonly powerOn: boolean;
  /** Programmable gain (the µV scale and the physical range follow it). */
  readonly gain: number;
  /** What the channel's inputs are connected to (`normal`: the electrode). */
  readonly input: string;
  /** Included in the bias (driven-right-leg) derivation. */
  readonly bias: boolean;
  /** The N input connected to SRB2 (the common reference). */
  readonly srb2: boolean;
  /** All N inputs connected to SRB1 (board-wide). */
  readonly srb1: boolean;
}
