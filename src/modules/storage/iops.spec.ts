import { perGib } from './iops';

const GIB = 2 ** 30;

describe('volume performance', () => {
  it("gives a volume its spec's IOPS and throughput per GiB, within the spec's bounds (ChimeStack's rule)", () => {
    // ChimeStack's "Standard" spec: 500–5000 IOPS, 50 per GiB; 10–100 MiB/s, 1 MiB/s per GiB.
    expect(perGib(50, 500, 5000, 20 * GIB)).toBe(1000);
    expect(perGib(1048576, 10485760, 104857600, 20 * GIB)).toBe(20 * 1048576);
    expect(perGib(50, 500, 5000, GIB)).toBe(500);
    expect(perGib(50, 500, 5000, 1000 * GIB)).toBe(5000);
    expect(perGib(0, 0, 0, GIB)).toBe(0);
  });
});
