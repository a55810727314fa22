import { createHash } from 'node:crypto';
import { Role, type EventView } from '@chime/contracts';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { verifyReplay } from '../src/replay/verify-replay';
import { ImagePort } from '../src/modules/images/image.port';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';
import { STANDARD_QOS } from './support/volume-spec';

const JOIN_TOKEN = 'join-token-for-the-image-tests-0123';
const GIB = 1024 ** 3;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Image {
  uuid: string;
  name: string;
  description: string;
  state: number;
  operation: string;
  bucket_uuid: string;
  bucket_name: string;
  format: string;
  os_type: string;
  os_detail: string;
  os_arch: string;
  boot_type: string;
  shared: number;
  install_url: string;
  size: number;
  checksum: string;
  created_at: string;
}
interface Bucket {
  uuid: string;
  name: string;
  bucket_name: string;
  description: string;
  type: number;
  state: number;
  user_name: string;
  image_count: number;
  created_at: string;
}
interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}

/** What the sim driver reports for a fetched URL (apps/agent/src/sim-images.ts). */
function simFetched(url: string): { size: number; checksum: string } {
  const digest = createHash('sha256').update(url).digest();
  return { size: (256 + (digest.readUInt32BE(0) % 3841)) * 2 ** 20, checksum: `sha256:${digest.toString('hex')}` };
}

/**
 * Images and image buckets through the real HTTP server, with real agents (the sim driver) fetching
 * the images: roles and ownership, every refusal's envelope, fetch success and failure.
 */
describe('images and image buckets', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const agents: Agent[] = [];
  let clusterPath: string;
  /** An image whose fetch failed (shared by carol), set by the failing-fetch test. */
  let failedImage: Image;
  const as = (token: string) => asCaller(server, token);
  const url = (name: string) => `https://mirror.example/images/${name}.qcow2`;
  const body = (extra: object = {}) => {
    const name = uniqueName('img');
    return { name, install_url: url(name), ...extra };
  };
  const getImage = async (uuid: string, token = admin) =>
    expectResult<{ image: Image }>(await as(token).get(`/v1/image/${uuid}`)).image;
  const createImage = async (token: string, kind: 'public' | 'user', extra: object = {}) =>
    expectResult<{ image: Image }>(await as(token).post(`/v1/image/${kind}`, body(extra))).image;
  const settled = (uuid: string) =>
    eventually(
      () => getImage(uuid),
      (image) => image.state !== 0,
    );
  const events = async (qs: string): Promise<EventView[]> => {
    await server.caughtUp();
    return expectResult<{ elements: EventView[] }>(await as(admin).get(`/v1/event?limit=1000&${qs}`)).elements;
  };
  /** Starts an agent with the sim driver and adopts its node as a host of the test cluster. */
  const adoptHost = async (options: { fail?: string[]; latencyMs?: number } = {}): Promise<string> => {
    const driver = new SimDriver({ name: uniqueName('node'), vcpus: 8, memory: 8 * GIB, ...options });
    const agent = new Agent({ server: server.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
    agents.push(agent);
    await agent.start();
    expectResult(await as(admin).post(`${clusterPath}/host`, { uuid: agent.state.uuid }));
    await eventually(
      async () =>
        expectResult<{ host: { last_operation_state: number } }>(await as(admin).get(`${clusterPath}/host/${agent.state.uuid}`))
          .host,
      (host) => host.last_operation_state === 1,
    );
    return agent.state.uuid;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN } });
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    alice = await createUser(server, admin, Role.User);
    bob = await createUser(server, admin, Role.User);
    carol = await createUser(server, admin, Role.User);
    const az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
    ).cluster.uuid;
    clusterPath = `/v1/az/${az}/cluster/${cluster}`;
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
  });

  it('has the one public bucket from the start, seen by everyone', async () => {
    const expected: Bucket = {
      uuid: 'public',
      name: 'public',
      bucket_name: 'public',
      description: 'public image bucket',
      type: 0,
      state: 1,
      user_name: '',
      image_count: 0,
      created_at: expect.stringMatching(ISO) as unknown as string,
    };
    for (const token of [alice.token, reader.token, admin]) {
      expect(expectResult(await as(token).get('/v1/imagebucket/public'))).toEqual({ imagebucket: expected });
      expect(expectResult(await as(token).get('/v1/imagebucket'))).toEqual({ elements: [expected], size: 1, total: 1 });
    }
    expect((await events('stream_type=image_bucket')).map((e) => [e.stream_id, e.type])).toEqual([
      ['public', 'ImageBucketCreated'],
    ]);
  });

  it('refuses to register an image while no host can fetch it, leaving nothing behind', async () => {
    const message = expectError(await as(admin).post('/v1/image/public', body()), 400, 'FAILED_PRECONDITION');
    expect(message).toBe('no enabled, reachable host can fetch the image; adopt a host first');
    expectError(await as(alice.token).post('/v1/image/user', body()), 400, 'FAILED_PRECONDITION');
    // Alice's bucket, made with her first image, went with the refused request.
    expectError(await as(admin).get(`/v1/imagebucket/${alice.uuid}`), 404, 'NOT_FOUND');
    expect(expectResult<Page<Image>>(await as(admin).get('/v1/image')).total).toBe(0);
    expect(await events('stream_type=image')).toEqual([]);
  });

  it('checks every field of a registration (400 INVALID_ARGUMENT, saying what is wrong)', async () => {
    const refused = async (extra: object, expected: string | RegExp) => {
      const message = expectError(await as(admin).post('/v1/image/public', body(extra)), 400, 'INVALID_ARGUMENT');
      expect(message).toMatch(expected);
    };
    await refused(
      { install_url: 'sftp://mirror.example/centos.qcow2' },
      'install_url must be a file://, http:// or https:// URL (not sftp://)',
    );
    await refused(
      { install_url: 'https://root:secret@mirror.example/centos.qcow2' },
      /^install_url must not carry credentials \(user:password@\): the URL is stored in events and shown to every reader/,
    );
    await refused({ install_url: 'https://user@mirror.example/a.qcow2' }, /must not carry credentials/);
    await refused({ install_url: `https://mirror.example/${'a'.repeat(1024)}` }, 'install_url must be at most 1024 characters');
    await refused({ install_url: 'file:///images/a b.qcow2' }, /printable ASCII without blanks/);
    await refused({ install_url: 'not a url' }, /install_url must be printable ASCII|install_url must be a URL/);
    await refused({ install_url: 'centos.qcow2' }, /^install_url must be a URL/);
    await refused({ install_url: 'http://' }, /^install_url must be a URL/);
    await refused({ install_url: 'file:///' }, 'install_url must name a file');
    await refused({ install_url: 42 }, 'install_url must be a string');
    await refused({ format: 'vmdk' }, 'format must be one of: iso, qcow2, raw');
    await refused({ name: 'x'.repeat(256) }, 'name must be shorter than or equal to 255 characters');
    await refused({ name: '   ' }, 'name must contain a visible character');
    await refused({ os_type: 'L'.repeat(33) }, 'os_type must be shorter than or equal to 32 characters');
    await refused({ boot_type: 'bios\n' }, 'boot_type must not contain control characters');
    await refused({ shared: 2 }, 'shared must be 0 (only the owner sees it) or 1 (every user sees it)');
    await refused({ shared: '1' }, /shared must be 0/);
    await refused({ size: 1 }, 'unknown field size');
    const missing = expectError(await as(admin).post('/v1/image/public', { name: 'x' }), 400, 'INVALID_ARGUMENT');
    expect(missing).toBe('install_url must be a string');
  });

  it('lets only administrators register public images, and nobody read-only register any', async () => {
    expect(expectError(await as(alice.token).post('/v1/image/public', body()), 403, 'PERMISSION_DENIED')).toBe(
      'this operation needs the role administrator or higher',
    );
    expectError(await as(reader.token).post('/v1/image/public', body()), 403, 'PERMISSION_DENIED');
    expect(expectError(await as(reader.token).post('/v1/image/user', body()), 403, 'PERMISSION_DENIED')).toBe(
      'a read-only administrator registers no image',
    );
    expectError(await server.http.post('/v1/image/user').send(body()), 401, 'UNAUTHENTICATED');
    expectError(await server.http.get('/v1/image'), 401, 'UNAUTHENTICATED');
    expectError(await server.http.get('/v1/image_statistic'), 401, 'UNAUTHENTICATED');
    expectError(await server.http.get('/v1/imagebucket/public'), 401, 'UNAUTHENTICATED');
  });

  it('fetches a public image through a host: state 0 with its task, then 1 with size and checksum', async () => {
    const host = await adoptHost({ latencyMs: 400 });
    // ChimeStack's own example, with a URL this server takes.
    const created = expectResult<{ image: Image }>(
      await as(admin).post('/v1/image/public', {
        boot_type: 'legacy',
        description: 'centos image',
        format: 'qcow2',
        install_url: 'file:///root/images/centos7_cloudinit.qcow2',
        name: 'centos',
        os_arch: 'x86_64',
        os_detail: 'CentOS 8.5',
        os_type: 'Linux',
        shared: 0,
      }),
    ).image;
    expect(created).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'centos',
      description: 'centos image',
      state: 0,
      operation: expect.stringMatching(UUID),
      bucket_uuid: 'public',
      bucket_name: 'public',
      format: 'qcow2',
      os_type: 'Linux',
      os_detail: 'CentOS 8.5',
      os_arch: 'x86_64',
      boot_type: 'legacy',
      shared: 0,
      install_url: 'file:///root/images/centos7_cloudinit.qcow2',
      size: 0,
      checksum: '',
      created_at: expect.stringMatching(ISO),
    });
    // Being fetched: not deleted, its format fixed.
    expect(expectError(await as(admin).delete(`/v1/image/${created.uuid}`), 400, 'FAILED_PRECONDITION')).toBe(
      `image ${created.uuid} is being fetched; delete it once the fetch has ended`,
    );
    expectError(await as(admin).patch(`/v1/image/${created.uuid}`, { format: 'raw' }), 400, 'FAILED_PRECONDITION');
    const image = await settled(created.uuid);
    expect(image).toEqual({
      ...created,
      state: 1,
      operation: '',
      ...simFetched('file:///root/images/centos7_cloudinit.qcow2'),
    });
    // The same name in the same bucket, whatever its case, is taken.
    expect(expectError(await as(admin).post('/v1/image/public', body({ name: 'CENTOS' })), 400, 'ALREADY_EXISTS')).toBe(
      'an image with this name is already in the bucket',
    );

    const task = (await events(`stream_id=${created.operation}`))[0];
    expect(task).toMatchObject({
      type: 'TaskCreated',
      data: {
        client_uuid: host,
        resource_type: 'image',
        resource_uuid: created.uuid,
        operation: 'fetch',
        payload: { install_url: 'file:///root/images/centos7_cloudinit.qcow2', format: 'qcow2' },
      },
    });
    const imageEvents = await events(`stream_type=image&stream_id=${created.uuid}`);
    expect(imageEvents.map((e) => e.type)).toEqual(['ImageCreated', 'ImageFetched']);
    expect(imageEvents[1].data).toEqual({ uuid: created.uuid, task_uuid: created.operation, ...simFetched(image.install_url) });
    // The created image and its task come from the same request.
    expect(imageEvents[0].metadata.request_id).toBe(task.metadata.request_id);
    // The fetch's outcome commits with the agent's report of it: the same request as the task's end.
    const ended = (await events(`stream_id=${created.operation}`))[1];
    expect(ended.type).toBe('TaskSucceeded');
    expect(imageEvents[1].metadata.request_id).toBe(ended.metadata.request_id);
  });

  it("keeps a user's images to the user unless shared; others change only what they own", async () => {
    const mine = await createImage(alice.token, 'user', { format: 'raw' });
    expect(mine).toMatchObject({ bucket_uuid: alice.uuid, bucket_name: alice.uuid, state: 0, format: 'raw' });
    const bucket = expectResult<{ imagebucket: Bucket }>(await as(alice.token).get(`/v1/imagebucket/${alice.uuid}`)).imagebucket;
    expect(bucket).toEqual({
      uuid: alice.uuid,
      name: alice.uuid,
      bucket_name: alice.uuid,
      description: '',
      type: 1,
      state: 1,
      user_name: alice.name,
      image_count: 1,
      created_at: expect.stringMatching(ISO),
    });
    await settled(mine.uuid);
    const path = `/v1/image/${mine.uuid}`;
    // Bob does not see it at all: 404, as for an image that does not exist.
    expect(expectError(await as(bob.token).get(path), 404, 'NOT_FOUND')).toBe(`image ${mine.uuid} not found`);
    expectError(await as(bob.token).patch(path, { description: 'x' }), 404, 'NOT_FOUND');
    expectError(await as(bob.token).delete(path), 404, 'NOT_FOUND');
    expectError(await as(bob.token).get(`/v1/imagebucket/${alice.uuid}`), 404, 'NOT_FOUND');
    expect(expectResult<Page<Image>>(await as(bob.token).get(`/v1/image?uuid=${mine.uuid}`)).total).toBe(0);
    // Shared: Bob sees it, and still may not change it (403).
    expect(expectResult(await as(alice.token).patch(path, { shared: 1, name: mine.name }))).toEqual({ image: 'ok' });
    expect((await getImage(mine.uuid, bob.token)).shared).toBe(1);
    expect(expectResult<Page<Image>>(await as(bob.token).get(`/v1/image?uuid=${mine.uuid}`)).total).toBe(1);
    expect(expectError(await as(bob.token).patch(path, { description: 'x' }), 403, 'PERMISSION_DENIED')).toBe(
      `image ${mine.uuid} is not yours: a user changes only the images of its own bucket`,
    );
    expectError(await as(bob.token).delete(path), 403, 'PERMISSION_DENIED');
    // Public images: users see them, only administrators change them.
    const [publicImage] = expectResult<Page<Image>>(await as(bob.token).get('/v1/image?bucket_uuid=public')).elements;
    expectError(await as(bob.token).patch(`/v1/image/${publicImage.uuid}`, { description: 'x' }), 403, 'PERMISSION_DENIED');
    // A read-only administrator sees everything and changes nothing.
    expect((await getImage(mine.uuid, reader.token)).uuid).toBe(mine.uuid);
    expect(expectError(await as(reader.token).patch(path, { description: 'x' }), 403, 'PERMISSION_DENIED')).toBe(
      'a read-only administrator changes no image',
    );
    expectError(await as(reader.token).delete(path), 403, 'PERMISSION_DENIED');
    // Administrators change anyone's.
    expect(expectResult(await as(admin).patch(path, { description: 'checked', os_type: 'Linux' }))).toEqual({ image: 'ok' });
    // Alice's update, field by field; a resent value is no change; null leaves a field.
    expect(
      expectResult(
        await as(alice.token).patch(path, { name: 'Renamed', format: 'qcow2', boot_type: null, description: 'checked' }),
      ),
    ).toEqual({ image: 'ok' });
    expect(await getImage(mine.uuid, alice.token)).toMatchObject({
      name: 'Renamed',
      format: 'qcow2',
      description: 'checked',
      os_type: 'Linux',
    });
    expectError(await as(alice.token).patch(path, { install_url: url('x') }), 400, 'INVALID_ARGUMENT');
    expectError(await as(alice.token).patch(path, { shared: 3 }), 400, 'INVALID_ARGUMENT');
    const updates = (await events(`stream_id=${mine.uuid}&type=ImageUpdated`)).map((e) => e.data);
    expect(updates).toEqual([
      { uuid: mine.uuid, changes: { shared: 1 } },
      { uuid: mine.uuid, changes: { description: 'checked', os_type: 'Linux' } },
      { uuid: mine.uuid, changes: { name: 'Renamed', format: 'qcow2' } },
    ]);
    // Unknown and malformed ids.
    expectError(await as(admin).get(`/v1/image/${MISSING}`), 404, 'NOT_FOUND');
    expectError(await as(admin).patch(`/v1/image/${MISSING}`, { name: 'x' }), 404, 'NOT_FOUND');
    expectError(await as(admin).delete(`/v1/image/${MISSING}`), 404, 'NOT_FOUND');
    expect(expectError(await as(admin).get('/v1/image/public'), 400, 'INVALID_ARGUMENT')).toBe('ImageUuid must be a UUID');
    expectError(await as(admin).delete('/v1/image/nope'), 400, 'INVALID_ARGUMENT');
  });

  it('lists what each caller sees, with filters and sorting, and counts it', async () => {
    const shared = await createImage(bob.token, 'user', { shared: 1, os_type: 'Windows' });
    const hidden = await createImage(bob.token, 'user', { format: 'iso' });
    await settled(shared.uuid);
    await settled(hidden.uuid);
    const listAs = async (token: string, qs = '') => expectResult<Page<Image>>(await as(token).get(`/v1/image?size=1000${qs}`));
    const all = await listAs(admin);
    expect(await listAs(reader.token)).toEqual(all);
    const visibleToCarol = all.elements.filter((i) => i.bucket_uuid === 'public' || i.shared === 1);
    expect((await listAs(carol.token)).elements).toEqual(visibleToCarol);
    expect((await listAs(bob.token)).elements.map((i) => i.uuid).sort()).toEqual(
      all.elements
        .filter((i) => i.bucket_uuid === 'public' || i.shared === 1 || i.bucket_uuid === bob.uuid)
        .map((i) => i.uuid)
        .sort(),
    );
    expect((await listAs(carol.token, '&type=1')).elements.map((i) => i.uuid).sort()).toEqual(
      visibleToCarol
        .filter((i) => i.bucket_uuid !== 'public')
        .map((i) => i.uuid)
        .sort(),
    );
    expect((await listAs(bob.token, '&format=iso')).elements.map((i) => i.uuid)).toEqual([hidden.uuid]);
    expect((await listAs(carol.token, '&format=iso')).total).toBe(0);
    expect((await listAs(admin, '&os_type=Windows')).elements.map((i) => i.uuid)).toEqual([shared.uuid]);
    expect((await listAs(admin, `&bucket_uuid=${bob.uuid.toUpperCase()}`)).total).toBe(2);
    expect((await listAs(admin, '&name=RENAMED')).total).toBe(1);
    expect((await listAs(admin, '&state=1')).total).toBe(all.total);
    const bySize = (await listAs(admin, '&sort=size&order=asc')).elements.map((i) => i.size);
    expect(bySize).toEqual([...bySize].sort((a, b) => a - b));
    const page = expectResult<Page<Image>>(await as(admin).get('/v1/image?size=1&page=2&sort=name&order=asc'));
    expect(page.size).toBe(1);
    expect(page.total).toBe(all.total);
    expectError(await as(admin).get('/v1/image?bucket_uuid=private'), 400, 'INVALID_ARGUMENT');
    expectError(await as(admin).get('/v1/image?state=3'), 400, 'INVALID_ARGUMENT');
    expectError(await as(admin).get('/v1/image?sort=install_url'), 400, 'INVALID_ARGUMENT');
    expectError(await as(admin).get('/v1/image?owner=x'), 400, 'INVALID_ARGUMENT');

    const statistic = async (token: string) =>
      expectResult<{ image_statistic: Record<string, number> }>(await as(token).get('/v1/image_statistic')).image_statistic;
    const count = (list: Image[]) => ({
      images: list.length,
      fetching: list.filter((i) => i.state === 0).length,
      available: list.filter((i) => i.state === 1).length,
      suspended: list.filter((i) => i.state === 2).length,
      failed: list.filter((i) => i.state === 10).length,
      public: list.filter((i) => i.bucket_uuid === 'public').length,
      private: list.filter((i) => i.bucket_uuid !== 'public').length,
      shared: list.filter((i) => i.bucket_uuid !== 'public' && i.shared === 1).length,
      available_bytes: list.filter((i) => i.state === 1).reduce((sum, i) => sum + i.size, 0),
    });
    expect(await statistic(admin)).toEqual(count(all.elements));
    expect(await statistic(reader.token)).toEqual(count(all.elements));
    expect(await statistic(carol.token)).toEqual(count(visibleToCarol));
    expect((await statistic(carol.token)).images).toBeLessThan(all.total);
    expectError(await as(admin).get('/v1/image_statistic?x=1'), 400, 'INVALID_ARGUMENT');
  });

  it('marks an image failed when its fetch fails, and deletes it then', async () => {
    // Only the failing node takes work: the first host is disabled meanwhile.
    const [first] = expectResult<Page<{ uuid: string }>>(await as(admin).get(`${clusterPath}/host`)).elements;
    expectResult(await as(admin).put(`${clusterPath}/host/${first.uuid}/disable`));
    let failing: string | undefined;
    try {
      failing = await adoptHost({ fail: ['image/fetch'] });
      const created = await createImage(carol.token, 'user');
      // Another one, kept failed for the tests below.
      failedImage = await createImage(carol.token, 'user', { shared: 1 });
      expect(await settled(failedImage.uuid)).toMatchObject({ state: 10 });
      const image = await settled(created.uuid);
      expect(image).toEqual({ ...created, state: 10, operation: '' });
      const failed = await events(`stream_id=${created.uuid}&type=ImageFetchFailed`);
      expect(failed.map((e) => e.data)).toEqual([
        {
          uuid: created.uuid,
          task_uuid: created.operation,
          message: 'image/fetch failed on purpose (sim driver failure injection)',
        },
      ]);
      // Carol deletes her failed image: `0`, as ChimeStack answers.
      expect(expectResult(await as(carol.token).delete(`/v1/image/${created.uuid}`))).toBe(0);
      expectError(await as(carol.token).get(`/v1/image/${created.uuid}`), 404, 'NOT_FOUND');
      expect((await events(`stream_id=${created.uuid}`)).map((e) => e.type)).toEqual([
        'ImageCreated',
        'ImageFetchFailed',
        'ImageDeleted',
      ]);
    } finally {
      // From here on the first host fetches every image.
      if (failing) expectResult(await as(admin).put(`${clusterPath}/host/${failing}/disable`));
      expectResult(await as(admin).put(`${clusterPath}/host/${first.uuid}/enable`));
    }
  });

  it('has one bucket per user and the one public bucket', async () => {
    // The public bucket: it exists (administrators), it is not the users' to touch.
    expect(
      expectError(
        await as(admin).post('/v1/imagebucket', { bucket_name: 'public', name: 'public', type: 0 }),
        400,
        'ALREADY_EXISTS',
      ),
    ).toBe('the public image bucket already exists (there is one)');
    expectError(await as(alice.token).post('/v1/imagebucket', { name: 'public', type: 0 }), 403, 'PERMISSION_DENIED');
    expect(expectError(await as(admin).delete('/v1/imagebucket/public'), 400, 'FAILED_PRECONDITION')).toBe(
      'the public image bucket is never deleted',
    );
    expectError(await as(alice.token).delete('/v1/imagebucket/public'), 403, 'PERMISSION_DENIED');
    // Alice has hers (from her first image).
    expect(expectError(await as(alice.token).post('/v1/imagebucket', {}), 400, 'ALREADY_EXISTS')).toBe(
      `you have an image bucket already (${alice.uuid}): a user has one`,
    );
    expect(expectError(await as(alice.token).delete(`/v1/imagebucket/${alice.uuid}`), 400, 'FAILED_PRECONDITION')).toBe(
      `image bucket ${alice.uuid} still holds 1 image; delete them first`,
    );
    expectError(await as(bob.token).delete(`/v1/imagebucket/${alice.uuid}`), 404, 'NOT_FOUND');
    expectError(await as(reader.token).delete(`/v1/imagebucket/${alice.uuid}`), 403, 'PERMISSION_DENIED');
    // A new user makes its own; a name other than its uuid is refused, not dropped.
    const dave = await createUser(server, admin, Role.User);
    expect(expectError(await as(dave.token).post('/v1/imagebucket', { name: 'mine', type: 1 }), 400, 'INVALID_ARGUMENT')).toBe(
      `name of your bucket is your user uuid ${dave.uuid} (a user has one bucket)`,
    );
    expectError(await as(dave.token).post('/v1/imagebucket', { type: 2 }), 400, 'INVALID_ARGUMENT');
    expectError(await as(dave.token).post('/v1/imagebucket', { owner: dave.uuid }), 400, 'INVALID_ARGUMENT');
    expectError(await as(reader.token).post('/v1/imagebucket', {}), 403, 'PERMISSION_DENIED');
    const created = expectResult<{ imagebucket: Bucket }>(
      await as(dave.token).post('/v1/imagebucket', { name: dave.uuid, bucket_name: 's3-dave', description: 'mine', type: 1 }),
    ).imagebucket;
    expect(created).toEqual({
      uuid: dave.uuid,
      name: dave.uuid,
      bucket_name: 's3-dave',
      description: 'mine',
      type: 1,
      state: 1,
      user_name: dave.name,
      image_count: 0,
      created_at: expect.stringMatching(ISO),
    });
    expect(expectResult(await as(dave.token).get(`/v1/imagebucket/${dave.uuid.toUpperCase()}`))).toEqual({
      imagebucket: created,
    });
    const daves = expectResult<Page<Bucket>>(await as(dave.token).get('/v1/imagebucket?sort=name&order=desc'));
    expect(daves.elements.map((b) => b.uuid).sort()).toEqual([dave.uuid, 'public'].sort());
    expect(expectResult<Page<Bucket>>(await as(dave.token).get('/v1/imagebucket?type=1')).elements).toEqual([created]);
    const everyBucket = expectResult<Page<Bucket>>(await as(reader.token).get('/v1/imagebucket?size=100')).elements;
    expect(everyBucket.map((b) => b.uuid).sort()).toEqual(['public', alice.uuid, bob.uuid, carol.uuid, dave.uuid].sort());
    expect(everyBucket.find((b) => b.uuid === bob.uuid)?.image_count).toBe(2);
    expect(expectError(await as(admin).get('/v1/imagebucket/nope'), 400, 'INVALID_ARGUMENT')).toBe(
      'ImageBucketUuid must be public or a UUID',
    );
    expectError(await as(admin).get('/v1/imagebucket/PUBLIC'), 400, 'INVALID_ARGUMENT');
    expectError(await as(admin).get(`/v1/imagebucket/${MISSING}`), 404, 'NOT_FOUND');
    expectError(await as(admin).delete(`/v1/imagebucket/${MISSING}`), 404, 'NOT_FOUND');
    expectError(await as(admin).get('/v1/imagebucket?type=5'), 400, 'INVALID_ARGUMENT');
    // Deleted (its owner, empty), then made again by the next image: its stream goes on.
    expect(expectResult(await as(dave.token).delete(`/v1/imagebucket/${dave.uuid}`))).toBe(1);
    expectError(await as(dave.token).get(`/v1/imagebucket/${dave.uuid}`), 404, 'NOT_FOUND');
    const image = await createImage(dave.token, 'user');
    expect(image.bucket_uuid).toBe(dave.uuid);
    expect((await events(`stream_type=image_bucket&stream_id=${dave.uuid}`)).map((e) => [e.type, e.version])).toEqual([
      ['ImageBucketCreated', 1],
      ['ImageBucketDeleted', 2],
      ['ImageBucketCreated', 3],
    ]);
    await settled(image.uuid);
    // An administrator deletes a user's image, then its bucket.
    expect(expectResult(await as(admin).delete(`/v1/image/${image.uuid}`))).toBe(0);
    expect(expectResult(await as(admin).delete(`/v1/imagebucket/${dave.uuid}`))).toBe(1);
  });

  it("makes a user's bucket once when its first images come in at once", async () => {
    const erin = await createUser(server, admin, Role.User);
    const results = await Promise.all(Array.from({ length: 8 }, () => as(erin.token).post('/v1/image/user', body())));
    const images = results.map((res) => expectResult<{ image: Image }>(res).image);
    expect(new Set(images.map((i) => i.bucket_uuid))).toEqual(new Set([erin.uuid]));
    expect(
      expectResult<{ imagebucket: Bucket }>(await as(erin.token).get(`/v1/imagebucket/${erin.uuid}`)).imagebucket.image_count,
    ).toBe(8);
    expect((await events(`stream_type=image_bucket&stream_id=${erin.uuid}`)).map((e) => e.type)).toEqual(['ImageBucketCreated']);
    for (const image of images) await settled(image.uuid);
  });

  it('gives the storage module available, visible images through ImagePort', async () => {
    const port = server.app.get(ImagePort);
    const [pub] = expectResult<Page<Image>>(await as(admin).get('/v1/image?bucket_uuid=public&state=1')).elements;
    const [hidden] = expectResult<Page<Image>>(await as(admin).get(`/v1/image?bucket_uuid=${bob.uuid}&format=iso`)).elements;
    const actor = { uuid: carol.uuid, name: carol.name, role: Role.User };
    const image = await server.dataSource.transaction((manager) => port.forVolume(manager, pub.uuid, actor));
    expect(image).toEqual({ uuid: pub.uuid, name: pub.name, format: pub.format, install_url: pub.install_url, size: pub.size });
    await expect(server.dataSource.transaction((m) => port.forVolume(m, hidden.uuid, actor))).rejects.toMatchObject({
      status: 'NOT_FOUND',
    });
    const bobActor = { uuid: bob.uuid, name: bob.name, role: Role.User };
    expect((await server.dataSource.transaction((m) => port.forVolume(m, hidden.uuid, bobActor))).uuid).toBe(hidden.uuid);
    await expect(server.dataSource.transaction((m) => port.forVolume(m, MISSING, bobActor))).rejects.toMatchObject({
      status: 'NOT_FOUND',
    });
    await expect(server.dataSource.transaction((m) => port.forVolume(m, failedImage.uuid, bobActor))).rejects.toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: `image ${failedImage.uuid} is failed (its fetch failed), not available`,
    });
    expect(await port.names([pub.uuid, hidden.uuid, MISSING])).toEqual(
      new Map([
        [pub.uuid, pub.name],
        [hidden.uuid, hidden.name],
      ]),
    );
  });

  it("keeps an image while volumes made from it exist (the storage module's foreign key)", async () => {
    const image = await createImage(admin, 'public', { format: 'raw' });
    await settled(image.uuid);
    const pool = expectResult<{ storage_pool: { uuid: string } }>(
      await as(admin).post(`${clusterPath}/storage_pool`, { name: uniqueName('pool'), physical_size: 100 * GIB }),
    ).storage_pool.uuid;
    const spec = expectResult<{ volume_spec: { uuid: string } }>(
      await as(admin).post('/v1/volume_spec', {
        name: uniqueName('spec'),
        storage_pool_uuid: pool,
        ...STANDARD_QOS,
      }),
    ).volume_spec.uuid;
    expectResult(await as(admin).post(`${clusterPath}/volume_spec_relation`, { volume_spec_uuid: spec }));
    const volume = expectResult<{ volume: { uuid: string; image_uuid: string; image_name: string } }>(
      await as(alice.token).post(`${clusterPath}/volume`, {
        name: 'from-image',
        size: 20 * GIB,
        volume_spec_uuid: spec,
        image_uuid: image.uuid,
      }),
    ).volume;
    expect(volume).toMatchObject({ image_uuid: image.uuid, image_name: image.name });
    expect(expectError(await as(admin).delete(`/v1/image/${image.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
      /volumes were made from/,
    );
    // A failed image is no source for a volume.
    expect(
      expectError(
        await as(admin).post(`${clusterPath}/volume`, {
          name: 'nope',
          size: GIB,
          volume_spec_uuid: spec,
          image_uuid: failedImage.uuid,
        }),
        400,
        'FAILED_PRECONDITION',
      ),
    ).toBe(`image ${failedImage.uuid} is failed (its fetch failed), not available`);
    expect(await getImage(image.uuid)).toMatchObject({ state: 1 });
  });

  it('replays to the same tables', async () => {
    await server.caughtUp();
    expect(await verifyReplay(server.dataSource)).toEqual([]);
  });
});
