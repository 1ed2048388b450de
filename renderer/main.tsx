// Renderer entry: picks the bridge to the engine (the Electron preload's, or `bci serve`'s
// WebSocket) and mounts the workstation.
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import 'uplot/dist/uPlot.min.css';
import './shell/styles.css';
import { App } from './shell/App.js';
import { connectEngineClient } from './client/connect.js';
import { AssistiveView } from './features/assistive/index.js';

// the renderer checks board options and transport commands with the contract's zod schemas; the
// page's Content-Security-Policy forbids eval, so zod must not compile parsers (nor probe for it:
// the probe alone is reported as a CSP violation)
z.config({ jitless: true });

const root = createRoot(document.getElementById('root')!);
connectEngineClient().then(
  // `?view=assistive`: the full-screen assistive view (a second screen, a tablet, the app's second window)
  (client) => root.render(new URLSearchParams(location.search).get('view') === 'assistive' ? <AssistiveView client={client} /> : <App client={client} />),
  (error: unknown) => root.render(<p className="fatal">Cannot reach the engine: {error instanceof Error ? error.message : String(error)}</p>),
);
