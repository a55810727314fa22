import type { AgentTask } from './driver';
import { SimDriver } from './sim-driver';

const fetch = (payload: Record<string, unknown>, resource_uuid = 'i-1'): AgentTask => ({
  uuid: `t-${Math.random()}`,
  seq: 1,
  request_id: null,
  resource_type: 'image',
  resource_uuid,
  operation: 'fetch',
  description: '',
  payload,
  state: 0,
  message: '',
  created_at: '2026-01-01T00:00:00.000Z',
  deadline_at: '2026-01-01T00:05:00.000Z',
  finished_at: null,
});

describe('the sim driver: image/fetch', () => {
  const node = { name: 'sim-1', vcpus: 8, memory: 2 ** 34 };

  it('fetches an image into its cache: the same size and checksum for one URL on every node', async () => {
    const [a, b] = [new SimDriver(node), new SimDriver(node)];
    const payload = { install_url: 'https://mirror.example/centos.qcow2', format: 'qcow2' };
    const outcome = await a.apply(fetch(payload));
    expect(outcome).toEqual({
      state: 1,
      result: { size: expect.any(Number), checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
    expect(await b.apply(fetch(payload, 'i-2'))).toEqual(outcome);
    const size = outcome.result?.size as number;
    expect(size % 2 ** 20).toBe(0);
    expect(size).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(size).toBeLessThanOrEqual(4096 * 2 ** 20);
    expect(a.node.images.get('i-1')).toEqual(outcome.result);
  });

  it('fails what a node could not fetch', async () => {
    const driver = new SimDriver(node);
    const failed = async (payload: Record<string, unknown>) => driver.apply(fetch(payload));
    expect(await failed({ install_url: 'sftp://h/a.qcow2', format: 'qcow2' })).toEqual({
      state: 2,
      message: 'image/fetch: cannot fetch sftp://h/a.qcow2: sftp: is not supported',
    });
    expect(await failed({ install_url: 'https://u:p@h/a.qcow2', format: 'qcow2' })).toMatchObject({
      state: 2,
      message: 'image/fetch: cannot fetch a URL with credentials',
    });
    expect(await failed({ install_url: 'https://h/a.vmdk', format: 'vmdk' })).toMatchObject({
      state: 2,
      message: expect.stringMatching(/unknown format vmdk/),
    });
    expect(await failed({ install_url: 'https://h/a.raw' })).toMatchObject({
      state: 2,
      message: 'image/fetch: payload without format',
    });
    expect(await failed({ format: 'raw' })).toMatchObject({ state: 2, message: 'image/fetch: payload without install_url' });
  });
});
