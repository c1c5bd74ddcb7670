// The client's one way to the server: chatsvc's public REST API (the calls a third-party client makes), with the
// signed-in user's token. Google's JSON errors come back as ApiError, whose message a person can read.
import { accessToken } from "./auth";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly reason?: string) {
    super(message);
    this.name = "ApiError";
  }
}

/** `{error: {code, message, status, details}}` (AIP-193) as one readable line; anything else as its HTTP status. */
async function errorOf(response: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON: the status line says it */
  }
  const error = body?.error;
  if (error && typeof error === "object") {
    const info = (error.details || []).find((d: any) => String(d?.["@type"]).endsWith("google.rpc.ErrorInfo"));
    const violations = (error.details || []).flatMap((d: any) => d?.fieldViolations || []);
    const fields = violations.map((v: any) => `${v.field}: ${v.description}`).join("; ");
    const message = [error.message || error.status, fields && !String(error.message).includes(fields) ? fields : ""]
      .filter(Boolean).join(" — ");
    return new ApiError(response.status, String(error.status || response.status), message, info?.reason);
  }
  return new ApiError(response.status, String(response.status), `${response.status} ${response.statusText}`.trim());
}

/** Calls `method` on `path` (e.g. "/v1/spaces", query included), with `body` as JSON; the parsed answer. */
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${await accessToken()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                   cache: "no-store", credentials: "omit" });
  } catch {
    throw new ApiError(0, "UNAVAILABLE", "The server cannot be reached.");
  }
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A query string from the defined values of `params` ("" when none). */
export function query(params: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== "") as [string, string][];
  return pairs.length ? "?" + new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString() : "";
}

/** Every page of a list call, following nextPageToken, up to `limit` items. */
export async function listAll<T>(path: string, key: string, params: Record<string, string | number | undefined> = {},
                                 limit = 1000): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page: any = await api("GET", path + query({ ...params, pageToken }));
    items.push(...(page[key] || []));
    pageToken = page.nextPageToken;
  } while (pageToken && items.length < limit);
  return items;
}

async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string>), Authorization: `Bearer ${await accessToken()}` };
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, cache: "no-store", credentials: "omit" });
  } catch {
    throw new ApiError(0, "UNAVAILABLE", "The server cannot be reached.");
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** Uploads a file to `space` (UploadAttachment, a simple media upload); the attachmentDataRef to send. */
export async function uploadAttachment(space: string, file: File): Promise<any> {
  const response = await authorized(`/upload/v1/${space}/attachments:upload` +
                                    query({ uploadType: "media", filename: file.name }),
                                    { method: "POST", body: file,
                                      headers: { "Content-Type": file.type || "application/octet-stream" } });
  return (await response.json()).attachmentDataRef;
}

/** An attachment's bytes (the media download of its resourceName), with the user's token. */
export async function downloadAttachment(resourceName: string): Promise<Blob> {
  return (await authorized(`/v1/media/${resourceName}?alt=media`)).blob();
}
