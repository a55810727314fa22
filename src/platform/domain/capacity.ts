/**
 * What an over-committed resource offers (a host's vCPUs or memory, a storage pool's bytes):
 * floor(physical × ratio) − reserved, never below 0.
 */
export function capacity(physical: number, ratio: number, reserved: number): number {
  const product = physical * ratio;
  // A product that binary floating point leaves a hair below a whole number (11 × (15/11) =
  // 14.999999999999998) counts as that number; anything else is floored, so a large byte count
  // never gains a byte (a relative nudge upwards would add some to 2 TiB).
  const whole = Math.round(product);
  const allocatable = Math.abs(product - whole) <= Math.abs(product) * CAPACITY_TOLERANCE ? whole : Math.floor(product);
  return Math.max(0, allocatable - reserved);
}

/** How close to a whole number a product must be to count as it (relative); SQL that computes capacity uses the same. */
export const CAPACITY_TOLERANCE = 1e-12;

/** capacity() in SQL, over columns or expressions. */
export function capacitySql(physical: string, ratio: string, reserved: string): string {
  const product = `(${physical} * ${ratio})`;
  return (
    `greatest(0, (CASE WHEN abs(${product} - round(${product})) <= abs(${product}) * ${CAPACITY_TOLERANCE} ` +
    `THEN round(${product}) ELSE floor(${product}) END) - ${reserved})`
  );
}
