// The amplifier feature (boards whose capabilities have amplifier settings or impedance): the
// channel-settings and impedance panels and their hook.

export { ChannelSettingsPanel } from './ChannelSettingsPanel.js';
export { ImpedancePanel } from './ImpedancePanel.js';
export { useAmplifier, type Amplifier, type ImpedanceRun } from './use-amplifier.js';
