// The JSON API, as the UI uses it. Errors carry the API's {"error", "message", ...} body.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.code = body && body.error;
    this.body = body || {};
  }
}

/** A query string from an object; array values repeat the parameter; null and '' are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one != null && one !== '') q.append(k, String(one));
    }
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

async function read(response) {
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch (e) {
    body = {error: 'bad_response', message: 'HTTP ' + response.status + ': ' + text.slice(0, 200)};
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** GET /api/... as JSON. */
export async function get(path, params) {
  return read(await fetch('/api/' + path + query(params), {headers: {Accept: 'application/json'}, credentials: 'same-origin'}));
}

/** A path segment, encoded. */
export const seg = encodeURIComponent;

let session;

/** {writes, csrf_token}: writes off when the server has no session route (a read-only server). */
export function getSession() {
  if (!session) {
    session = get('session').catch((e) => {
      if (e.status === 404 || e.status === 405) return {writes: false, csrf_token: null};
      throw e;
    });
  }
  return session;
}

/** POST /api/... with a JSON body and the CSRF header. */
export async function post(path, body) {
  const {csrf_token: csrf} = await getSession();
  return read(await fetch('/api/' + path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', Accept: 'application/json', 'X-Runlog-CSRF': csrf || ''},
    body: JSON.stringify(body),
  }));
}

/** URL of an artifact file, for <img src>, previews and download links. */
export function artifactUrl(runId, path) {
  return '/api/runs/' + seg(runId) + '/artifacts/file' + query({path});
}
