// Every REST route of the contract, by feature.
import { adminChatRoutes } from "./admin-chats.ts";
import { authRoutes } from "./auth.ts";
import { healthRoutes } from "./health.ts";
import { portalRoutes } from "./portal.ts";
import type { RestRoute } from "./types.ts";
import { userRoutes } from "./users.ts";

export type { RestRequest, RestRoute } from "./types.ts";

export const routes: readonly RestRoute[] = [...adminChatRoutes, ...portalRoutes, ...authRoutes, ...userRoutes, ...healthRoutes];
