/** ChimeStack's rule for a volume's IOPS and throughput: the spec's step per GiB, within its bounds. */
export function perGib(step: number, min: number, max: number, size: number): number {
  return Math.min(max, Math.max(min, step * Math.ceil(size / 2 ** 30)));
}
