// The filters feature: the filter panel (band, notch, the pipeline the engine runs) and its hook.

export { FilterPanel } from './FilterPanel.js';
export { useFilters, type Filters } from './use-filters.js';
