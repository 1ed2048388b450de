// The signals feature: the stacked time series, the channel list, and the view-settings hook.

export { TimeSeriesPanel, type TimeSeriesSettings } from './TimeSeriesPanel.js';
export { ChannelPanel } from './ChannelPanel.js';
export { useSignalView, type SignalView } from './use-signal-view.js';
