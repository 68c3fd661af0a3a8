// A tiny external store of values by key (task id, edge id). Nodes subscribe to their own key
// with useSyncExternalStore, so a run painting 1,000 states re-renders only the nodes whose
// state changed and never rebuilds React Flow's node array.
import { useSyncExternalStore } from "react";

export class KeyedStore<V> {
  private values = new Map<string, V>();
  private listeners = new Set<() => void>();
  private version = 0;

  get = (key: string): V | undefined => this.values.get(key);

  get size(): number {
    return this.values.size;
  }

  /** A number that changes whenever any value does (for whole-store readers such as panels). */
  getVersion = (): number => this.version;

  entries(): IterableIterator<[string, V]> {
    return this.values.entries();
  }

  replace(values: Iterable<[string, V]>): void {
    this.values = new Map(values);
    this.notify();
  }

  patch(changes: Iterable<[string, V]>): void {
    let any = false;
    for (const [key, value] of changes) {
      this.values.set(key, value);
      any = true;
    }
    if (any) this.notify();
  }

  clear(): void {
    if (this.values.size === 0) return;
    this.values = new Map();
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

export function useKeyed<V>(store: KeyedStore<V>, key: string): V | undefined {
  return useSyncExternalStore(store.subscribe, () => store.get(key));
}

export function useStoreVersion<V>(store: KeyedStore<V>): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}
