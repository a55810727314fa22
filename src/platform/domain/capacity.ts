/**
 * What an over-committed resource offers (a host's vCPUs or memory, a storage pool's bytes):
 * floor(physical × ratio) − reserved, never below 0.
 */
export function capacity(physical: number, ratio: number, reserved: number): number {
  // A relative nudge, so a product that binary floating point leaves a hair below a whole number
  // (11 × (15/11) = 14.999999999999998) counts as that number.
  return Math.max(0, Math.floor(physical * ratio * (1 + CAPACITY_NUDGE)) - reserved);
}

/** See capacity(); SQL that computes capacity uses the same. */
export const CAPACITY_NUDGE = 1e-12;
