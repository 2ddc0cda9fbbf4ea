// Talks to doorstep-server's /api/. The session is an HttpOnly cookie: this code never sees it.
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `the server answered ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.body = body || {};
  }
}

// Called whenever the server says the session is gone, so the page can ask to sign in again.
let onSignedOut = () => {};
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

async function call(method, path, {params, body, raw} = {}) {
  const query = params ? `?${new URLSearchParams(params)}` : '';
  let response;
  try {
    response = await fetch(`api/${path}${query}`, {
      method,
      credentials: 'same-origin',
      headers: raw ? {'Content-Type': raw.type} : body ? {'Content-Type': 'application/json'} : {},
      body: raw ? raw.data : body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, {error: 'offline', message: 'The server cannot be reached. Check the connection and try again.'});
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, answer);
    if (response.status === 401 && path !== 'login') onSignedOut(error);
    throw error;
  }
  return answer;
}

export const api = {
  get: (path, params) => call('GET', path, {params}),
  post: (path, body) => call('POST', path, {body}),
  del: (path) => call('DELETE', path),
  // A file's bytes as they are, with their own type (an outcomes CSV, say).
  upload: (path, data, type) => call('POST', path, {raw: {data, type}}),
};

// The URL of a report's CSV download (`name` as in "linkage.csv") for these parameters.
export function csvUrl(name, params) {
  return `api/${name}?${new URLSearchParams(params)}`;
}

// The URL of the CSV download for a filter (the browser sends the cookie itself).
export function exportUrl(params) {
  return `api/export.csv?${new URLSearchParams(params)}`;
}
