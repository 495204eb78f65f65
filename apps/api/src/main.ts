// `pnpm start` — the Portal chats server.
import type { AddressInfo } from "node:net";
import { openDatabase } from "@portal/db";
import { ConfigError, createServices, DockerBrowserVms, loadConfig, superviseChatBrowsers, type PortalConfig } from "@portal/server";
import { createApp } from "./app.ts";
import { runCommand } from "./cli/commands.ts";
import { operatorSocketPath, serveOperatorCommands } from "./cli/operator-socket.ts";
import { createLogger } from "./logger.ts";

function readConfig(): PortalConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createLogger(config.logLevel);
const embedded = config.databaseUrl === null;
const operatorSocket = embedded ? operatorSocketPath(config.dataDir) : undefined;

const db = await openDatabase({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  poolSize: config.dbPoolSize,
  migrate: true,
  role: "the Portal server",
  operatorSocket,
  log: (line) => logger.info(line),
}).catch((error: Error) => {
  logger.fatal({ err: error }, "could not open the database");
  console.error(error.message);
  process.exit(1);
});
logger.info({ database: db.kind, location: db.location }, "database ready");

const operator = operatorSocket ? await serveOperatorCommands(operatorSocket, (command) => runCommand(db, config, command)) : null;

const browserVms = new DockerBrowserVms({ config: config.browserVms, browserImages: config.browserImages, log: logger.child({ component: "browser-vms" }) });
const services = createServices(config, { browserVms });
const supervision = superviseChatBrowsers(db.prisma, browserVms, { intervalMs: config.browserVms.reconcileIntervalMs, log: logger });

const app = createApp({ db: db.prisma, config, logger, services });
const server = app.listen(config.port, config.host);
await new Promise<void>((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
}).catch(async (error: NodeJS.ErrnoException) => {
  logger.fatal({ err: error }, "could not listen");
  console.error(`Cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
  await operator?.close();
  await db.close();
  process.exit(1);
});
const address = server.address() as AddressInfo;
logger.info({ url: `http://${address.address}:${address.port}` }, "listening");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: no new connections, finishing requests in flight");
  const force = setTimeout(() => {
    logger.warn("requests still open after the shutdown timeout; closing their connections");
    server.closeAllConnections();
  }, config.shutdownTimeoutMs);
  force.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(force);
  supervision.stop();
  await browserVms.close();
  await operator?.close();
  await db.close();
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
