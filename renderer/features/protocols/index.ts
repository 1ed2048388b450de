// Protocols with their ethics approval, managed in the app: the panel (list, add, retire) and its
// hook. (The session form's picker uses ui/protocol-choices.ts.)
export { ProtocolsPanel } from './ProtocolsPanel.js';
export { useProtocols, type ProtocolsView } from './use-protocols.js';
