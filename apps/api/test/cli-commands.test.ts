// parseCommand: every usage rule of the operator command line, without a process or database.
import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../src/cli/commands.ts";

describe("parseCommand", () => {
  it("parses each command with its options", () => {
    expect(parseCommand(["user", "create", "--username", "owner_user", "--level", "owner"])).toEqual({
      command: "user create",
      username: "owner_user",
      level: "owner",
    });
    expect(parseCommand(["user", "set", "--username=a.b-c_d", "--tier", "lifetime", "--slots", "4", "--expires", "2027-01-31"])).toEqual({
      command: "user set",
      username: "a.b-c_d",
      tier: "lifetime",
      slots: 4,
      expires: "2027-01-31",
    });
    expect(parseCommand(["user", "set", "--username", "bob", "--slots", "default", "--expires", "never"])).toMatchObject({ slots: "default", expires: "never" });
    expect(parseCommand(["session", "create", "--username", "bob"])).toEqual({ command: "session create", username: "bob" });
    expect(parseCommand(["db", "migrate"])).toEqual({ command: "db migrate" });
  });

  it.each([
    [[], /No command given/],
    [["user"], /Unknown command 'user'/],
    [["user", "delete", "--username", "bob"], /Unknown command 'user delete'/],
    [["user", "create"], /--username/],
    [["user", "create", "--username", "ab"], /--username/],
    [["user", "create", "--username", "u".repeat(33)], /--username/],
    [["user", "create", "--username", "bad name!"], /--username/],
    [["user", "create", "--username", "bob", "--level", "boss"], /--level/],
    [["user", "create", "--username", "bob", "--tier", "gold"], /--tier/],
    [["user", "create", "--username", "bob", "--slots", "-1"], /--slots/],
    [["user", "create", "--username", "bob", "--slots", "2.5"], /--slots/],
    [["user", "create", "--username", "bob", "--expires", "tomorrow"], /--expires/],
    [["user", "create", "--username", "bob", "--color", "red"], /Unknown option --color/],
    [["user", "create", "--username"], /--username needs a value/],
    [["user", "create", "--username", "--level", "owner"], /--username needs a value/],
    [["user", "create", "--username", "bob", "--username", "eve"], /given twice/],
    [["user", "create", "bob"], /Unexpected argument 'bob'/],
    [["session", "create", "--username", "bob", "--level", "owner"], /Unknown option --level/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe("parseCommand: login-code", () => {
  it("is one word followed by its options", () => {
    expect(parseCommand(["login-code", "--username", "bob"])).toEqual({ command: "login-code", username: "bob" });
    expect(parseCommand(["login-code", "--username=bob"])).toEqual({ command: "login-code", username: "bob" });
  });

  it.each([
    [["login-code"], /--username/],
    [["login-code", "bob"], /Unexpected argument 'bob'/],
    [["login-code", "--username", "bob", "--tier", "premium"], /Unknown option --tier/],
    [["login", "code", "--username", "bob"], /Unknown command 'login code'/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
