// The board feature: the picker in the header (board, options, serial port, connect / start) and
// the hooks that hold the connection and list the serial ports.

export { BoardPanel } from './BoardPanel.js';
export { useBoardConnection, type BoardConnection, type BoardConnectionInput } from './use-board-connection.js';
export { useSerialPorts, type SerialPorts } from './use-serial-ports.js';
