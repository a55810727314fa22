import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import {
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorNote,
  type FieldSpec,
  FilterBar,
  FormDialog,
  type FormValues,
  ListPager,
  RowButton,
  SummaryCard,
  SummaryCards,
  useListState,
} from '../ui';
import { formatBytes } from './host-view';
import {
  type Image,
  type ImageBucket,
  ResourceState,
  STATE_NAMES,
  stateOptions,
  useRefetchWhileBusy,
  useRefreshWhenSettled,
} from './storage-view';

const PUBLIC = 'public';

/** Who may change an image (the server's rule): administrators any, a user those of its own bucket, read-only administrators none. */
const mayChangeImage = (owner: Owner, image: Pick<Image, 'bucket_uuid'>) =>
  owner.role >= 2 || (owner.role === 0 && image.bucket_uuid === owner.user_uuid);
const mayChangeBucket = (owner: Owner, bucket: ImageBucket) =>
  bucket.uuid !== PUBLIC && (owner.role >= 2 || (owner.role === 0 && bucket.uuid === owner.user_uuid));

type Dialog = { kind: 'register'; bucket: 'public' | 'user' } | { kind: 'edit' | 'delete'; image: Image };

/**
 * The images the caller sees (a user: public ones, its own and those others share; administrators
 * all), their fetch as it goes, and the buckets they are kept in.
 */
export default function ImagesPage({ owner }: { owner: Owner }) {
  const [dialog, setDialog] = useState<Dialog>();
  return (
    <section>
      <header className="page-header">
        <h1>Images</h1>
        {owner.role >= 2 && (
          <button type="button" onClick={() => setDialog({ kind: 'register', bucket: 'public' })}>
            Register public image
          </button>
        )}
        {owner.role !== 1 && (
          <button type="button" onClick={() => setDialog({ kind: 'register', bucket: 'user' })}>
            {owner.role === 0 ? 'Register image' : 'Register own image'}
          </button>
        )}
      </header>
      <ImageSummary />
      <ImageList owner={owner} onDialog={setDialog} />
      <Buckets owner={owner} />
      {dialog?.kind === 'register' && <ImageDialog bucket={dialog.bucket} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'edit' && <ImageDialog image={dialog.image} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'delete' && <DeleteImageDialog image={dialog.image} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

function ImageSummary() {
  const { data, error } = useQuery({ queryKey: ['image', 'statistic'], queryFn: () => client.call('getImageStatistic') });
  const s = data?.image_statistic;
  return (
    <SummaryCards label="Image summary" error={error}>
      {s && (
        <>
          <SummaryCard title="Images" figure={s.images}>
            {s.available} available, {s.fetching} being fetched, {s.failed} failed, {s.suspended} suspended
          </SummaryCard>
          <SummaryCard title="Where">
            {s.public} public, {s.private} in users' buckets ({s.shared} shared)
          </SummaryCard>
          <SummaryCard title="Available bytes" figure={formatBytes(s.available_bytes)} />
        </>
      )}
    </SummaryCards>
  );
}

/** The buckets the caller sees, by uuid: whose an image is. */
function useBuckets() {
  return useQuery({
    queryKey: ['image', 'buckets', 'all'],
    queryFn: () => client.call('listImageBucket', { params: { query: { size: 1000 } } }),
  });
}

function ImageList({ owner, onDialog }: { owner: Owner; onDialog: (dialog: Dialog) => void }) {
  const list = useListState({ name: '', state: '', type: '' });
  const buckets = useBuckets();
  const refetchInterval = useRefetchWhileBusy((page: { elements: Image[] }) => page.elements.some((image) => image.state === 0));
  const { data, error } = useQuery({
    queryKey: ['image', 'list', list.query],
    queryFn: () => client.call('listImage', { params: { query: list.query as never } }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  useRefreshWhenSettled(data?.elements.some((image) => image.state === 0) ?? false, ['image']);
  const whose = (image: Image) => {
    if (image.bucket_uuid === PUBLIC) return 'public';
    if (image.bucket_uuid === owner.user_uuid) return 'yours';
    const name = buckets.data?.elements.find((bucket) => bucket.uuid === image.bucket_uuid)?.user_name;
    return name ? `${name}'s` : "a user's";
  };
  const columns: Column<Image>[] = [
    { key: 'name', label: 'Name', sortable: true },
    {
      key: 'state',
      label: 'State',
      sortable: true,
      render: (i) => <ResourceState kind="image" state={i.state} operation={i.operation} />,
    },
    { key: 'bucket', label: 'Bucket', render: whose },
    { key: 'format', label: 'Format', sortable: true },
    { key: 'os_type', label: 'OS', sortable: true, render: (i) => [i.os_type, i.os_detail, i.os_arch].filter(Boolean).join(' ') },
    { key: 'size', label: 'Size', sortable: true, render: (i) => (i.state === 1 || i.size ? formatBytes(i.size) : '') },
    { key: 'shared', label: 'Shared', render: (i) => (i.bucket_uuid === PUBLIC ? '' : i.shared ? 'yes' : 'no') },
    { key: 'install_url', label: 'Install URL', render: (i) => <code>{i.install_url}</code> },
    { key: 'created_at', label: 'Registered', sortable: true, render: (i) => formatTime(i.created_at) },
  ];
  const anyChangeable = owner.role !== 1;
  return (
    <>
      <FilterBar
        fields={[
          { name: 'name', label: 'Filter images by name' },
          { name: 'state', label: 'Filter images by state', type: 'select', options: stateOptions(STATE_NAMES.image) },
          {
            name: 'type',
            label: 'Filter images by bucket',
            type: 'select',
            options: [
              { value: '', label: 'Any' },
              { value: '0', label: 'public' },
              { value: '1', label: "users'" },
            ],
          },
        ]}
        values={list.filters}
        onChange={list.setFilters}
      />
      <ErrorNote error={error} />
      <DataTable
        caption="Images"
        columns={columns}
        rows={data?.elements}
        rowKey={(i) => i.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          anyChangeable
            ? (image) =>
                mayChangeImage(owner, image) && (
                  <>
                    <RowButton action="Edit" name={image.name} onClick={() => onDialog({ kind: 'edit', image })} />
                    <RowButton action="Delete" name={image.name} onClick={() => onDialog({ kind: 'delete', image })} />
                  </>
                )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
    </>
  );
}

const FORMAT_OPTIONS = ['qcow2', 'raw', 'iso'].map((value) => ({ value, label: value }));

function imageValues(image?: Image): FormValues {
  return {
    name: image?.name ?? '',
    description: image?.description ?? '',
    install_url: image?.install_url ?? '',
    format: image?.format ?? 'qcow2',
    os_type: image?.os_type ?? '',
    os_detail: image?.os_detail ?? '',
    os_arch: image?.os_arch ?? '',
    boot_type: image?.boot_type ?? '',
    shared: image?.shared === 1,
  };
}

/** createPublicImage / createUserImage (with `bucket`), or updateImage (with `image`: only what changed; the URL stays). */
function ImageDialog({ bucket, image, onClose }: { bucket?: 'public' | 'user'; image?: Image; onClose: () => void }) {
  const queries = useQueryClient();
  const initial = imageValues(image);
  const fields: FieldSpec[] = [
    { name: 'name', label: 'Name', required: true },
    { name: 'description', label: 'Description' },
    ...(image
      ? []
      : [
          {
            name: 'install_url',
            label: 'Install URL',
            required: true,
            hint: 'file:// (a path on the node), http:// or https://, without credentials: every reader of the image sees it',
          },
        ]),
    { name: 'format', label: 'Format', type: 'select', options: FORMAT_OPTIONS },
    { name: 'os_type', label: 'OS type', hint: 'Linux, Windows …' },
    { name: 'os_detail', label: 'OS version', hint: 'CentOS 8.5 …' },
    { name: 'os_arch', label: 'Architecture', hint: 'x86_64 …' },
    { name: 'boot_type', label: 'Boot type', hint: 'bios, uefi …' },
  ];
  if (bucket === 'user' || (image && image.bucket_uuid !== PUBLIC)) {
    fields.push({ name: 'shared', label: 'Shared with every user', type: 'checkbox' });
  }
  const title = image ? `Edit ${image.name}` : bucket === 'public' ? 'Register a public image' : 'Register an image of your own';
  return (
    <FormDialog
      title={title}
      fields={fields}
      initial={initial}
      submitLabel={image ? 'Save' : 'Register'}
      warning={image ? undefined : 'A node fetches the image: it is available once fetched, or failed if it cannot be.'}
      onSubmit={async (values) => {
        const changed = (name: string) => !image || values[name] !== initial[name];
        const text = (name: string) => (changed(name) && (image || values[name] !== '') ? String(values[name]) : undefined);
        const body = {
          name: text('name'),
          description: text('description'),
          format: changed('format') ? (values.format as Image['format']) : undefined,
          os_type: text('os_type'),
          os_detail: text('os_detail'),
          os_arch: text('os_arch'),
          boot_type: text('boot_type'),
          shared: fields.some((f) => f.name === 'shared') && changed('shared') ? ((values.shared ? 1 : 0) as 0 | 1) : undefined,
        };
        if (image) {
          await client.call('updateImage', { params: { path: { ImageUuid: image.uuid } }, body });
        } else {
          const create = { ...body, name: String(values.name), install_url: String(values.install_url) };
          await client.call(bucket === 'public' ? 'createPublicImage' : 'createUserImage', { body: create });
        }
        await queries.invalidateQueries({ queryKey: ['image'] });
      }}
      onClose={onClose}
    />
  );
}

function DeleteImageDialog({ image, onClose }: { image: Image; onClose: () => void }) {
  const queries = useQueryClient();
  return (
    <ConfirmDialog
      title={`Delete ${image.name}`}
      question={`Delete the image ${image.name}? An image being fetched, or one volumes were made from, is not deleted.`}
      confirmLabel="Delete"
      onConfirm={async () => {
        await client.call('deleteImage', { params: { path: { ImageUuid: image.uuid } } });
        await queries.invalidateQueries({ queryKey: ['image'] });
      }}
      onClose={onClose}
    />
  );
}

function Buckets({ owner }: { owner: Owner }) {
  const queries = useQueryClient();
  const list = useListState();
  const [deleting, setDeleting] = useState<ImageBucket>();
  const { data, error } = useQuery({
    queryKey: ['image', 'buckets', list.query],
    queryFn: () => client.call('listImageBucket', { params: { query: list.query as never } }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<ImageBucket>[] = [
    { key: 'name', label: 'Name', sortable: true, render: (b) => (b.uuid === owner.user_uuid ? `${b.name} (yours)` : b.name) },
    { key: 'type', label: 'Type', sortable: true, render: (b) => (b.type === 0 ? 'public' : 'private') },
    { key: 'user_name', label: 'Owner' },
    { key: 'image_count', label: 'Images', sortable: true },
    { key: 'created_at', label: 'Created', sortable: true, render: (b) => formatTime(b.created_at) },
  ];
  return (
    <section aria-labelledby="buckets-heading" className="subsection">
      <h2 id="buckets-heading">Buckets</h2>
      <ErrorNote error={error} />
      <DataTable
        caption="Buckets"
        columns={columns}
        rows={data?.elements}
        rowKey={(b) => b.uuid}
        sort={list.sort}
        onSort={list.setSort}
        actions={
          owner.role !== 1
            ? (bucket) =>
                mayChangeBucket(owner, bucket) && (
                  <button type="button" onClick={() => setDeleting(bucket)} aria-label={`Delete bucket ${bucket.name}`}>
                    Delete
                  </button>
                )
            : undefined
        }
      />
      <ListPager list={list} data={data} />
      {deleting && (
        <ConfirmDialog
          title={`Delete bucket ${deleting.name}`}
          question={`Delete the bucket ${deleting.name}? A bucket holding images is not deleted (it holds ${deleting.image_count}).`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await client.call('deleteImageBucket', { params: { path: { ImageBucketUuid: deleting.uuid } } });
            await queries.invalidateQueries({ queryKey: ['image'] });
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}
