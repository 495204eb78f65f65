// findSession: the one lookup both transports use for the psession cookie.
import { findSession, hashSessionToken } from "@portal/server";
import { describe, expect, it } from "vitest";
import { createTestUser } from "../../../test/support/fixtures.ts";
import { useTestDatabase } from "../../../test/support/suite.ts";

const suite = useTestDatabase();
const secondsAgo = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("findSession", () => {
  it("finds a live session by the token's hash only", async () => {
    const user = await createTestUser(suite.db.prisma);
    const row = await suite.db.prisma.session.findUniqueOrThrow({ where: { id: user.session.id } });
    expect(row.tokenHash).toBe(hashSessionToken(user.token));
    expect(JSON.stringify(row)).not.toContain(user.token);
    expect(await findSession(suite.db.prisma, user.token, new Date())).toMatchObject({ id: user.session.id, user: { id: user.id } });
    expect(await findSession(suite.db.prisma, `${user.token}x`, new Date())).toBeNull();
    expect(await findSession(suite.db.prisma, undefined, new Date())).toBeNull();
  });

  it("refreshes last_seen_at at most once a minute, inside the 5-minute online window", async () => {
    const user = await createTestUser(suite.db.prisma);
    const now = new Date();
    await suite.db.prisma.session.update({ where: { id: user.session.id }, data: { lastSeenAt: secondsAgo(now, 30) } });
    await findSession(suite.db.prisma, user.token, now);
    expect((await suite.db.prisma.session.findUniqueOrThrow({ where: { id: user.session.id } })).lastSeenAt).toEqual(secondsAgo(now, 30));

    await suite.db.prisma.session.update({ where: { id: user.session.id }, data: { lastSeenAt: secondsAgo(now, 61) } });
    await findSession(suite.db.prisma, user.token, now);
    expect((await suite.db.prisma.session.findUniqueOrThrow({ where: { id: user.session.id } })).lastSeenAt).toEqual(now);
  });
});
