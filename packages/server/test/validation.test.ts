import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toValidationIssues } from "../src/validation.ts";

const schema = z.object({
  chat_id: z.number().int(),
  name: z.string().trim().min(2).max(4),
  slug: z.string().regex(/^[a-z]+$/),
  flag: z.boolean(),
  kind: z.enum(["a", "b", "c"]),
  count: z.number().int().min(1).max(3),
  nested: z.object({ tags: z.array(z.string()).min(1) }),
});

const issues = (input: unknown, locate?: Parameters<typeof toValidationIssues>[1]) => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected a failure");
  return toValidationIssues(result.error, locate);
};

describe("toValidationIssues", () => {
  it("tells a missing field from a wrong type", () => {
    expect(issues({ name: 5 }).slice(0, 2)).toEqual([
      { loc: ["body", "chat_id"], msg: "Field required", type: "missing" },
      { loc: ["body", "name"], msg: "Input should be a valid string", type: "string_type" },
    ]);
  });

  it("words each kind of failure like the reference API", () => {
    const result = issues(
      { chat_id: 1, name: "a", slug: "A", flag: "no", kind: "z", count: 9, nested: { tags: [] } },
      (key) => (key === "chat_id" ? "path" : "body"),
    );
    expect(result).toEqual([
      { loc: ["body", "name"], msg: "String should have at least 2 characters", type: "string_too_short" },
      { loc: ["body", "slug"], msg: "String should match pattern '^[a-z]+$'", type: "string_pattern_mismatch" },
      { loc: ["body", "flag"], msg: "Input should be a valid boolean", type: "bool_type" },
      { loc: ["body", "kind"], msg: "Input should be 'a', 'b' or 'c'", type: "enum" },
      { loc: ["body", "count"], msg: "Input should be less than or equal to 3", type: "less_than_equal" },
      { loc: ["body", "nested", "tags"], msg: "List should have at least 1 items", type: "too_short" },
    ]);
  });

  it("puts path parameters under path and keeps one entry per field", () => {
    const result = issues({ chat_id: "abc", name: "toolong", slug: "ok", flag: true, kind: "a", count: 0, nested: { tags: ["x"] } }, (key) =>
      key === "chat_id" ? "path" : "body",
    );
    expect(result).toEqual([
      { loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
      { loc: ["body", "name"], msg: "String should have at most 4 characters", type: "string_too_long" },
      { loc: ["body", "count"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" },
    ]);
    const doubled = z.object({ slug: z.string().min(3).regex(/^[a-z]+$/) }).safeParse({ slug: "A" });
    expect(toValidationIssues(doubled.error!)).toHaveLength(1);
  });

  it("calls every number an integer, as all of the API's numbers are", () => {
    const ids = z.object({ user_id: z.int() });
    const describeInput = (input: unknown) => toValidationIssues(ids.safeParse(input).error!)[0];
    expect(describeInput({ user_id: null })).toEqual({ loc: ["body", "user_id"], msg: "Input should be a valid integer", type: "int_type" });
    expect(describeInput({ user_id: 1.5 })).toEqual({ loc: ["body", "user_id"], msg: "Input should be a valid integer", type: "int_type" });
    expect(describeInput({ user_id: "7a" })).toMatchObject({ type: "int_parsing" });
  });

  it("reports a body that is not an object at the body itself", () => {
    expect(issues(null)).toEqual([{ loc: ["body"], msg: "Input should be a valid dictionary or object", type: "dict_type" }]);
    expect(issues(undefined)).toEqual([{ loc: ["body"], msg: "Field required", type: "missing" }]);
  });
});
