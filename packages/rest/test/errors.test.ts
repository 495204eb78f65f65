import { GoneError } from "@portal/server";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpError, toErrorResponse } from "../src/errors.ts";

describe("toErrorResponse", () => {
  it.each([
    ["UNAUTHORIZED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["TOO_MANY_REQUESTS", 429],
    ["SERVICE_UNAVAILABLE", 503],
  ] as const)("maps %s to %i with the message as detail", (code, status) => {
    expect(toErrorResponse(new TRPCError({ code, message: "Something precise" }))).toEqual({
      status,
      body: { detail: "Something precise" },
      unexpected: false,
    });
  });

  it("maps the domain's GoneError to 410 although its tRPC code is NOT_FOUND", () => {
    const error = new GoneError("Invite has expired");
    expect(error.code).toBe("NOT_FOUND");
    expect(toErrorResponse(error)).toEqual({ status: 410, body: { detail: "Invite has expired" }, unexpected: false });
  });

  it("turns an input failure into the 422 list, located by the caller", () => {
    const failure = z.object({ chat_id: z.number(), name: z.string() }).safeParse({ chat_id: "x" }).error!;
    const error = new TRPCError({ code: "BAD_REQUEST", cause: failure });
    expect(toErrorResponse(error, (key) => (key === "chat_id" ? "path" : "body"))).toEqual({
      status: 422,
      unexpected: false,
      body: {
        detail: [
          { loc: ["path", "chat_id"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" },
          { loc: ["body", "name"], msg: "Field required", type: "missing" },
        ],
      },
    });
  });

  it("passes the adapter's own errors through", () => {
    expect(toErrorResponse(new HttpError(405, { detail: "Method Not Allowed" }))).toEqual({
      status: 405,
      body: { detail: "Method Not Allowed" },
      unexpected: false,
    });
  });

  it.each([
    ["a plain Error", new Error('relation "chats" does not exist')],
    ["an internal tRPC error", new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "db password is hunter2" })],
    ["a tRPC code without a REST meaning", new TRPCError({ code: "CLIENT_CLOSED_REQUEST", message: "x" })],
    ["a thrown string", "boom"],
    ["undefined", undefined],
  ])("hides %s behind a generic 500", (_case, thrown) => {
    expect(toErrorResponse(thrown)).toEqual({ status: 500, body: { detail: "Internal server error" }, unexpected: true });
  });
});
