// The Electron main process with the `electron` module mocked: the window is created with the
// secure options, navigation and new windows are denied, and every command handler refuses
// foreign senders and malformed payloads before the engine sees them.
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, payload: unknown) => Promise<{ ok: boolean; error?: string; result?: unknown }>;

const electronFake = vi.hoisted(() => {
  // a minimal event emitter (node:events cannot be imported inside a hoisted block)
  class EventEmitter {
    private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    on(name: string, listener: (...args: never[]) => void) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener as (...args: unknown[]) => void]);
      return this;
    }
    once(name: string, listener: (...args: never[]) => void) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const l of this.listeners.get(name) ?? []) l(...args);
      return true;
    }
  }
  const handlers = new Map<string, Handler>();
  const windows: FakeWindow[] = [];
  class FakeContents extends EventEmitter {
    static nextId = 1;
    readonly id = FakeContents.nextId++;
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    posted: { channel: string; ports: unknown[] }[] = [];
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
    postMessage(channel: string, _message: unknown, ports: unknown[]) {
      this.posted.push({ channel, ports });
    }
  }
  class FakeWindow extends EventEmitter {
    static getAllWindows = () => windows;
    static fromWebContents = (contents: unknown) => windows.find((w) => w.webContents === contents) ?? null;
    readonly webContents = new FakeContents();
    loaded: { file: string; options: unknown } | undefined;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadFile(file: string, options: unknown) {
      this.loaded = { file, options };
      return Promise.resolve();
    }
    show() {}
    focus() {}
  }
  class FakePort extends EventEmitter {
    messages: unknown[] = [];
    postMessage(m: unknown) {
      this.messages.push(m);
    }
    start() {}
    close() {}
  }
  const permissionHandlers: ((c: unknown, p: string, cb: (ok: boolean) => void) => void)[] = [];
  const headerHandlers: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)[] = [];
  const app = Object.assign(new EventEmitter(), {
    enableSandbox: vi.fn(),
    whenReady: () => Promise.resolve(),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  return {
    handlers,
    windows,
    permissionHandlers,
    headerHandlers,
    module: {
      app,
      BrowserWindow: FakeWindow,
      MessageChannelMain: class {
        port1 = new FakePort();
        port2 = new FakePort();
      },
      Menu: {
        template: [] as { label?: string; submenu?: { label: string; click: () => void }[] }[],
        buildFromTemplate(t: { label?: string; submenu?: { label: string; click: () => void }[] }[]) {
          this.template = t;
          return t;
        },
        setApplicationMenu: () => {},
      },
      dialog: {
        shown: [] as unknown[],
        answer: { canceled: false, filePaths: ['/data/sub-01_eeg.bdf'] } as { canceled: boolean; filePaths: string[] },
        showOpenDialog(...args: unknown[]) {
          this.shown.push(args);
          return Promise.resolve(this.answer);
        },
      },
      webContents: { fromId: (id: number) => windows.find((w) => w.webContents.id === id)?.webContents },
      ipcMain: {
        handle: (channel: string, h: Handler) => handlers.set(channel, h),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (h: (c: unknown, p: string, cb: (ok: boolean) => void) => void) => permissionHandlers.push(h),
          setPermissionCheckHandler: () => {},
          webRequest: { onHeadersReceived: (h: (typeof headerHandlers)[number]) => headerHandlers.push(h) },
        },
      },
    },
  };
});

vi.mock('electron', () => ({ ...electronFake.module, default: electronFake.module }));

let win: { options: Record<string, unknown>; webContents: { emit(name: string, ...args: unknown[]): boolean } & { id: number; openHandler?: (d: { url: string }) => { action: string } }; loaded?: { file: string; options: unknown } };
let appUrl: string;

function senderEvent(overrides: { id?: number; url?: string; parent?: unknown } = {}) {
  return {
    sender: { id: overrides.id ?? win.webContents.id },
    senderFrame: { url: overrides.url ?? appUrl, parent: overrides.parent ?? null },
  };
}

beforeAll(async () => {
  await import('../../../electron/main/main.js');
  await new Promise((r) => setTimeout(r, 0));
  win = electronFake.windows[0] as unknown as typeof win;
  appUrl = 'file://' + (win.loaded!.file as string);
});

describe('Electron main', () => {
  it('opens one window with the secure options, on the synthetic board', () => {
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(String(prefs.preload)).toMatch(/preload[\\/]preload\.cjs$/);
    expect(win.loaded!.file).toMatch(/renderer[\\/]index\.html$/);
    expect(win.loaded!.options).toEqual({ query: { autostart: 'synthetic' } });
    expect(electronFake.module.app.enableSandbox).toHaveBeenCalled();
  });

  it('denies navigation away from the app and every new window', () => {
    const away = { preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', away, 'https://example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', home, appUrl + '?autostart=synthetic');
    expect(home.preventDefault).not.toHaveBeenCalled();
    expect(win.webContents.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('denies every permission and sets a strict CSP header', () => {
    let granted: boolean | undefined;
    electronFake.permissionHandlers[0](null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    let headers: Record<string, string[]> = {};
    electronFake.headerHandlers[0]({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toMatch(/default-src 'none'; script-src 'self'/);
  });

  it('registers one handler per command of the contract, and the open dialog', async () => {
    const { COMMAND_NAMES, ipcChannel } = await import('../../../electron/common/contract/commands.js');
    expect([...electronFake.handlers.keys()].sort()).toEqual([...COMMAND_NAMES.map(ipcChannel), 'bci:desktop:openRecordingDialog'].sort());
  });

  it('shows the native open dialog over the app window, answers the path (null when cancelled), and never for a foreign sender', async () => {
    const handler = electronFake.handlers.get('bci:desktop:openRecordingDialog')!;
    const dialog = electronFake.module.dialog;
    dialog.shown.length = 0;
    expect(await handler(senderEvent(), undefined)).toBe('/data/sub-01_eeg.bdf');
    expect(dialog.shown).toHaveLength(1);
    const [owner, options] = dialog.shown[0] as [unknown, { properties: string[]; filters: { extensions: string[] }[] }];
    expect(owner).toBe(win);
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters[0].extensions).toEqual(expect.arrayContaining(['bdf', 'edf', 'gdf', 'xdf', 'vhdr', 'csv', 'txt']));
    dialog.answer = { canceled: true, filePaths: [] };
    expect(await handler(senderEvent(), undefined)).toBeNull();
    dialog.answer = { canceled: false, filePaths: ['/data/x.bdf'] };
    expect(await handler(senderEvent({ url: 'https://evil.example/' }), undefined)).toBeNull();
    expect(await handler(senderEvent({ id: 9999 }), undefined)).toBeNull();
    expect(dialog.shown).toHaveLength(2);
  });

  it('answers a well-formed command from the app window', async () => {
    const outcome = await electronFake.handlers.get('bci:listBoards')!(senderEvent(), undefined);
    expect(outcome.ok).toBe(true);
    expect((outcome.result as { id: string }[]).map((b) => b.id)).toContain('synthetic');
  });

  it.each([
    ['another window', { id: 9999 }],
    ['a sub-frame', { parent: {} }],
    ['a foreign page', { url: 'https://evil.example/' }],
  ])('refuses a command from %s', async (_what, overrides) => {
    const outcome = await electronFake.handlers.get('bci:listBoards')!(senderEvent(overrides), undefined);
    expect(outcome).toEqual({ ok: false, kind: 'invalid-request', error: 'refused: the command did not come from the workstation window', issues: [] });
  });

  it.each([
    ['bci:connect', { board: 'synthetic', channelCount: 'many' }, /invalid connect request: channelCount/],
    ['bci:connect', 'synthetic', /invalid connect request/],
    ['bci:setPipeline', { stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 99 }] }, /invalid setPipeline request: stages\.0\.order/],
    ['bci:addMarker', { label: '' }, /invalid addMarker request: label/],
    ['bci:addMarker', { label: 'x', extra: true }, /invalid addMarker request/],
    ['bci:getStatus', { unexpected: 1 }, /invalid getStatus request/],
  ])('refuses a malformed %s payload with a sentence', async (channel, payload, message) => {
    const outcome = await electronFake.handlers.get(channel)!(senderEvent(), payload);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(message);
  });

  it('opens the assistive view as a second window from the menu; its commands are answered, and it closes cleanly', async () => {
    const item = electronFake.module.Menu.template.find((m) => m.label === 'Assistive')!.submenu!.find((i) => i.label === 'Open assistive mode')!;
    item.click();
    const second = electronFake.windows[1] as unknown as typeof win & { emit(name: string): boolean };
    expect(second.loaded!.options).toEqual({ query: { view: 'assistive' } });
    expect((second.options.webPreferences as Record<string, unknown>).sandbox).toBe(true);
    item.click(); // one at a time
    expect(electronFake.windows).toHaveLength(2);
    const outcome = await electronFake.handlers.get('bci:getAssist')!(senderEvent({ id: second.webContents.id }), undefined);
    expect(outcome).toMatchObject({ ok: true, result: { active: false } });
    second.emit('closed');
    const after = await electronFake.handlers.get('bci:getAssist')!(senderEvent({ id: second.webContents.id }), undefined);
    expect(after.ok).toBe(false);
  });

  it('hands the page a MessagePort for streams once it has loaded', () => {
    win.webContents.emit('did-finish-load');
    const posted = (win.webContents as unknown as { posted: { channel: string; ports: unknown[] }[] }).posted;
    expect(posted.at(-1)!.channel).toBe('bci:port');
    expect(posted.at(-1)!.ports).toHaveLength(1);
  });
});
