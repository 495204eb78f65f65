// The 422 list behind a procedure's validation failure, for procedure tests.
import { toValidationIssues, type ValidationIssue } from "@portal/server";
import { expect } from "vitest";

type ZodFailure = Parameters<typeof toValidationIssues>[0];

/** The 422 list a rejected input produces, or a failure when the call did not fail validation. */
export async function issuesOf(call: Promise<unknown>): Promise<ValidationIssue[]> {
  const error = await call.then(
    () => expect.unreachable("the call should have failed validation"),
    (caught: unknown) => caught,
  );
  // by name: the repository root resolves neither @trpc/server nor zod
  expect(error).toMatchObject({ name: "TRPCError", code: "BAD_REQUEST", cause: { name: "ZodError", issues: expect.any(Array) } });
  return toValidationIssues((error as { cause: ZodFailure }).cause);
}
