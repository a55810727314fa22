import { assertIdle, bytes, ended, operationFields, operationLabel, started } from './operations';

const GIB = 2 ** 30;

describe('operations on resources', () => {
  it('names running operations as ChimeStack does, and says when they started and ended', () => {
    expect(operationLabel('create', 'r-1')).toBe('Creating#r-1');
    expect(operationLabel('restore', null)).toBe('Restoring');
    const now = new Date('2026-12-04T00:00:00.000Z');
    const running = started('delete', 'r-2', now);
    expect(operationFields(running)).toEqual({
      operation: 'Deleting#r-2',
      last_operation_name: 'delete',
      last_operation_state: 0,
      last_operation_created_at: '2026-12-04T00:00:00.000Z',
      last_operation_finished_at: null,
    });
    expect(ended(false, now)).toEqual({ operation: '', lastOperationState: 2, lastOperationFinishedAt: now });
    expect(() => assertIdle('volume', 'v-1', 'Deleting#r-2')).toThrow(/volume v-1 is busy \(Deleting#r-2\)/);
    expect(() => assertIdle('volume', 'v-1', '')).not.toThrow();
  });

  it('writes bytes with GiB beside them', () => {
    expect(bytes(10 * GIB)).toBe(`${10 * GIB} bytes (10 GiB)`);
    expect(bytes(GIB / 2)).toBe(`${GIB / 2} bytes (0.50 GiB)`);
  });
});
