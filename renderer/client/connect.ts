// Picks the bridge: the Electron preload's when the page runs in the desktop app, else the
// WebSocket of the `bci serve` that served the page (its token comes from the page's URL).

import type { EngineClient } from './engine-client.js';
import { PreloadEngineClient, preloadBridge } from './preload-client.js';
import { WebSocketEngineClient } from './ws-client.js';

export async function connectEngineClient(): Promise<EngineClient> {
  const bridge = preloadBridge();
  if (bridge) return new PreloadEngineClient(bridge);
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('this page needs the URL that `bci serve` printed (with its ?token=…)');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return WebSocketEngineClient.connect(`${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`);
}
