import { capacity } from './capacity';

describe('capacity', () => {
  it('is physical × ratio − reserved, never below 0', () => {
    expect(capacity(8, 2, 1)).toBe(15);
    expect(capacity(4, 1.5, 0)).toBe(6);
    expect(capacity(2, 1, 5)).toBe(0);
  });

  it('counts a product that floating point leaves a hair below a whole number as that number', () => {
    for (let physical = 1; physical <= 256; physical++) {
      for (let total = physical; total <= physical * 4; total++) expect(capacity(physical, total / physical, 0)).toBe(total);
    }
    expect(capacity(11, 15 / 11, 0)).toBe(15);
  });

  it('never adds bytes to a large amount (2 TiB × 1 is 2 TiB, not a byte more)', () => {
    const tib = 2 ** 40;
    expect(capacity(2 * tib, 1, 0)).toBe(2 * tib);
    expect(capacity(1900 * 2 ** 30, 1, 0)).toBe(1900 * 2 ** 30);
    expect(capacity(1000 * 2 ** 30, 1.5, 0)).toBe(1500 * 2 ** 30);
    expect(capacity(2 ** 52, 1, 0)).toBe(2 ** 52);
    expect(capacity(3, 0.5, 0)).toBe(1);
  });
});
