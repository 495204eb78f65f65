import { describe, expect, it } from "vitest";
import { canActOn, levelName, PermissionLevel, permissionRequiredMessage } from "../../src/domain/levels.ts";

const { user, moderator, admin, owner } = PermissionLevel;

describe("canActOn (§2)", () => {
  // actor → the targets it can act on, written out as the contract's table says
  const table: Record<number, number[]> = {
    [user]: [],
    [moderator]: [user],
    [admin]: [user, moderator],
    [owner]: [user, moderator, admin, owner],
  };
  for (const actor of [user, moderator, admin, owner]) {
    for (const target of [user, moderator, admin, owner]) {
      const expected = table[actor]!.includes(target);
      it(`${levelName(actor)} ${expected ? "can" : "cannot"} act on ${levelName(target)}`, () => {
        expect(canActOn(actor, target)).toBe(expected);
      });
    }
  }
});

describe("level names and messages", () => {
  it("names every level and refuses unknown ones", () => {
    expect([0, 1, 2, 3].map(levelName)).toEqual(["user", "moderator", "admin", "owner"]);
    expect(() => levelName(4)).toThrow(RangeError);
  });

  it("words the 403 message as the contract does", () => {
    expect(permissionRequiredMessage(owner)).toBe("Owner permission required");
    expect(permissionRequiredMessage(admin)).toBe("Admin permission required");
  });
});
