// What the rest of the server imports: the interface and its errors, the Docker implementation,
// and the reconcile loop. Docker details stay inside docker/.
export * from "./types.ts";
export { DockerBrowserVms, type DockerBrowserVmsOptions } from "./docker/service.ts";
export { superviseBrowserVms, type SupervisionOptions } from "./docker/reconcile.ts";
