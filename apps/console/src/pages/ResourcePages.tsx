import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { client, formatTime, type Owner } from '../api';
import { type DerivedOperation, type DerivedResource, type JsonSchema, type ParentParam, unpickable, useResources } from '../derived';
import { Link, navigate, useSearchParams } from '../router';
import { type Column, ConfirmDialog, DataTable, ErrorNote, type FieldSpec, FormDialog, type FormValues, ListPager, RowButton, useListState } from '../ui';
import { useOwnDefault } from './ClustersPage';

type Row = Record<string, unknown>;
/** The parent path parameters picked so far (`{AzUuid: …, ClusterUuid: …}`), kept in the page's query string. */
type Parents = Record<string, string>;

/** List and detail pages of an extension module's resource, from the OpenAPI document alone. */
export default function ResourcePages({ name, id, owner }: { name: string; id?: string; owner: Owner }) {
  const { data, error } = useResources();
  const resource = data?.find((r) => r.key === name);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <p>Loading…</p>;
  if (!resource) return <p>The server has no resource {name}.</p>;
  const missing = unpickable(resource);
  if (missing.length > 0) {
    return <p>{resource.title} lives under {missing.join(', ')}, which the API document offers no list to pick from.</p>;
  }
  // Changing things is for administrators, as with the core resources; the server has the last word.
  const manage = owner.role >= 2;
  return (
    <ParentPickers key={`${resource.key}/${id ?? ''}`} resource={resource} owner={owner} index={0} chosen={{}} locked={id !== undefined}>
      {(parents) =>
        id === undefined ? (
          <ResourceList key={JSON.stringify(parents)} resource={resource} parents={parents} manage={manage} />
        ) : (
          <ResourceDetail resource={resource} parents={parents} id={id} manage={manage} />
        )
      }
    </ParentPickers>
  );
}

const label = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');
/** A picker's label: a short collection name is an abbreviation (`az` → AZ). */
const pickerLabel = (title: string) => (title.length <= 2 ? title.toUpperCase() : label(title));

/** A page's own address with the parents picked: `/resource/network/…?AzUuid=…&ClusterUuid=…`. */
const href = (resource: DerivedResource, parents: Parents, id?: string) => {
  const search = new URLSearchParams(parents).toString();
  return `/resource/${resource.key}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${search ? `?${search}` : ''}`;
};

/** Where the user's defaults (getUserDefault) start the pickers of the core parents, like the clusters page does. */
const DEFAULT_FIELDS: Record<string, 'az_uuid' | 'clusters_uuid'> = { AzUuid: 'az_uuid', ClusterUuid: 'clusters_uuid' };

/** Everything of a parent's list, for its picker: the largest page it allows, by name when it sorts by name. */
function pickerQuery(parent: ParentParam): Row {
  const query: Row = {};
  for (const { name, schema } of parent.list.query) {
    if (name === 'size') query.size = Math.min(schema.maximum ?? 100, 1000);
    if (name === 'sort' && schema.enum?.includes('name')) query.sort = 'name';
    if (name === 'order') query.order = 'asc';
  }
  return query;
}

/**
 * The picker of parent `index` (its options from the parent's list under the parents picked before
 * it), then the next one, then the page. A choice goes into the URL and clears the pickers after it;
 * without one, the user's default, else the first element. `locked` shows them as context only.
 */
function ParentPickers({
  resource,
  owner,
  index,
  chosen,
  locked,
  children,
}: {
  resource: DerivedResource;
  owner: Owner;
  index: number;
  chosen: Parents;
  locked: boolean;
  children: (parents: Parents) => ReactNode;
}) {
  const parent = resource.parents[index] as ParentParam | undefined;
  const search = useSearchParams();
  const ownDefault = useOwnDefault(owner);
  const pickerId = useId();
  const { data, error } = useQuery({
    queryKey: ['resource-parent', parent?.list.path, chosen],
    queryFn: async () => (await send(parent!.list, { path: chosen, query: pickerQuery(parent!) })) as { elements: Row[] },
    enabled: parent !== undefined,
  });
  if (!parent) return <>{children(chosen)}</>;
  const elements = data?.elements ?? [];
  const valueOf = (row: Row) => String(row[parent.idField]);
  const defaultField = DEFAULT_FIELDS[parent.param];
  const preferred = search.get(parent.param) ?? (defaultField && ownDefault.data?.default[defaultField]);
  const value = elements.some((row) => valueOf(row) === preferred) || (locked && preferred) ? preferred! : elements[0] && valueOf(elements[0]);
  const choose = (next: string) => {
    const kept = Object.fromEntries(resource.parents.slice(0, index).map((p) => [p.param, chosen[p.param]]));
    navigate(href(resource, { ...kept, [parent.param]: next }));
  };
  return (
    <>
      <div className="parent-picker">
        <label htmlFor={pickerId}>{pickerLabel(parent.title)}</label>
        <select id={pickerId} value={value ?? ''} disabled={locked} onChange={(event) => choose(event.target.value)}>
          {elements.map((row) => (
            <option key={valueOf(row)} value={valueOf(row)}>
              {String(row.name ?? valueOf(row))}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={error} />
      {data && elements.length === 0 && (
        <p>
          There is no {parent.title} {index > 0 ? `in this ${resource.parents[index - 1].title} ` : ''}yet: create one first.
        </p>
      )}
      {value && (
        <ParentPickers resource={resource} owner={owner} index={index + 1} chosen={{ ...chosen, [parent.param]: value }} locked={locked}>
          {children}
        </ParentPickers>
      )}
    </>
  );
}

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

function ResourceList({ resource, parents, manage }: { resource: DerivedResource; parents: Parents; manage: boolean }) {
  const list = useListState();
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'delete'; row: Row }>();
  const properties = resource.element?.properties ?? {};
  const queryNames = new Set(resource.list!.query.map((q) => q.name));
  // A list without paging answers everything at once: no page or size to send.
  const query = Object.fromEntries(Object.entries(list.query).filter(([name]) => queryNames.has(name)));
  const { data, error } = useQuery({
    queryKey: ['resource', resource.key, 'list', parents, query],
    queryFn: async () => (await send(resource.list!, { path: parents, query })) as { elements: Row[]; size: number; total?: number },
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
          ? (row: Row) => <Link to={href(resource, parents, String(row[name]))}>{display(row[name])}</Link>
          : (row: Row) => display(row[name], schema),
    }));
  return (
    <section>
      <header className="page-header">
        <h1>{label(resource.title)}</h1>
        {manage && resource.create && (
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
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
        actions={
          // Without a detail page (a relation), deleting is done from the list.
          manage && resource.remove && !resource.get
            ? (row) => (
                <RowButton action="Delete" name={String(row[resource.idField])} onClick={() => setDialog({ kind: 'delete', row })} />
              )
            : undefined
        }
      />
      {queryNames.has('page') && (
        <ListPager list={list} data={data} />
      )}
      {dialog?.kind === 'create' && (
        <FormDialog
          title={`New ${resource.title}`}
          fields={fieldsOf(resource.create!.body)}
          initial={initialValues(resource.create!.body)}
          submitLabel="Create"
          onSubmit={async (values) => {
            await send(resource.create!, { path: parents, body: bodyOf(resource.create!.body, values) });
            await queries.invalidateQueries({ queryKey: ['resource', resource.key] });
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${resource.title}`}
          question={`Delete this ${resource.title}? This cannot be undone.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await send(resource.remove!, { path: { ...parents, [resource.idParam!]: String(dialog.row[resource.idField]) } });
            await queries.invalidateQueries({ queryKey: ['resource', resource.key] });
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

function ResourceDetail({ resource, parents, id, manage }: { resource: DerivedResource; parents: Parents; id: string; manage: boolean }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const path = { ...parents, [resource.idParam!]: id };
  const { data, error } = useQuery({
    queryKey: ['resource', resource.key, 'one', path],
    queryFn: async () => unwrapOne(await send(resource.get!, { path })),
    enabled: resource.get !== undefined,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['resource', resource.key] });
  return (
    <section>
      <p>
        <Link to={href(resource, parents)}>← {label(resource.title)}</Link>
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
            navigate(href(resource, parents));
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}
