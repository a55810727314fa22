import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { isApiError } from './api';

/**
 * An API failure shown where it happened: the server's message, and its request id one click away
 * (what support asks for).
 */
export function ErrorNote({ error }: { error: unknown }) {
  const [showId, setShowId] = useState(false);
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      <span>{message}</span>
      {isApiError(error) && error.requestId && (
        <>
          {' '}
          <button type="button" className="link" onClick={() => setShowId(!showId)} aria-expanded={showId}>
            Request id
          </button>
          {showId && <code className="request-id">{error.requestId}</code>}
        </>
      )}
    </div>
  );
}

export interface Column<Row> {
  key: string;
  label: string;
  sortable?: boolean;
  render?: (row: Row) => ReactNode;
}

export interface Sort {
  sort: string;
  order: 'asc' | 'desc';
}

/** A table over one page of a server-side list; sortable headers are buttons that ask the server to sort. */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  actions,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[] | undefined;
  rowKey: (row: Row) => string;
  sort?: Sort;
  onSort?: (sort: Sort) => void;
  actions?: (row: Row) => ReactNode;
}) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => {
            const active = sort?.sort === column.key;
            return (
              <th
                key={column.key}
                scope="col"
                aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {column.sortable && onSort ? (
                  <button
                    type="button"
                    className="sort"
                    onClick={() => onSort({ sort: column.key, order: active && sort.order === 'desc' ? 'asc' : 'desc' })}
                  >
                    {column.label}
                    <span aria-hidden="true">{active ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  column.label
                )}
              </th>
            );
          })}
          {actions && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {rows === undefined ? (
          <tr>
            <td colSpan={columns.length + (actions ? 1 : 0)}>Loading…</td>
          </tr>
        ) : rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length + (actions ? 1 : 0)}>Nothing here.</td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.key}>
                  {column.render ? column.render(row) : String((row as Record<string, unknown>)[column.key] ?? '')}
                </td>
              ))}
              {actions && <td className="actions">{actions(row)}</td>}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export const PAGE_SIZES = [10, 25, 50, 100];
/** Beyond this many matches a list's `total` is COUNT_CAP + 1, meaning "more" (the operation log). */
const COUNT_CAP = 10_000;

/** "Showing 1 to 10 of 57", with first/previous/next/last and the page size. */
export function Pager({
  page,
  size,
  total,
  shown,
  onPage,
  onSize,
}: {
  page: number;
  size: number;
  total: number | undefined;
  shown: number;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}) {
  const id = useId();
  // The operation log counts at most COUNT_CAP matches and answers COUNT_CAP + 1 for "more"
  // (API: listOperationLog); then the last page is not known, and the pager stays open-ended.
  const capped = total !== undefined && total > COUNT_CAP;
  const first = total ? (page - 1) * size + 1 : 0;
  const last = capped ? (page - 1) * size + shown : Math.min((page - 1) * size + shown, total ?? 0);
  const pages = capped ? undefined : Math.max(1, Math.ceil((total ?? 0) / size));
  const hasNext = pages === undefined ? shown === size : page < pages;
  return (
    <nav className="pager" aria-label="Pages">
      <span aria-live="polite">
        Showing {first} to {last} of {capped ? `${COUNT_CAP.toLocaleString('en')}+` : (total ?? '…')}
      </span>
      <button type="button" onClick={() => onPage(1)} disabled={page <= 1}>
        First page
      </button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous page
      </button>
      <span>
        Page {page} of {pages ?? 'many'}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={!hasNext}>
        Next page
      </button>
      <button type="button" onClick={() => pages !== undefined && onPage(pages)} disabled={pages === undefined || page >= pages}>
        Last page
      </button>
      <label htmlFor={id}>Rows per page</label>
      <select id={id} value={size} onChange={(event) => onSize(Number(event.target.value))}>
        {PAGE_SIZES.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </nav>
  );
}

/** The Pager of a list kept by useListState, over the page the server answered. */
export function ListPager({ list, data }: { list: ListState; data: { total?: number; size: number } | undefined }) {
  return (
    <Pager
      page={list.page}
      size={list.size}
      total={data?.total}
      shown={data?.size ?? 0}
      onPage={list.setPage}
      onSize={list.setSize}
    />
  );
}

/** A row's action: the button says what it does, its accessible name also which row ("Edit pool-e2e"). */
export function RowButton({ action, name, onClick }: { action: string; name: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} aria-label={`${action} ${name}`}>
      {action}
    </button>
  );
}

/** A screen's summary (the API's statistic of what it lists): cards in a labelled group, its error in place. */
export function SummaryCards({ label, error, children }: { label: string; error: unknown; children: ReactNode }) {
  return (
    <div className="cards" role="group" aria-label={label}>
      <ErrorNote error={error} />
      {children}
    </div>
  );
}

/** One card of a summary: its title, a figure shown large, then what the figure is made of. */
export function SummaryCard({ title, figure, children }: { title: ReactNode; figure?: ReactNode; children?: ReactNode }) {
  return (
    <article className="card">
      <h3>{title}</h3>
      {figure !== undefined && <p className="big">{figure}</p>}
      {children !== undefined && <p>{children}</p>}
    </article>
  );
}

/** A record's fields as a definition list, each label beside its value. */
export function DetailsList({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A modal dialog (the browser's <dialog>: focus kept inside, Escape closes it). */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'number' | 'select' | 'checkbox' | 'textarea' | 'datetime-local';
  options?: { value: string; label: string }[];
  required?: boolean;
  hint?: string;
  /** Number inputs: the smallest value and the step (`'any'` for decimals; the browser's default allows integers only). */
  min?: number;
  step?: number | 'any';
}

export type FormValues = Record<string, string | boolean>;

/**
 * A form in a dialog: fields, the API's error next to the submit button, Save and Cancel.
 * `renderFields` replaces the plain fields when they depend on each other (a picker fed by another).
 */
export function FormDialog({
  title,
  fields,
  initial,
  submitLabel,
  onSubmit,
  onClose,
  warning,
  renderFields,
}: {
  title: string;
  fields: FieldSpec[];
  initial: FormValues;
  submitLabel: string;
  onSubmit: (values: FormValues) => Promise<unknown>;
  onClose: () => void;
  warning?: string;
  renderFields?: (values: FormValues, onChange: (values: FormValues) => void) => ReactNode;
}) {
  const [values, setValues] = useState<FormValues>(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(values);
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit}>
        {renderFields ? renderFields(values, setValues) : <Fields fields={fields} values={values} onChange={setValues} />}
        {warning && <p className="warning">{warning}</p>}
        <ErrorNote error={error} />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function Fields({
  fields,
  values,
  onChange,
}: {
  fields: FieldSpec[];
  values: FormValues;
  onChange: (values: FormValues) => void;
}) {
  const prefix = useId();
  return (
    <div className="fields">
      {fields.map((field) => {
        const id = `${prefix}-${field.name}`;
        const value = values[field.name];
        const change = (next: string | boolean) => onChange({ ...values, [field.name]: next });
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>{field.label}</label>
            {field.type === 'select' ? (
              <select
                id={id}
                value={String(value ?? '')}
                required={field.required}
                onChange={(event) => change(event.target.value)}
              >
                {field.options?.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : field.type === 'checkbox' ? (
              <input id={id} type="checkbox" checked={value === true} onChange={(event) => change(event.target.checked)} />
            ) : field.type === 'textarea' ? (
              <textarea
                id={id}
                value={String(value ?? '')}
                required={field.required}
                onChange={(event) => change(event.target.value)}
              />
            ) : (
              <input
                id={id}
                type={field.type ?? 'text'}
                value={String(value ?? '')}
                required={field.required}
                min={field.min}
                step={field.step}
                autoComplete={field.type === 'password' ? 'new-password' : 'off'}
                onChange={(event) => change(event.target.value)}
              />
            )}
            {field.hint && <small>{field.hint}</small>}
          </div>
        );
      })}
    </div>
  );
}

/** "Delete AZ x?" with the API's refusal shown in the dialog (e.g. the AZ still holds clusters). */
export function ConfirmDialog({
  title,
  question,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  return (
    <FormDialog
      title={title}
      fields={[]}
      initial={{}}
      submitLabel={confirmLabel}
      onSubmit={onConfirm}
      onClose={onClose}
      warning={question}
    />
  );
}

/** A side panel over the page, for a record's details. */
export function Drawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <aside className="drawer" role="dialog" aria-labelledby={titleId} onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <header>
        <h2 id={titleId}>{title}</h2>
        <button type="button" ref={closeRef} onClick={onClose}>
          Close
        </button>
      </header>
      {children}
    </aside>
  );
}

/** Filters above a table: labelled inputs that apply as one types. */
export function FilterBar({
  fields,
  values,
  onChange,
}: {
  fields: FieldSpec[];
  values: FormValues;
  onChange: (values: FormValues) => void;
}) {
  return (
    <div className="filters" role="search" aria-label="Filters">
      <Fields fields={fields} values={values} onChange={onChange} />
    </div>
  );
}

/** `{a: '', b: 'x'}` → `{b: 'x'}`: filters left empty are not sent. */
export function nonEmpty(values: FormValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '' && value !== false)) as Record<
    string,
    string
  >;
}

/** Debounces a value (filters typed into a box hit the server once the typing pauses). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export type ListState = ReturnType<typeof useListState>;

/** Paging, sorting and filters of a server-side list; any change of sort or filter goes back to page 1. */
export function useListState(initialFilters: FormValues = {}) {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(PAGE_SIZES[0]);
  const [sort, setSortState] = useState<Sort>({ sort: 'created_at', order: 'desc' });
  const [filters, setFiltersState] = useState<FormValues>(initialFilters);
  const debouncedFilters = useDebounced(filters);
  return {
    page,
    size,
    sort,
    filters,
    setPage,
    setSize: (next: number) => (setSize(next), setPage(1)),
    setSort: (next: Sort) => (setSortState(next), setPage(1)),
    setFilters: (next: FormValues) => (setFiltersState(next), setPage(1)),
    /** The query parameters to send. */
    query: { page, size, sort: sort.sort, order: sort.order, ...nonEmpty(debouncedFilters) },
  };
}
