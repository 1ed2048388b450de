// The preload exposes one method per command and nothing else (never ipcRenderer), and forwards
// the stream port to the page.
import { describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, (event: { ports: unknown[] }) => void>();
  return {
    exposed,
    invoked,
    listeners,
    module: {
      webUtils: { getPathForFile: (file: { fakePath: string }) => file.fakePath },
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: (channel: string, payload: unknown) => {
          invoked.push([channel, payload]);
          return Promise.resolve(channel === 'bci:desktop:openRecordingDialog' ? '/data/chosen.bdf' : { ok: true, result: null });
        },
        on: (channel: string, l: (event: { ports: unknown[] }) => void) => listeners.set(channel, l),
      },
    },
  };
});
vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

describe('preload', () => {
  it('exposes exactly one method per command, each invoking its own channel', async () => {
    const posted: unknown[][] = [];
    (globalThis as unknown as { window: unknown }).window = { postMessage: (...args: unknown[]) => posted.push(args) };
    await import('../../../electron/preload/preload.js');
    const { COMMAND_NAMES } = await import('../../../electron/common/contract/commands.js');
    expect(Object.keys(fake.exposed)).toEqual(['bciBridge', 'bciDesktop']);
    const bridge = fake.exposed.bciBridge as Record<string, (p?: unknown) => Promise<unknown>>;
    expect(Object.keys(bridge).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    await bridge.addMarker({ label: 'x' });
    expect(fake.invoked).toEqual([['bci:addMarker', { label: 'x' }]]);
    // the desktop bridge: the native open dialog over IPC, a dropped file's path from webUtils
    const desktop = fake.exposed.bciDesktop as { openRecordingDialog(): Promise<string | null>; pathForFile(f: unknown): string };
    expect(Object.keys(desktop).sort()).toEqual(['openRecordingDialog', 'pathForFile']);
    expect(await desktop.openRecordingDialog()).toBe('/data/chosen.bdf');
    expect(fake.invoked.at(-1)).toEqual(['bci:desktop:openRecordingDialog', undefined]);
    expect(desktop.pathForFile({ fakePath: '/data/dropped.edf' })).toBe('/data/dropped.edf');
    // the stream port from the main process is handed to the page
    const port = { fake: 'port' };
    fake.listeners.get('bci:port')!({ ports: [port] });
    expect(posted).toEqual([['bci:port', '*', [port]]]);
  });
});
