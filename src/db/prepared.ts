import type { CompiledQuery, Compilable, Insertable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A value of a prepared query's argument: one SQL parameter (lists would change the SQL). */
type ArgValue = string | number | null;
type Args = Record<string, ArgValue>;

/** Marks where an argument goes in the compiled parameters; no real value contains a NUL. */
const MARK = '\u0000pixapi-arg:';

interface Template {
  compiled: CompiledQuery;
  /** Per parameter: the argument to put there, or the constant the builder was given. */
  slots: Array<{ arg: string } | { value: unknown }>;
}

/**
 * A query on the request path, built and compiled by Kysely once per dialect and then run with
 * new arguments. Building a Kysely query (its immutable tree, then the SQL) on every call cost
 * more main-thread time than SQLite takes to run most of these; the SQL and its parameters are
 * exactly what the builder produces, so both dialects keep working unchanged.
 *
 * `build` receives `arg(name)`, a stand-in for the argument's value, to use wherever a value
 * goes (it compiles to one parameter); anything else it passes is a constant of the query.
 */
export class PreparedQuery<A extends Args, R> {
  /** By adapter: a database and its transactions share one, and each dialect has its own. */
  readonly #templates = new WeakMap<object, Template>();

  constructor(
    private readonly build: (
      db: Kysely<Database>,
      arg: <K extends keyof A & string>(name: K) => A[K],
    ) => Compilable<R>,
  ) {}

  #template(db: Kysely<Database>): Template {
    const adapter = db.getExecutor().adapter;
    let template = this.#templates.get(adapter);
    if (!template) {
      const compiled = this.build(db, (name) => `${MARK}${name}` as A[typeof name]).compile();
      const slots = compiled.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK)
          ? { arg: value.slice(MARK.length) }
          : { value },
      );
      template = { compiled, slots };
      this.#templates.set(adapter, template);
    }
    return template;
  }

  #run(db: Kysely<Database>, args: A) {
    // A plugin may rewrite each query it sees (tests inject failures with one): built anew.
    if (db.getExecutor().plugins.length > 0) {
      return db.executeQuery(this.build(db, (name) => args[name]));
    }
    const { compiled, slots } = this.#template(db);
    const parameters = slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    return db.executeQuery<R>({ ...compiled, parameters });
  }

  /** Every row the query returns. */
  async rows(db: Kysely<Database>, args: A): Promise<R[]> {
    return (await this.#run(db, args)).rows;
  }

  /** The first row, if any. */
  async first(db: Kysely<Database>, args: A): Promise<R | undefined> {
    return (await this.#run(db, args)).rows[0];
  }

  /** How many rows an insert, update or delete changed. */
  async affected(db: Kysely<Database>, args: A): Promise<number> {
    return Number((await this.#run(db, args)).numAffectedRows ?? 0);
  }
}

/**
 * `new PreparedQuery` with the row type inferred from the builder:
 * `prepared<{ id: string }>()((db, arg) => db.selectFrom('t').selectAll().where('id', '=', arg('id')))`.
 */
export function prepared<A extends Args>() {
  return <R>(
    build: (
      db: Kysely<Database>,
      arg: <K extends keyof A & string>(name: K) => A[K],
    ) => Compilable<R>,
  ) => new PreparedQuery<A, R>(build);
}

/** Inserts by table and column list; each keeps its template per dialect itself. */
const inserts = new Map<string, PreparedQuery<Args, unknown>>();

/**
 * Inserts one row through a template prepared for its table and columns: what
 * `insertInto(table).values(row).execute()` does, without building the query each time.
 * Every value is a parameter; a row needing an SQL expression uses the builder instead.
 */
export async function insertRow<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  row: Insertable<Database[T]>,
): Promise<void> {
  // Like Kysely's values(): an undefined column is left out (its default applies), not NULL.
  const columns = Object.keys(row).filter((c) => (row as Args)[c] !== undefined);
  const shape = `${table}(${columns.join(',')})`;
  let query = inserts.get(shape);
  if (!query) {
    query = new PreparedQuery<Args, unknown>((k, arg) =>
      k
        .insertInto(table)
        .values(Object.fromEntries(columns.map((c) => [c, arg(c)])) as Insertable<Database[T]>),
    );
    inserts.set(shape, query);
  }
  await query.affected(db, row);
}
