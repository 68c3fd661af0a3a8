// Airflow's KEY_REGEX for task and DAG ids: letters, digits, underscore, dash and dot, at most
// 250 characters (airflow.utils.helpers.validate_key).
const KEY = /^[A-Za-z0-9_.-]+$/;
export const MAX_ID_LENGTH = 250;

/** The reason `id` is not a valid Airflow key, or null when it is. */
export function keyProblem(id: string, what = "task id"): string | null {
  if (id.length === 0) return `The ${what} cannot be empty.`;
  if (id.length > MAX_ID_LENGTH) return `The ${what} is longer than ${MAX_ID_LENGTH} characters.`;
  if (!KEY.test(id)) {
    const bad = [...new Set([...id].filter((ch) => !/[A-Za-z0-9_.-]/.test(ch)))];
    const shown = bad.map((ch) => (ch === " " ? "space" : `"${ch}"`)).join(", ");
    return `The ${what} may only contain letters, digits, "_", "-" and "."; found ${shown}.`;
  }
  return null;
}

/** Why `candidate` cannot become the id of task `current`, or null when it can. */
export function renameProblem(
  candidate: string,
  current: string,
  existing: ReadonlySet<string>,
): string | null {
  const problem = keyProblem(candidate);
  if (problem) return problem;
  if (candidate !== current && existing.has(candidate)) {
    return `Another task is already called "${candidate}".`;
  }
  return null;
}

/** `base` if free, else base_2, base_3, ... (the first one nobody uses). */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const candidate = base.slice(0, MAX_ID_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
