import { describe, expect, it } from "vitest";
import { chatSlotLimit, slotLimitViolation } from "../../src/domain/slots.ts";
import { isPremium, SubscriptionTier } from "../../src/domain/subscriptions.ts";

const now = new Date("2026-12-04T12:00:00Z");
const past = new Date("2026-12-01T00:00:00Z");
const future = new Date("2027-01-01T00:00:00Z");
const defaults = { premium: 3, admin: 5 };
const user = (permissionLevel: number, subscriptionTier = 0, subscriptionExpiresAt: Date | null = null, chatSlotOverride: number | null = null) => ({
  permissionLevel,
  subscriptionTier,
  subscriptionExpiresAt,
  chatSlotOverride,
});

describe("isPremium", () => {
  it.each([
    [SubscriptionTier.basic, null, false],
    [SubscriptionTier.trial, null, false],
    [SubscriptionTier.premium, null, true],
    [SubscriptionTier.lifetime, null, true],
    [SubscriptionTier.premium, future, true],
    [SubscriptionTier.premium, past, false],
    [SubscriptionTier.lifetime, past, false],
    [SubscriptionTier.premium, now, false],
  ])("tier %i expiring %s → %s", (tier, expires, expected) => {
    expect(isPremium({ subscriptionTier: tier, subscriptionExpiresAt: expires }, now)).toBe(expected);
  });
});

describe("chatSlotLimit", () => {
  it("gives Owners no limit, even with an override", () => {
    expect(chatSlotLimit(user(3), defaults, now)).toBe(Infinity);
    expect(chatSlotLimit(user(3, 0, null, 1), defaults, now)).toBe(Infinity);
  });

  it("gives Admins the admin default, premium or not", () => {
    expect(chatSlotLimit(user(2), defaults, now)).toBe(5);
    expect(chatSlotLimit(user(2, SubscriptionTier.premium), defaults, now)).toBe(5);
  });

  it("gives premium users the premium default and others none", () => {
    expect(chatSlotLimit(user(0, SubscriptionTier.premium), defaults, now)).toBe(3);
    expect(chatSlotLimit(user(1, SubscriptionTier.lifetime), defaults, now)).toBe(3);
    expect(chatSlotLimit(user(0, SubscriptionTier.premium, past), defaults, now)).toBe(0);
    expect(chatSlotLimit(user(0), defaults, now)).toBe(0);
  });

  it("lets a per-user override win over the defaults", () => {
    expect(chatSlotLimit(user(2, 0, null, 1), defaults, now)).toBe(1);
    expect(chatSlotLimit(user(0, 0, null, 7), defaults, now)).toBe(7);
    expect(chatSlotLimit(user(0, SubscriptionTier.premium, null, 0), defaults, now)).toBe(0);
  });
});

describe("slotLimitViolation", () => {
  it("allows a chat below the limit and words the 409 at it", () => {
    expect(slotLimitViolation(4, 5)).toBeNull();
    expect(slotLimitViolation(5, 5)).toBe("Chat slot limit reached (5 of 5 in use)");
    expect(slotLimitViolation(0, 0)).toBe("Chat slot limit reached (0 of 0 in use)");
    expect(slotLimitViolation(1000, Infinity)).toBeNull();
  });
});
