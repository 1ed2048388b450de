// Which boards are serial amplifiers (Cyton, Cyton+Daisy): the board picker shows a port for
// them and the amplifier feature its channel settings and impedance. Shared by both features
// until the engine's board list says what each board can do.

export const AMPLIFIER_BOARDS: readonly string[] = Object.freeze(['cyton', 'cyton-daisy']);

/** Boards with a serial port and amplifier settings (the port picker, channel settings, impedance). */
export function isAmplifierBoard(boardId: string | null | undefined): boolean {
  return boardId !== null && boardId !== undefined && AMPLIFIER_BOARDS.includes(boardId);
}
