// Talking JSON to /api: one request helper that turns error bodies into one-line messages, job polling.

const POLL_MS = 400;          // how often a background job is asked about

export class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; this.detail = detail; }
}

/** One line out of an error body: {"detail": "…"} or FastAPI's list of validation errors. */
function detailOf(data, response) {
  const d = data && data.detail;
  if (typeof d === "string") return d;
  if (Array.isArray(d)) return d.map((e) => [(e.loc || []).slice(1).join("."), e.msg].filter(Boolean).join(": ")).join("; ");
  return `${response.status} ${response.statusText || "error"}`;
}

/** JSON from the API; throws ApiError with the server's one-line detail on a 4xx/5xx. */
export async function api(method, path, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try { response = await fetch(path, options); }
  catch (err) { throw new ApiError(0, "the review server does not answer; is `python -m align review` still running?"); }
  const raw = await response.text();
  let data = null;
  try { data = raw ? JSON.parse(raw) : null; } catch (err) { data = null; }
  if (!response.ok) throw new ApiError(response.status, detailOf(data, response).split("\n")[0]);
  return data;
}

/** Polls a background job until it is done or failed; onUpdate sees every state. */
export async function pollJob(id, onUpdate) {
  for (;;) {
    const job = await api("GET", `/api/jobs/${encodeURIComponent(id)}`);
    onUpdate(job);
    if (job.state !== "running") return job;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
