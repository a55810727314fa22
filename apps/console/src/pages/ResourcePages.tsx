import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import { type DerivedOperation, type DerivedResource, type JsonSchema, useResources } from '../derived';
import { Link, navigate } from '../router';
import { type Column, ConfirmDialog, DataTable, ErrorNote, type FieldSpec, FormDialog, type FormValues, Pager, useListState } from '../ui';

type Row = Record<string, unknown>;

/** List and detail pages of an extension module's resource, from the OpenAPI document alone. */
export default function ResourcePages({ tag, id, owner }: { tag: string; id?: string; owner: Owner }) {
  const { data, error } = useResources();
  const resource = data?.find((r) => r.tag === tag);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <p>Loading…</p>;
  if (!resource) return <p>The server has no resource {tag}.</p>;
  if (resource.parentParams.length > 0) {
    return <p>{resource.title} lives under another resource ({resource.parentParams.join(', ')}); the console has no page for it yet.</p>;
  }
  // Changing things is for administrators, as with the core resources; the server has the last word.
  const manage = owner.role >= 2;
  return id === undefined ? <ResourceList resource={resource} manage={manage} /> : <ResourceDetail resource={resource} id={id} manage={manage} />;
}

const label = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

function display(value: unknown, schema?: JsonSchema): string {
  if (value === null || value === undefined) return '';
  if (schema?.format === 'date-time' && typeof value === 'string') return formatTime(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Form fields for a request body schema: enums as pickers, booleans as checkboxes, numbers as number inputs. */
function fieldsOf(schema: JsonSchema | undefined): FieldSpec[] {
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    label: label(name),
    required: schema?.required?.includes(name),
    hint: property.description,
    type: property.enum ? 'select' : property.type === 'boolean' ? 'checkbox' : property.type === 'number' || property.type === 'integer' ? 'number' : 'text',
    options: property.enum?.map((value) => ({ value: String(value), label: String(value) })),
  }));
}

function initialValues(schema: JsonSchema | undefined, from: Row = {}): FormValues {
  return Object.fromEntries(
    Object.entries(schema?.properties ?? {}).map(([name, property]) => {
      const value = from[name] ?? property.default ?? (property.enum ? property.enum[0] : undefined);
      return [name, property.type === 'boolean' ? value === true : value === undefined || value === null ? '' : String(value)];
    }),
  );
}

/** Form values back to the body's types; empty optional fields are left out. */
function bodyOf(schema: JsonSchema | undefined, values: FormValues): Row {
  const body: Row = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    const value = values[name];
    if (value === '' && !schema?.required?.includes(name)) continue;
    const numeric = property.type === 'number' || property.type === 'integer' || typeof property.enum?.[0] === 'number';
    body[name] = property.type === 'boolean' ? value === true : numeric ? Number(value) : value;
  }
  return body;
}

async function send(operation: DerivedOperation, request: { path?: Record<string, string>; query?: Row; body?: unknown }) {
  const envelope = await client.sendTo(operation, { params: { path: request.path, query: request.query }, body: request.body });
  return envelope.result;
}

/** `{instance_spec: {...}}` → the object inside; anything else as it is. */
function unwrapOne(result: unknown): Row | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const values = Object.values(result);
  return values.length === 1 && typeof values[0] === 'object' ? (values[0] as Row) : (result as Row);
}

function ResourceList({ resource, manage }: { resource: DerivedResource; manage: boolean }) {
  const list = useListState();
  const queries = useQueryClient();
  const [creating, setCreating] = useState(false);
  const properties = resource.element?.properties ?? {};
  const queryNames = new Set(resource.list!.query.map((q) => q.name));
  const query = Object.fromEntries(Object.entries(list.query).filter(([name]) => queryNames.has(name)));
  const { data, error } = useQuery({
    queryKey: ['resource', resource.tag, 'list', query],
    queryFn: async () => (await send(resource.list!, { query })) as { elements: Row[]; size: number; total?: number },
    // The page shown stays until the next one arrives: no "Loading…" flash between pages.
    placeholderData: keepPreviousData,
  });
  const sortable = new Set(resource.list!.query.find((q) => q.name === 'sort')?.schema.enum?.map(String) ?? []);
  const columns: Column<Row>[] = Object.entries(properties)
    .filter(([, schema]) => schema.type !== 'object' && schema.type !== 'array')
    .slice(0, 7)
    .map(([name, schema]) => ({
      key: name,
      label: label(name),
      sortable: sortable.has(name),
      render:
        name === resource.idField && resource.get
          ? (row: Row) => <Link to={`/resource/${resource.tag}/${encodeURIComponent(String(row[name]))}`}>{display(row[name])}</Link>
          : (row: Row) => display(row[name], schema),
    }));
  return (
    <section>
      <header className="page-header">
        <h1>{label(resource.title)}</h1>
        {manage && resource.create && (
          <button type="button" onClick={() => setCreating(true)}>
            New {resource.title}
          </button>
        )}
      </header>
      <p>{resource.description}</p>
      <ErrorNote error={error} />
      <DataTable
        caption={resource.title}
        columns={columns}
        rows={data?.elements}
        rowKey={(row) => String(row[resource.idField])}
        sort={queryNames.has('sort') ? list.sort : undefined}
        onSort={queryNames.has('sort') ? list.setSort : undefined}
      />
      {queryNames.has('page') && (
        <Pager page={list.page} size={list.size} total={data?.total} shown={data?.size ?? 0} onPage={list.setPage} onSize={list.setSize} />
      )}
      {creating && (
        <FormDialog
          title={`New ${resource.title}`}
          fields={fieldsOf(resource.create!.body)}
          initial={initialValues(resource.create!.body)}
          submitLabel="Create"
          onSubmit={async (values) => {
            await send(resource.create!, { body: bodyOf(resource.create!.body, values) });
            await queries.invalidateQueries({ queryKey: ['resource', resource.tag] });
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </section>
  );
}

function ResourceDetail({ resource, id, manage }: { resource: DerivedResource; id: string; manage: boolean }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const path = { [resource.idParam!]: id };
  const { data, error } = useQuery({
    queryKey: ['resource', resource.tag, 'one', id],
    queryFn: async () => unwrapOne(await send(resource.get!, { path })),
    enabled: resource.get !== undefined,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['resource', resource.tag] });
  return (
    <section>
      <p>
        <Link to={`/resource/${resource.tag}`}>← {label(resource.title)}</Link>
      </p>
      <header className="page-header">
        <h1>
          {label(resource.title)} {String(data?.name ?? id)}
        </h1>
        {manage && resource.update && (
          <button type="button" onClick={() => setDialog('edit')}>
            Edit
          </button>
        )}
        {manage && resource.remove && (
          <button type="button" onClick={() => setDialog('delete')}>
            Delete
          </button>
        )}
      </header>
      <ErrorNote error={error} />
      {data && (
        <dl className="details">
          {Object.entries(data).map(([name, value]) => (
            <div key={name}>
              <dt>{label(name)}</dt>
              <dd>{display(value, resource.element?.properties?.[name])}</dd>
            </div>
          ))}
        </dl>
      )}
      {dialog === 'edit' && data && (
        <FormDialog
          title={`Edit ${resource.title}`}
          fields={fieldsOf(resource.update!.body)}
          initial={initialValues(resource.update!.body, data)}
          submitLabel="Save"
          onSubmit={async (values) => {
            await send(resource.update!, { path, body: bodyOf(resource.update!.body, values) });
            await refresh();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={`Delete ${resource.title}`}
          question={`Delete this ${resource.title}? This cannot be undone.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await send(resource.remove!, { path });
            await refresh();
            navigate(`/resource/${resource.tag}`);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
