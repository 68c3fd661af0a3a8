import { describe, expect, it } from "vitest";
import { KeyedStore } from "./keyedStore";

describe("keyed store", () => {
  it("notifies once per patch, however many keys change", () => {
    const store = new KeyedStore<string>();
    let calls = 0;
    store.subscribe(() => (calls += 1));
    store.patch(Array.from({ length: 1000 }, (_, i) => [`t${i}`, "success"] as [string, string]));
    expect(calls).toBe(1);
    expect(store.get("t999")).toBe("success");
    expect(store.size).toBe(1000);
  });

  it("keeps untouched keys on patch and drops them on replace", () => {
    const store = new KeyedStore<number>();
    store.replace([["a", 1]]);
    store.patch([["b", 2]]);
    expect(store.get("a")).toBe(1);
    store.replace([["c", 3]]);
    expect(store.get("a")).toBeUndefined();
  });

  it("stops notifying after unsubscribe and skips empty changes", () => {
    const store = new KeyedStore<number>();
    let calls = 0;
    const off = store.subscribe(() => (calls += 1));
    store.patch([]);
    store.clear();
    expect(calls).toBe(0);
    off();
    store.patch([["a", 1]]);
    expect(calls).toBe(0);
    expect(store.getVersion()).toBe(1);
  });
});
