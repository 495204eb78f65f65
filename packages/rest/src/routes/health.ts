// /v1/health (§5.5)
import type { RouterOutputs } from "@portal/server";
import type { RestRoute } from "./types.ts";

export const healthRoutes: RestRoute[] = [
  {
    method: "get",
    path: "/health",
    call: (caller) => caller.health(),
    status: (result: RouterOutputs["health"]) => (result.status === "unhealthy" ? 503 : 200),
  },
];
