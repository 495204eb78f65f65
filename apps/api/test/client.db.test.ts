// The typed client (@portal/client) against the running app, as the lobby and scripts use it.
import { createPortalClient, isPortalClientError, validationIssues, type RouterOutputs } from "@portal/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const suite = useTestApp();
let owner: TestUser;

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner", username: "client_owner" });
});

describe("createPortalClient", () => {
  it("creates an official chat with the session token sent as the psession cookie", async () => {
    const client = createPortalClient({ url: suite.app.url, sessionToken: owner.token });
    const chat = await client.admin.chats.create.mutate({ name: "From the client", slug: "from-client", browser_config: { browser: "brave" } });
    expectTypeOf(chat).toEqualTypeOf<RouterOutputs["admin"]["chats"]["create"]>();
    expect(chat).toMatchObject({ chat_name: "From the client", username: "client_owner", browser: "brave", visibility: "official", running: false });
    expect(await suite.db.prisma.chat.count({ where: { slug: "from-client" } })).toBe(1);
  });

  it("batches calls made together into one request and answers each", async () => {
    const client = createPortalClient({ url: suite.app.url, sessionToken: owner.token });
    const before = suite.app.logs.length;
    const [a, b] = await Promise.all([
      client.admin.chats.create.mutate({ name: "Batch A", slug: "batch-a" }),
      client.admin.chats.create.mutate({ name: "Batch B", slug: "batch-b" }),
    ]);
    expect([a.slug, b.slug]).toEqual(["batch-a", "batch-b"]);
    expect(suite.app.logs.slice(before).filter((line) => line.msg === "request")).toHaveLength(1);
  });

  it("surfaces the tRPC error code without a session", async () => {
    const client = createPortalClient({ url: suite.app.url, batch: false });
    const error = await client.admin.chats.create.mutate({ name: "Anon", slug: "anon" }).catch((caught: unknown) => caught);
    expect(isPortalClientError(error)).toBe(true);
    expect(error).toMatchObject({ message: "Not authenticated", data: { code: "UNAUTHORIZED", httpStatus: 401 } });
  });

  it("surfaces conflicts and the per-field validation list", async () => {
    const client = createPortalClient({ url: suite.app.url, sessionToken: owner.token, batch: false });
    await expect(client.admin.chats.create.mutate({ name: "Again", slug: "from-client" })).rejects.toMatchObject({
      message: "Slug 'from-client' is already taken",
      data: { code: "CONFLICT" },
    });
    const error = await client.admin.chats.create.mutate({ name: "x", slug: "OK" }).catch((caught: unknown) => caught);
    expect(validationIssues(error)).toEqual([
      { loc: ["body", "name"], msg: "String should have at least 2 characters", type: "string_too_short" },
      { loc: ["body", "slug"], msg: "String should match pattern '^[a-z0-9-]+$'", type: "string_pattern_mismatch" },
    ]);
  });
});
