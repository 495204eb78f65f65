// health (§5.5) through createCaller: the database by a query, Docker by a ping, never throwing.
import type { Database } from "@portal/db";
import { createCaller, createInnerContext, type BrowserVms } from "@portal/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/database.ts";
import { browserVmsAt, MISSING_ENGINE, startPingingEngine, type EngineStub } from "../../../test/support/engine-stub.ts";
import { testConfig } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";

const suite = useTestDatabase();
let engine: EngineStub;
const config = testConfig();
const startedAt = new Date("2027-01-02T03:04:05.678Z");

beforeAll(async () => {
  engine = await startPingingEngine();
});
afterAll(async () => {
  await engine?.close();
});

const health = (database: Database, browserVms: BrowserVms) =>
  createCaller(createInnerContext({ db: database.prisma, config, services: { browserVms, startedAt } })).health();

describe("health", () => {
  it("is healthy when the database and the Docker engine answer, without a session", async () => {
    const vms = browserVmsAt(config, engine.dockerHost);
    expect(await health(suite.db, vms)).toStrictEqual({ status: "healthy", database: true, docker: true, started_at: "2027-01-02T03:04:05.678Z" });
    await vms.close();
  });

  it("is degraded when the Docker engine does not answer", async () => {
    const vms = browserVmsAt(config, MISSING_ENGINE);
    expect(await health(suite.db, vms)).toStrictEqual({ status: "degraded", database: true, docker: false, started_at: "2027-01-02T03:04:05.678Z" });
    await vms.close();
  });

  it("is unhealthy when the database is down, and says so instead of failing", async () => {
    const closed = await openTestDatabase();
    await closed.close();
    const vms = browserVmsAt(config, engine.dockerHost);
    expect(await health(closed, vms)).toStrictEqual({ status: "unhealthy", database: false, docker: true, started_at: "2027-01-02T03:04:05.678Z" });
    await vms.close();
  });
});
