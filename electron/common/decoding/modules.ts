// The decoders built into the workstation: one line per decoder module, re-exported by name. The
// registry (registry.ts) takes every export of this file, so adding a decoder is adding its line:
//   export { cspLdaModule } from './csp-lda.js';
// Everything exported here must be a DecoderModule (the registry's type check says so).

export { cspLda } from './csp-lda.js';
export { tangentLr } from './tangent-lr.js';
export { linearAdamW } from './linear-adamw.js';
export { ssvepCca } from './cca.js';
export { fbcca } from './fbcca.js';
