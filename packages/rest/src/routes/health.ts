// /v1/health (§5.5)
import type { RouterOutputs } from "@portal/server";
import type { RestRoute } from "./types.ts";

export const healthRoutes: RestRoute[] = [
  {
    method: "get",
    path: "/health",
    procedure: "health",
    session: "optional",
    status: (result: RouterOutputs["health"]) => (result.status === "unhealthy" ? 503 : 200),
    resultStatuses: { 503: "The database does not answer: status unhealthy" },
  },
];
