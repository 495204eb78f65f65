// The procedures REST routes call, named by their dotted tRPC path ("admin.chats.create"): one
// name links a route to the procedure it calls and to the schemas its document shows.
import { appRouter, type AppRouter, type createCaller } from "@portal/server";
import type { AnyMutationProcedure, AnyProcedure, AnyQueryProcedure } from "@trpc/server";
import { z } from "zod";

type Caller = ReturnType<typeof createCaller>;

/** The dotted paths of the procedures in `TRecord` that are of kind `TKind`. */
type PathsOf<TRecord, TKind, TPrefix extends string = ""> = {
  [K in keyof TRecord & string]: TRecord[K] extends TKind
    ? `${TPrefix}${K}`
    : TRecord[K] extends AnyProcedure
      ? never
      : PathsOf<TRecord[K], TKind, `${TPrefix}${K}.`>;
}[keyof TRecord & string];

/** Reads: what a GET route may call. */
export type QueryPath = PathsOf<AppRouter["_def"]["record"], AnyQueryProcedure>;
/** Mutations: what a POST route may call. */
export type MutationPath = PathsOf<AppRouter["_def"]["record"], AnyMutationProcedure>;
export type ProcedurePath = QueryPath | MutationPath;

// tRPC types `procedures` like the nested record, but keeps it flat by dotted path.
const procedures = appRouter._def.procedures as unknown as Readonly<Record<string, AnyProcedure | undefined>>;

/** The procedure itself, for its input and output schemas. */
export function procedureAt(path: ProcedurePath): AnyProcedure {
  const procedure = procedures[path];
  if (!procedure) throw new Error(`No procedure '${path}' in the app router`);
  return procedure;
}

/** The zod schemas of a procedure's `.input()` and `.output()`, which its REST route documents. */
export function procedureSchemas(path: ProcedurePath): { input?: z.ZodType; output: z.ZodType } {
  // tRPC keeps the output parser on the definition without typing it.
  const { inputs, output } = procedureAt(path)._def as { inputs: unknown[]; output?: unknown };
  const [input, ...more] = inputs;
  if (more.length > 0 || !(output instanceof z.ZodType) || (input !== undefined && !(input instanceof z.ZodType))) {
    throw new Error(`${path}: documented procedures have one zod .output() and at most one zod .input()`);
  }
  return input === undefined ? { output } : { input, output };
}

/**
 * How to call the procedure at `path` through a caller, as `caller.admin.chats.create(input)`
 * does, worked out once per route rather than per request. A procedure without an input schema
 * is called without input, whatever the request carried.
 */
export function procedureCall(path: ProcedurePath): (caller: Caller, input: unknown) => Promise<unknown> {
  const keys = path.split(".");
  const takesInput = procedureAt(path)._def.inputs.length > 0;
  return (caller, input) => {
    const call = keys.reduce<any>((node, key) => node[key], caller) as (input?: unknown) => Promise<unknown>;
    return takesInput ? call(input) : call();
  };
}
