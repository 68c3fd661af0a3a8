import type { Operator } from "../../types";

// Drawn rather than typed: the symbol fonts that hold ⑂ or ⌚ are not on every machine.
const PATHS: Record<Operator, string> = {
  empty: "M8 3.5a4.5 4.5 0 1 0 0 9a4.5 4.5 0 1 0 0-9",
  python: "M5 3.5 L12 8 L5 12.5 Z",
  branch: "M2.5 8 H6.5 L12.5 3.5 M6.5 8 L12.5 12.5 M10.5 3.5 H12.5 V5.5 M10.5 12.5 H12.5 V10.5",
  short_circuit: "M2 10.5 H5.5 L11 5 M11 10.5 H14",
  latest_only: "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11 M8 5 V8 L10.5 9.5",
};

export function OperatorIcon({ operator }: { operator: Operator }) {
  const filled = operator === "python";
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d={PATHS[operator]}
        fill={filled ? "currentColor" : "none"}
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
