// Validation failures in the contract's list form (§1): one entry per invalid field, with
// FastAPI/pydantic-style `msg` and `type`, shared by the REST 422 body and tRPC's error data.
import { z } from "zod";

export type Location = "body" | "path" | "query";

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const MISSING = "Field required";
const INT_PARSING = "Input should be a valid integer, unable to parse string as an integer";

const typeNames: Record<string, [msg: string, type: string]> = {
  string: ["Input should be a valid string", "string_type"],
  boolean: ["Input should be a valid boolean", "bool_type"],
  int: ["Input should be a valid integer", "int_type"],
  object: ["Input should be a valid dictionary or object", "dict_type"],
  array: ["Input should be a valid list", "list_type"],
  date: ["Input should be a valid datetime", "datetime_type"],
};

// Only an error map sees the raw input, and "missing" vs "wrong type" depends on it.
z.config({
  customError: (issue) => {
    if (issue.code !== "invalid_type") return undefined;
    if (issue.input === undefined) return MISSING;
    // every number in the API is an integer; a string there is usually a path parameter like "abc"
    if (issue.expected === "number" || issue.expected === "int") return typeof issue.input === "string" ? INT_PARSING : typeNames.int![0];
    return typeNames[issue.expected]?.[0];
  },
});

function quote(values: readonly unknown[]): string {
  const parts = values.map((value) => `'${String(value)}'`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}` : (parts[0] ?? "");
}

function describe(issue: z.core.$ZodIssue): Omit<ValidationIssue, "loc"> {
  switch (issue.code) {
    case "invalid_type":
      if (issue.message === MISSING) return { msg: MISSING, type: "missing" };
      if (issue.message === INT_PARSING) return { msg: INT_PARSING, type: "int_parsing" };
      if (issue.expected === "number") return { msg: issue.message, type: "int_type" };
      return { msg: issue.message, type: typeNames[issue.expected]?.[1] ?? `${issue.expected}_type` };
    case "too_small":
      if (issue.origin === "string") return { msg: `String should have at least ${issue.minimum} characters`, type: "string_too_short" };
      if (issue.origin === "array") return { msg: `List should have at least ${issue.minimum} items`, type: "too_short" };
      if (!issue.inclusive) return { msg: `Input should be greater than ${issue.minimum}`, type: "greater_than" };
      return { msg: `Input should be greater than or equal to ${issue.minimum}`, type: "greater_than_equal" };
    case "too_big":
      if (issue.origin === "string") return { msg: `String should have at most ${issue.maximum} characters`, type: "string_too_long" };
      if (issue.origin === "array") return { msg: `List should have at most ${issue.maximum} items`, type: "too_long" };
      if (!issue.inclusive) return { msg: `Input should be less than ${issue.maximum}`, type: "less_than" };
      return { msg: `Input should be less than or equal to ${issue.maximum}`, type: "less_than_equal" };
    case "invalid_format":
      if (issue.format === "regex" && "pattern" in issue) {
        const source = String(issue.pattern).replace(/^\/(.*)\/[a-z]*$/, "$1");
        return { msg: `String should match pattern '${source}'`, type: "string_pattern_mismatch" };
      }
      if (issue.format === "datetime") return { msg: "Input should be a valid datetime", type: "datetime_parsing" };
      return { msg: `Input should be a valid ${issue.format}`, type: `${issue.format}_parsing` };
    case "invalid_value":
      return { msg: `Input should be ${quote(issue.values)}`, type: "enum" };
    case "custom": {
      const type = (issue.params as { pydanticType?: string } | undefined)?.pydanticType;
      return { msg: issue.message, type: type ?? "value_error" };
    }
    default:
      return { msg: issue.message, type: "value_error" };
  }
}

/**
 * Turns a ZodError into the list form. `locate` names where the top-level key came from (a path
 * parameter, the query or the body); the first failure of each field wins, as in the reference.
 */
export function toValidationIssues(error: z.ZodError, locate: (key: PropertyKey | undefined) => Location = () => "body"): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const loc = [locate(issue.path[0]), ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))];
    const key = JSON.stringify(loc);
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ loc, ...describe(issue) });
  }
  return issues;
}
