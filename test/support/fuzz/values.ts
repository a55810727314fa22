/**
 * The values the fuzzer sends, as a tree that plain JSON cannot express: keys such as `__proto__`
 * kept as data, raw JSON text (`1e309`, `"\ud800x"`), nesting 100,000 levels deep and bodies over a
 * MiB kept small until they are sent, and references to resources that are only known at send time.
 */
export type Value = null | boolean | number | string | ObjectValue | ArrayValue | Raw | Ref | Nested | Big;

/** Object members in order; a key may be anything, `__proto__` included. */
export interface ObjectValue {
  object: [string, Value][];
}
export interface ArrayValue {
  array: Value[];
}
/** Text sent exactly as is: JSON text in a body, already percent-encoded text in a path or query. */
export interface Raw {
  raw: string;
}
/**
 * A resource of a kind (`az`, `cluster`, `user`, `token`, …) picked when the request is sent: the
 * plan is generated before the run, the resources are created during it.
 */
export interface Ref {
  ref: string;
  pick: number;
  /** What is sent when no resource of that kind exists, or when `pick` asks for an unknown one. */
  fallback: string | number;
}
/** `depth` levels of `[` (or `{"a":`), closed again: raw JSON text. */
export interface Nested {
  nested: 'array' | 'object';
  depth: number;
}
/** A JSON string of `length` characters. */
export interface Big {
  big: number;
}

export const isObject = (v: Value): v is ObjectValue => typeof v === 'object' && v !== null && 'object' in v;
export const isRef = (v: Value): v is Ref => typeof v === 'object' && v !== null && 'ref' in v;

/** Text as pieces, so that a 100,000-level body is written once and described in a line. */
export type Piece = string | { repeat: string; times: number };

export function jsonPieces(value: Value): Piece[] {
  if (value === null || typeof value !== 'object') return [JSON.stringify(value)];
  if ('raw' in value) return [value.raw];
  if ('ref' in value) throw new Error('a reference must be resolved before it is sent');
  if ('big' in value) return ['"', { repeat: 'x', times: value.big }, '"'];
  if ('nested' in value) {
    return value.nested === 'array'
      ? [
          { repeat: '[', times: value.depth },
          { repeat: ']', times: value.depth },
        ]
      : [{ repeat: '{"a":', times: value.depth }, '1', { repeat: '}', times: value.depth }];
  }
  const parts: Piece[][] =
    'array' in value ? value.array.map(jsonPieces) : value.object.map(([k, v]) => [JSON.stringify(k), ':', ...jsonPieces(v)]);
  const [open, close] = 'array' in value ? ['[', ']'] : ['{', '}'];
  return [open, ...parts.flatMap((p, i) => (i === 0 ? p : [',', ...p])), close];
}

export const piecesText = (pieces: Piece[]): string =>
  pieces.map((p) => (typeof p === 'string' ? p : p.repeat.repeat(p.times))).join('');

/** A JavaScript expression that builds the same text (for a reproduction command). */
export function piecesExpression(pieces: Piece[]): string {
  const merged = pieces.reduce<Piece[]>((all, p) => {
    const last = all[all.length - 1];
    if (typeof p === 'string' && typeof last === 'string') all[all.length - 1] = last + p;
    else all.push(p);
    return all;
  }, []);
  return merged
    .map((p) => (typeof p === 'string' ? JSON.stringify(p) : `${JSON.stringify(p.repeat)}.repeat(${p.times})`))
    .join('+');
}

/** A value as it travels in a path segment or a query string: strings encoded, raw text as is. */
export function urlText(value: Value): string {
  if (typeof value === 'string') return encodeURIComponent(wellFormed(value));
  if (value === null || typeof value !== 'object') return String(value);
  if ('raw' in value) return value.raw;
  return encodeURIComponent(wellFormed(piecesText(jsonPieces(value))));
}

/** Lone surrogates cannot be percent-encoded as UTF-8 (they travel as raw `%ED%A0%80` instead). */
const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
