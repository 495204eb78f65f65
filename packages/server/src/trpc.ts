// The only place that initialises tRPC: the context type, the error shape, and the procedure
// builders the rest of the server may use.
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Context } from "./context.ts";
import { PermissionLevel, permissionRequiredMessage } from "./domain/levels.ts";
import { toValidationIssues } from "./validation.ts";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const validation = error.cause instanceof ZodError ? toValidationIssues(error.cause) : null;
    // An unexpected failure's message can hold SQL or paths: clients only learn that it failed.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, validation } };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** Failures of other systems (the Docker engine) become the statuses the contract gives them. */
export const publicProcedure = t.procedure;

function requireSession(session: Context["session"]): NonNullable<Context["session"]> {
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Not authenticated" });
  return session;
}

/** A signed-in caller; `ctx.session` is non-null downstream. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => next({ ctx: { session: requireSession(ctx.session) } }));

/**
 * A caller at or above a permission level. The level may come from the configuration (for
 * example PORTAL_OFFICIAL_CHAT_MIN_LEVEL), hence the function form. One middleware checks both
 * the session and the level: each middleware level costs on every call of the hottest routes.
 */
export function levelProcedure(minimum: number | ((ctx: Context) => number)) {
  return t.procedure.use(({ ctx, next }) => {
    const session = requireSession(ctx.session);
    const level = typeof minimum === "function" ? minimum(ctx) : minimum;
    if (session.user.permissionLevel < level) {
      throw new TRPCError({ code: "FORBIDDEN", message: permissionRequiredMessage(level) });
    }
    return next({ ctx: { session } });
  });
}

/**
 * Validates the raw input with a schema that depends on the configuration (the browser list),
 * before the static `.input()` schema types it, so that every invalid field is reported at once.
 */
export function configuredInput(build: (config: Context["config"]) => { safeParse(input: unknown): { success: boolean; error?: ZodError } }) {
  const schemas = new WeakMap<Context["config"], ReturnType<typeof build>>();
  return t.middleware(async ({ ctx, getRawInput, next }) => {
    let schema = schemas.get(ctx.config);
    if (!schema) schemas.set(ctx.config, (schema = build(ctx.config)));
    const result = schema.safeParse(await getRawInput());
    if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: result.error });
    return next();
  });
}

/** Admin routes (§5.2): Admin+. The hierarchy against the chat owner is checked per chat. */
export const adminProcedure = levelProcedure(PermissionLevel.admin);
