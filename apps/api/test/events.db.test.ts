// portal.events (§8) through the typed client over server-sent events: who receives which chat
// events. The Docker engine is not needed: deleting a chat with no engine defers its container's
// removal to the reconciler, and still publishes room:destroyed.
import { createPortalClient, type RouterOutputs } from "@portal/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "../../../test/support/fixtures.ts";
import { request } from "../../../test/support/http.ts";
import { useTestApp } from "../../../test/support/suite.ts";

type ChatEvent = RouterOutputs["portal"]["events"] extends AsyncIterable<infer E> ? E : never;

const suite = useTestApp();
let owner: TestUser;
let premium: TestUser;
let member: TestUser;
let outsider: TestUser;

/** Subscribes as `user` (anonymous without one) and collects what arrives. */
function listen(user?: TestUser) {
  const received: ChatEvent[] = [];
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const client = createPortalClient({ url: suite.app.url, sessionToken: user?.token });
  const subscription = client.portal.events.subscribe(undefined, {
    onStarted: () => ready(),
    onData: (event) => void received.push(event as ChatEvent),
  });
  return { received, started, stop: () => subscription.unsubscribe() };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  owner = await createTestUser(suite.db.prisma, { level: "owner" });
  premium = await createTestUser(suite.db.prisma, { tier: "premium" });
  member = await createTestUser(suite.db.prisma);
  outsider = await createTestUser(suite.db.prisma);
});

describe("portal.events", () => {
  const listeners: ReturnType<typeof listen>[] = [];
  afterAll(() => listeners.forEach((listener) => listener.stop()));

  it("sends official chats' events to everyone and a private chat's only to those who may see it", async () => {
    const anonymous = listen();
    const ofOwner = listen(owner);
    const ofMember = listen(member);
    const ofOutsider = listen(outsider);
    const ofPremium = listen(premium);
    listeners.push(anonymous, ofOwner, ofMember, ofOutsider, ofPremium);
    await Promise.all(listeners.map((listener) => listener.started));

    const created = await request(`${suite.app.url}/v1/admin/chats`, { token: owner.token, body: { name: "Live", slug: "live-events" } });
    const officialId = (created.body as { chat_id: number }).chat_id;

    const privateChat = await request(`${suite.app.url}/v1/portal/chats`, { token: premium.token, body: { name: "Hidden" } });
    const privateId = (privateChat.body as { id: number }).id;
    await suite.db.prisma.chatMember.create({ data: { chatId: privateId, userId: member.id } });
    expect((await request(`${suite.app.url}/v1/portal/chats/${privateId}/delete`, { method: "POST", token: premium.token })).status).toBe(200);

    const destroyed = { type: "room:destroyed", chat_id: privateId };
    await until(() => ofPremium.received.some((event) => event.type === "room:destroyed"), "the private chat's owner to hear of its deletion");
    await until(() => ofMember.received.some((event) => event.type === "room:destroyed"), "the member to hear of it");

    for (const listener of [anonymous, ofOwner, ofMember, ofOutsider, ofPremium]) {
      expect(listener.received).toContainEqual({ type: "chat:created", chat_id: officialId });
    }
    expect(ofPremium.received).toContainEqual({ type: "chat:created", chat_id: privateId });
    expect(ofPremium.received).toContainEqual(destroyed);
    expect(ofMember.received).toContainEqual(destroyed);
    // the member joined after the chat was created, so did not see its creation
    expect(ofMember.received).not.toContainEqual({ type: "chat:created", chat_id: privateId });
    for (const listener of [anonymous, ofOutsider, ofOwner]) {
      expect(listener.received.filter((event) => event.chat_id === privateId)).toEqual([]);
    }
  });
});
