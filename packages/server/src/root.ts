import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { adminRouter } from "./routers/admin/index.ts";
import { authRouter } from "./routers/auth/index.ts";
import { health } from "./routers/health.ts";
import { usersRouter } from "./routers/users/index.ts";
import { portalRouter } from "./routers/portal/index.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({ admin: adminRouter, portal: portalRouter, auth: authRouter, users: usersRouter, health });

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
