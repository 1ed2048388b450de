// Teardown handles (as VS Code's IDisposable / DisposableStore): whatever subscribes returns one.

export interface Disposable {
  dispose(): void;
}

export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();

  add<T extends Disposable>(item: T): T {
    this.items.add(item);
    return item;
  }

  dispose(): void {
    for (const item of this.items) item.dispose();
    this.items.clear();
  }
}

/**
 * A typed listener list: `on` returns a Disposable; `fire` calls every listener. A listener that
 * throws does not keep the value from the others: with `onListenerError` its error goes there (the
 * engine reports it); without, the first error is thrown once every listener has had the value.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  on(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  fire(value: T): void {
    let failed = false;
    let first: unknown;
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        if (this.onListenerError) this.onListenerError(error);
        else if (!failed) {
          failed = true;
          first = error;
        }
      }
    }
    if (failed) throw first;
  }

  clear(): void {
    this.listeners.clear();
  }
}
