// viewer_count (§4): the connected sessions neko v3 lists at GET /api/sessions, asked over HTTP
// with the chat's API token as Bearer (neko-rooms execs wget inside the container instead).

/** neko v3 answers an array of sessions, each with `state.is_connected`. */
export function countConnectedSessions(body: unknown): number {
  if (!Array.isArray(body)) throw new TypeError("neko /api/sessions did not answer a list");
  return body.filter((session) => (session as { state?: { is_connected?: unknown } } | null)?.state?.is_connected === true).length;
}

export async function fetchViewerCount(nekoApiBase: string, apiToken: string, timeoutMs = 2_000): Promise<number> {
  const response = await fetch(`${nekoApiBase}/api/sessions`, {
    headers: { authorization: `Bearer ${apiToken}`, accept: "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`neko /api/sessions answered HTTP ${response.status}`);
  }
  return countConnectedSessions(await response.json());
}
