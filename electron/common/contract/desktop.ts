// What only the desktop app can do for the page, beside the engine's commands: the native open
// dialog and the path of a file dropped on the window (a web page never learns a local path, so the
// browser twin opens recordings from the library instead). Exposed by the preload as `bciDesktop`.

export const DESKTOP_GLOBAL = 'bciDesktop';

/** The IPC channel of the native "Open recording" dialog (answers a path, or null when cancelled). */
export const OPEN_RECORDING_DIALOG = 'bci:desktop:openRecordingDialog';

/** The extensions the dialog offers: what the readers open (replay, Open recording). */
export const RECORDING_FILE_EXTENSIONS = ['bdf', 'edf', 'gdf', 'xdf', 'vhdr', 'ahdr', 'txt', 'csv'] as const;

/** `F` is the page's File (the common layer knows no DOM). */
export interface DesktopBridge<F> {
  /** The native open dialog: the chosen recording's path, or null. */
  openRecordingDialog(): Promise<string | null>;
  /** The local path of a file dropped on the window ('' when it has none). */
  pathForFile(file: F): string;
}
