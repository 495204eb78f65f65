// The portal procedures through the typed client (@portal/client) against the running app: a
// premium user's whole invite flow, the directory without a session, and the errors as typed
// clients see them.
import { createPortalClient, isPortalClientError, validationIssues, type RouterOutputs } from "@portal/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { useTestApp } from "../../../test/support/suite.ts";

const suite = useTestApp();
let host: TestUser;
let guest: TestUser;

beforeAll(async () => {
  host = await createTestUser(suite.db.prisma, { tier: "premium", username: "client_host" });
  guest = await createTestUser(suite.db.prisma, { username: "client_guest" });
});

const clientOf = (user?: TestUser) => createPortalClient({ url: suite.app.url, sessionToken: user?.token, batch: false });

describe("the portal through createPortalClient", () => {
  it("creates a private chat, invites a guest who joins, and kicks them again", async () => {
    const hostClient = clientOf(host);
    const chat = await hostClient.portal.chats.create.mutate({ name: "Watch party", browser_config: { browser: "chromium" } });
    expectTypeOf(chat).toEqualTypeOf<RouterOutputs["portal"]["chats"]["create"]>();
    expect(chat).toMatchObject({ name: "Watch party", visibility: "private", slug: null, owner: { username: "client_host" } });

    const invite = await hostClient.portal.chats.invites.create.mutate({ chat_id: chat.id, max_uses: 2, expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    expectTypeOf(invite.expires_at).toEqualTypeOf<string | null>();
    expect(invite).toMatchObject({ chat_id: chat.id, uses: 0, max_uses: 2 });
    expect((await hostClient.portal.chats.invites.list.query({ chat_id: chat.id })).invites.map((listed) => listed.code)).toEqual([invite.code]);

    const guestClient = clientOf(guest);
    expect(await guestClient.portal.invites.resolve.mutate({ code: invite.code })).toEqual({ chat_id: chat.id, name: "Watch party" });
    expect((await guestClient.portal.chats.list.query()).map((listed) => listed.id)).toContain(chat.id);

    expect(await hostClient.portal.chats.kick.mutate({ chat_id: chat.id, user_id: guest.id })).toEqual({ ok: true });
    expect((await guestClient.portal.chats.list.query()).map((listed) => listed.id)).not.toContain(chat.id);
    expect(await hostClient.portal.chats.invites.revoke.mutate({ chat_id: chat.id, code: invite.code })).toEqual({ message: `Invite '${invite.code}' revoked` });
  });

  it("reads and updates the config, and the directory shows the chat once it has a slug", async () => {
    const hostClient = clientOf(host);
    const chat = await hostClient.portal.chats.create.mutate({ name: "Going public" });
    expect(await hostClient.portal.chats.config.update.mutate({ chat_id: chat.id, slug: "client-public", allow_control_requests: true })).toEqual({
      message: "Chat config updated",
    });
    expect(await hostClient.portal.chats.config.get.query({ chat_id: chat.id })).toEqual({
      chat_id: chat.id,
      name: "Going public",
      slug: "client-public",
      visibility: "public",
      allow_control_requests: true,
      browser_config: { browser: "firefox", start_url: null, kiosk: false },
    });
    const directory = await clientOf().portal.directory.query();
    expectTypeOf(directory).toEqualTypeOf<RouterOutputs["portal"]["directory"]>();
    expect(directory.find((entry) => entry.id === chat.id)).toMatchObject({ slug: "client-public", running: false, viewer_count: 0 });
  });

  it("surfaces 403, the per-field validation list, and a used-up invite as NOT_FOUND with its message", async () => {
    const refused = await clientOf(guest).portal.chats.create.mutate({ name: "Free" }).catch((caught: unknown) => caught);
    expect(isPortalClientError(refused)).toBe(true);
    expect(refused).toMatchObject({ message: "Premium subscription required", data: { code: "FORBIDDEN", httpStatus: 403 } });

    const hostClient = clientOf(host);
    const chat = await hostClient.portal.chats.create.mutate({ name: "Errors" });
    const invalid = await hostClient.portal.chats.invites.create.mutate({ chat_id: chat.id, max_uses: 0 }).catch((caught: unknown) => caught);
    expect(validationIssues(invalid)).toEqual([{ loc: ["body", "max_uses"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" }]);

    const single = await hostClient.portal.chats.invites.create.mutate({ chat_id: chat.id, max_uses: 1 });
    await clientOf(guest).portal.invites.resolve.mutate({ code: single.code });
    const late = await createTestUser(suite.db.prisma);
    await expect(clientOf(late).portal.invites.resolve.mutate({ code: single.code })).rejects.toMatchObject({
      message: "Invite has been used up",
      data: { code: "NOT_FOUND" },
    });
  });
});
