import type { Pool } from 'pg';
import type { EntityManager, EntityTarget, ObjectLiteral, QueryResult } from 'typeorm';

/**
 * A query node-postgres prepares once per connection (parse and plan), then only binds and runs.
 * Entity statements take their rows as arrays, in the order of the select list: node-postgres then
 * builds no object per row for toEntity to copy from.
 */
interface PreparedStatement {
  name: string;
  text: string;
  rowMode?: 'array';
}

interface ColumnMapping {
  column: string;
  property: string;
  from?: (value: unknown) => unknown;
  to?: (value: unknown) => unknown;
}

interface Shape {
  table: string;
  /** The quoted column names, in the order of `columns`. */
  select: string;
  columns: ColumnMapping[];
  byProperty: Map<string, string>;
  prototype: object;
}

export type Where<E> = Partial<Record<keyof E & string, string | number>>;

/** What a caller of EntityRows.select writes its SQL with: quoted table and column names. */
export interface EntitySql {
  table: string;
  /** Every column of the entity, for the select list. */
  select: string;
  /** The quoted column of an entity property. */
  column(property: string): string;
}

let statements = 0;

/** `$1, $2, …, $count`. */
const placeholders = (count: number) => Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');

/** `"a" = $from AND "b" = $(from + 1) …` for the properties of a `where`, whose values are `Object.values(where)`. */
const equalities = (sql: EntitySql, properties: string[], from = 1) =>
  properties.map((property, i) => `${sql.column(property)} = $${from + i}`).join(' AND ');

/**
 * Whole-entity statements by equality on some columns, for the hot paths (a GET by id, the row a
 * command locks, counts against a limit, the insert and delete of a command). The SQL is written
 * once per shape from TypeORM's own metadata and runs as a prepared statement; values pass through
 * the same column mapping and transformers TypeORM applies. TypeORM builds its query anew on every
 * call (`findOne` costs about three times the query itself in CPU; bench/http.bench.ts), so the
 * request paths measured there use this; everything else goes through TypeORM.
 *
 *   const AZ_ROWS = new EntityRows(AzEntity);
 *   const az = await AZ_ROWS.findOne(manager, { uuid }, { lock: true });
 */
export class EntityRows<E extends ObjectLiteral> {
  private readonly prepared = new Map<string, PreparedStatement>();
  private shape: Shape | undefined;

  constructor(private readonly entity: EntityTarget<E>) {}

  /**
   * The entity whose columns equal `where` (property names), or undefined. With `lock`, the row
   * stays locked (FOR UPDATE) until the transaction of `manager` ends.
   */
  async findOne(manager: EntityManager, where: Where<E>, { lock = false } = {}): Promise<E | undefined> {
    const rows = await this.run<unknown[]>(
      manager,
      where,
      lock ? 'find lock' : 'find',
      (shape, conditions) => `SELECT ${shape.select} FROM "${shape.table}" WHERE ${conditions}${lock ? ' FOR UPDATE' : ''}`,
    );
    return rows.length === 0 ? undefined : this.toEntity(rows[0]);
  }

  /** How many rows match `where`. */
  async count(manager: EntityManager, where: Where<E>): Promise<number> {
    const rows = await this.run<Record<string, unknown>>(
      manager,
      where,
      'count',
      (shape, conditions) => `SELECT count(*)::int AS n FROM "${shape.table}" WHERE ${conditions}`,
    );
    return rows[0].n as number;
  }

  /** Deletes the rows that match `where`. */
  async delete(manager: EntityManager, where: Where<E>): Promise<void> {
    await this.run<Record<string, unknown>>(
      manager,
      where,
      'delete',
      (shape, conditions) => `DELETE FROM "${shape.table}" WHERE ${conditions}`,
    );
  }

  /**
   * Deletes the entity whose columns equal `where` and returns it as it was, or undefined when
   * there is none. The delete locks the row as SELECT … FOR UPDATE would, waiting for a
   * transaction that holds it: as a transaction's first write it serves as the aggregate's lock of
   * the unit of work's rule, one round trip instead of a lock and a delete.
   */
  async deleteOne(manager: EntityManager, where: Where<E>): Promise<E | undefined> {
    const rows = await this.run<unknown[]>(
      manager,
      where,
      'delete returning',
      (shape, conditions) => `DELETE FROM "${shape.table}" WHERE ${conditions} RETURNING ${shape.select}`,
    );
    return rows.length === 0 ? undefined : this.toEntity(rows[0]);
  }

  /** Inserts one entity (every column, through the columns' transformers as TypeORM would). */
  async insert(manager: EntityManager, entity: E): Promise<void> {
    const shape = this.shapeOf(manager);
    await this.statementRows(
      manager,
      'insert',
      (sql) => `INSERT INTO ${sql.table} (${sql.select}) VALUES (${placeholders(shape.columns.length)})`,
      this.columnValues(shape, entity),
    );
  }

  /**
   * Inserts one entity unless `limit` rows already match `where`; whether it did. One statement:
   * the count is taken in the insert's own snapshot. Like a count followed by an insert, the limit
   * holds under concurrency only while the caller keeps locked the row the counted ones belong to
   * (the cluster a host joins, say): the statement starts after that lock is granted, so it sees
   * every row an earlier holder of the lock committed.
   */
  async insertWithin(manager: EntityManager, entity: E, where: Where<E>, limit: number): Promise<boolean> {
    const shape = this.shapeOf(manager);
    const properties = Object.keys(where);
    const width = shape.columns.length;
    const rows = await this.statementRows<unknown[]>(
      manager,
      `insert within:${properties.join(',')}`,
      // Parameters in INSERT … SELECT take the types of the columns they go to, as in VALUES.
      (sql) =>
        `INSERT INTO ${sql.table} (${sql.select}) SELECT ${placeholders(width)} ` +
        `WHERE (SELECT count(*) FROM ${sql.table} WHERE ${equalities(sql, properties, width + 1)}) < $${width + properties.length + 1} RETURNING 1`,
      [...this.columnValues(shape, entity), ...Object.values(where), limit],
      'array',
    );
    return rows.length === 1;
  }

  /** An entity's column values, in the order of the select list, through the columns' transformers. */
  private columnValues(shape: Shape, entity: E): unknown[] {
    return shape.columns.map(({ property, to }) => (to ? to(entity[property]) : entity[property]));
  }

  /**
   * Entities selected by a statement the caller writes from the entity's table and columns (its
   * select list first), prepared once per `key`: the key must name everything that shapes the text
   * (which filters, which order), never values. `extras` holds, per row, the columns the statement
   * selects after the entity's (a window count, say).
   */
  async select(
    manager: EntityManager,
    key: string,
    write: (sql: EntitySql) => string,
    values: unknown[],
  ): Promise<{ entities: E[]; extras: unknown[][] }> {
    const rows = await this.statementRows<unknown[]>(manager, `select:${key}`, write, values, 'array');
    const width = this.shape!.columns.length;
    return { entities: rows.map((row) => this.toEntity(row)), extras: rows.map((row) => row.slice(width)) };
  }

  /** Raw rows of a statement the caller writes (a count, say), prepared once per `key`. */
  rawRows(
    manager: EntityManager,
    key: string,
    write: (sql: EntitySql) => string,
    values: unknown[],
  ): Promise<Record<string, unknown>[]> {
    return this.statementRows<Record<string, unknown>>(manager, `raw:${key}`, write, values);
  }

  /** Runs the statement `sql` writes for the columns of `where`, prepared once per shape; entity rows as arrays. */
  private run<Row extends unknown[] | Record<string, unknown>>(
    manager: EntityManager,
    where: Where<E>,
    kind: 'find' | 'find lock' | 'count' | 'delete' | 'delete returning',
    sql: (shape: Shape, conditions: string) => string,
  ): Promise<Row[]> {
    const properties = Object.keys(where);
    return this.statementRows<Row>(
      manager,
      `${kind}:${properties.join(',')}`,
      (entity) => sql(this.shape!, equalities(entity, properties)),
      Object.values(where),
      kind === 'find' || kind === 'find lock' || kind === 'delete returning' ? 'array' : undefined,
    );
  }

  private statementRows<Row>(
    manager: EntityManager,
    key: string,
    write: (sql: EntitySql) => string,
    values: unknown[],
    rowMode?: 'array',
  ): Promise<Row[]> {
    let statement = this.prepared.get(key);
    if (!statement) {
      const shape = this.shapeOf(manager);
      const column = (property: string) => {
        const name = shape.byProperty.get(property);
        if (!name) throw new Error(`${shape.table} has no column for the property ${property}`);
        return `"${name}"`;
      };
      statement = {
        name: `chime_rows_${++statements}`,
        text: write({ table: `"${shape.table}"`, select: shape.select, column }),
        rowMode,
      };
      this.prepared.set(key, statement);
    }
    return this.query<Row>(manager, statement, values);
  }

  private query<Row>(manager: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<Row[]> {
    if (manager.queryRunner) {
      // In a transaction, on its connection. TypeORM hands a query object to node-postgres untouched:
      // with a name, it is a prepared statement. Its structured result gives the rows whatever the
      // command (its plain one is [rows, count] for a DELETE or an UPDATE).
      return manager.queryRunner
        .query({ ...statement, values } as unknown as string, undefined, true)
        .then((result: QueryResult) => result.records as Row[]);
    }
    // Outside one, straight to the pool (the embedded database's too: a node-postgres pool over
    // PGlite): TypeORM's query runner — acquire, wrap, release — costs more CPU than the statement's
    // own round trip (`npm run bench:http`). Errors keep node-postgres's codes, which
    // classifyDatabaseError reads as it reads TypeORM's.
    const pool = (manager.connection.driver as unknown as { master: Pool }).master;
    return pool.query({ ...statement, values }).then((result) => result.rows as Row[]);
  }

  private shapeOf(manager: EntityManager): Shape {
    if (!this.shape) {
      const metadata = manager.connection.getMetadata(this.entity);
      const columns: ColumnMapping[] = metadata.columns.map((column) => {
        const transformers = column.transformer === undefined ? [] : [column.transformer].flat();
        return {
          column: column.databaseName,
          property: column.propertyName,
          from: transformers.length === 0 ? undefined : (value) => transformers.reduceRight((v, t) => t.from(v), value),
          to: transformers.length === 0 ? undefined : (value) => transformers.reduce((v, t) => t.to(v), value),
        };
      });
      this.shape = {
        table: metadata.tableName,
        select: columns.map(({ column }) => `"${column}"`).join(', '),
        columns,
        byProperty: new Map(columns.map(({ column, property }) => [property, column])),
        // Instances of the entity class, as TypeORM's own reads give (save() and instanceof work on them).
        prototype: typeof metadata.target === 'function' ? (metadata.target.prototype as object) : Object.prototype,
      };
    }
    return this.shape;
  }

  /** The entity of a row selected as an array, the entity's columns first. */
  private toEntity(row: unknown[]): E {
    const { columns, prototype } = this.shape!;
    const entity = Object.create(prototype) as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) {
      const { property, from } = columns[i];
      entity[property] = from ? from(row[i]) : row[i];
    }
    return entity as E;
  }
}
