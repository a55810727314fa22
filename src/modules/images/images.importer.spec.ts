import type { DomainEvent, Transaction } from '@chime/event-log';
import { ImportedIds, ImportReport, type ImportContext, type SourceDatabase } from '../../platform/import/importer';
import { IMAGES_IMPORTER } from './images.importer';

const USER = '22222222-0000-4000-8000-000000000003';
const OTHER = '22222222-0000-4000-8000-000000000004';
const img = (n: number) => `88888888-0000-4000-8000-${String(n).padStart(12, '0')}`;

const bucket = (uuid: string, extra: object = {}) => ({
  uuid,
  name: uuid,
  state: 1,
  description: '',
  type: 1,
  owner: uuid,
  bucket_name: uuid,
  created_at: '2024-06-05 08:14:11',
  ...extra,
});
const image = (uuid: string, bucketUuid: string, extra: object = {}) => ({
  uuid,
  name: `image-${uuid.slice(-1)}`,
  state: 1,
  description: null,
  bucket_uuid: bucketUuid,
  format: 'qcow2',
  os_type: 'Linux',
  os_detail: '',
  os_arch: 'x86_64',
  boot_type: 'bios',
  shared: 0,
  install_url: 'file:///images/a.qcow2',
  created_at: '2024-06-06 08:14:11',
  ...extra,
});

/** Plans an import of these source tables (`users` imported), and a fake transaction to write it into. */
async function plan(tables: Record<string, object[]>, users = [USER]) {
  const source: SourceDatabase = { select: (table) => Promise.resolve((tables[table] ?? []) as never) };
  const ids = new ImportedIds();
  for (const user of users) ids.add('user', user);
  const context: ImportContext = { source, report: new ImportReport(), ids, startedAt: new Date(), isRenamed: () => false };
  const work = await IMAGES_IMPORTER.plan(context);
  const inserted: unknown[] = [];
  const images: unknown[] = [];
  const streams = new Map<string, string[]>();
  const tx = {
    manager: {
      // The public bucket exists here already (made at the first start): its insert inserts nothing.
      query: (sql: string, values: unknown[]) => Promise.resolve(values[0] === 'public' ? [] : (inserted.push(values), [{}])),
      insert: (_entity: unknown, row: unknown) => Promise.resolve(images.push(row)),
    },
    append: (stream: { type: string; id: string }, version: number, events: DomainEvent[]) => {
      const key = `${stream.type}/${stream.id}`;
      streams.set(key, [...(streams.get(key) ?? []), ...events.map((event) => event.type)]);
      return Promise.resolve(version + events.length);
    },
  } as unknown as Transaction;
  return { report: context.report, work, tx, inserted, images, streams };
}

describe('IMAGES_IMPORTER', () => {
  it('keeps states, skips deleted rows and the buckets of users not imported, and settles names per bucket', async () => {
    const { report, work } = await plan({
      t_image_bucket: [bucket('public', { type: 0, owner: '' }), bucket(USER), bucket(OTHER)],
      t_image: [
        image(img(1), 'public'),
        image(img(2), 'public', { name: 'IMAGE-1', state: 2 }),
        image(img(3), USER, { name: 'image-1', state: 0 }),
        image(img(4), USER, { state: 5 }),
        image(img(5), USER, { state: 4 }),
        image(img(6), OTHER),
      ],
    });
    expect(report.problems).toEqual([]);
    expect(Object.fromEntries(report.imported)).toEqual({ t_image_bucket: 2, t_image: 3 });
    expect(report.skipped).toEqual([
      { table: 't_image_bucket', uuid: OTHER, reason: `its user ${OTHER} is not imported` },
      { table: 't_image', uuid: img(4), reason: 'deleted in ChimeStack (state 5)' },
      { table: 't_image', uuid: img(5), reason: 'deleted in ChimeStack (state 4)' },
      { table: 't_image', uuid: img(6), reason: `its image_bucket ${OTHER} is skipped` },
    ]);
    // The same name in another bucket is no clash; within the public bucket, case does not matter.
    expect(report.renamed).toEqual([
      { table: 't_image', uuid: img(2), from: 'IMAGE-1', to: 'IMAGE-1-2', why: 'name already used in its scope' },
    ]);
    expect(report.notes).toEqual([expect.stringContaining(`t_image ${img(3)}: being fetched in ChimeStack (state 0)`)]);
    expect(work.rows).toBe(5);
  });

  it('writes buckets (the public one only when missing) and images with their events', async () => {
    const { work, tx, inserted, images, streams } = await plan({
      t_image_bucket: [bucket('public', { type: 0, owner: '' }), bucket(USER)],
      t_image: [image(img(1), USER)],
    });
    await work.write(tx, () => undefined);
    expect(inserted).toHaveLength(1);
    expect(images).toEqual([expect.objectContaining({ uuid: img(1), bucketUuid: USER, state: 1, size: 0, checksum: '' })]);
    expect([...streams.entries()]).toEqual([
      [`image_bucket/${USER}`, ['ImageBucketCreated']],
      [`image/${img(1)}`, ['ImageCreated']],
    ]);
  });

  it("refuses what this server cannot take, naming the way out: a credential in the URL, a format, a bucket's owner", async () => {
    const { report } = await plan(
      {
        t_image_bucket: [
          bucket(USER),
          bucket(OTHER, { owner: USER }),
          bucket(img(9), { type: 0, owner: '' }),
          bucket(img(8), { owner: img(8), description: 'd'.repeat(257) }),
        ],
        t_image: [
          image(img(1), 'public', { install_url: 'sftp://username:password@host:/path' }),
          image(img(2), USER, { format: '' }),
          image(img(3), USER, { state: 3 }),
          image(img(4), img(7)),
        ],
      },
      [USER, img(8)],
    );
    expect(report.problems.map((p) => `${p.table} ${p.uuid}: ${p.message}`)).toEqual([
      `t_image_bucket ${OTHER}: owner ${USER}: a user's bucket here has its owner's uuid`,
      `t_image_bucket ${img(9)}: type 0: the only public bucket here is "public"`,
      expect.stringMatching(new RegExp(`^t_image_bucket ${img(8)}: description must be shorter than or equal to 256 characters`)),
      `t_image ${img(3)}: unknown state 3`,
      `t_image ${img(4)}: refers to image_bucket ${img(7)}, which is not imported`,
      `t_image ${img(1)}: install_url must be a file://, http:// or https:// URL (not sftp://) (name "image-1"; fix with --rename t_image:${img(1)}=<name> or --set t_image:${img(1)}.<column>=<value>)`,
      `t_image ${img(2)}: format must be one of: iso, qcow2, raw (name "image-2"; fix with --rename t_image:${img(2)}=<name> or --set t_image:${img(2)}.<column>=<value>)`,
    ]);
  });
});
