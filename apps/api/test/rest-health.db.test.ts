// GET /v1/health over real HTTP (§5.5): no session needed; 200 healthy or degraded, 503 with the
// same body when the database is down.
import type { Database } from "@portal/db";
import { createServices } from "@portal/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/database.ts";
import { browserVmsAt, MISSING_ENGINE, startPingingEngine, type EngineStub } from "../../../test/support/engine-stub.ts";
import { testConfig } from "../../../test/support/fixtures.ts";
import { request, startTestApp, type TestApp } from "../../../test/support/http.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";

const suite = useTestDatabase();
let engine: EngineStub;
const config = testConfig();
const startedAt = new Date("2027-05-06T07:08:09.010Z");
const opened: TestApp[] = [];

beforeAll(async () => {
  engine = await startPingingEngine();
});
afterAll(async () => {
  for (const app of opened) await app.close();
  await engine?.close();
});

async function appWith(database: Database, dockerHost: string): Promise<TestApp> {
  const services = createServices(config, { browserVms: browserVmsAt(config, dockerHost), startedAt });
  const app = await startTestApp(database.prisma, config, { services });
  opened.push(app);
  return app;
}

describe("GET /v1/health", () => {
  it("answers 200 healthy when the database and Docker answer", async () => {
    const app = await appWith(suite.db, engine.dockerHost);
    const response = await request(`${app.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(response.text).toBe(JSON.stringify({ status: "healthy", database: true, docker: true, started_at: "2027-05-06T07:08:09.010Z" }));
  });

  it("answers 200 degraded when Docker does not answer", async () => {
    const app = await appWith(suite.db, MISSING_ENGINE);
    const response = await request(`${app.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "degraded", database: true, docker: false, started_at: "2027-05-06T07:08:09.010Z" });
  });

  it("answers 503 unhealthy with the same body when the database is down", async () => {
    const down = await openTestDatabase();
    const app = await appWith(down, engine.dockerHost);
    expect((await request(`${app.url}/v1/health`)).status).toBe(200);
    await down.close();
    const response = await request(`${app.url}/v1/health`);
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: "unhealthy", database: false, docker: true, started_at: "2027-05-06T07:08:09.010Z" });
  });

  it("answers 405 to POST", async () => {
    const app = await appWith(suite.db, engine.dockerHost);
    expect((await request(`${app.url}/v1/health`, { method: "POST" })).status).toBe(405);
  });
});
