/**
 * The fields of `request` whose values differ from `current`: what an update really changes, as it
 * goes into an `…Updated` event. Fields left out of the request are not changes.
 */
export function changedFields<T extends object>(current: T, request: Partial<T>): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(request) as (keyof T)[]) {
    const value = request[key];
    if (value !== undefined && value !== current[key]) changes[key] = value;
  }
  return changes;
}
