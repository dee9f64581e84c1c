// dist/undici.js: the part of undici GenDeck calls (core/http/undici.ts), without fetch, WebSocket, caches, mocks and
// proxy agents (~290 KB minified instead of ~535 KB). `request` is undici's own top-level `request` for the one form
// GenDeck uses, (url string, options): origin and path from the URL, the options' dispatcher or the global one.
import apiRequest from 'undici/lib/api/api-request.js';
import { getGlobalDispatcher } from 'undici/lib/global.js';

export function request(url, opts = {}) {
  const u = new URL(url);
  const { dispatcher = getGlobalDispatcher(), ...rest } = opts;
  return apiRequest.call(dispatcher, {
    ...rest,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
    method: rest.method || (rest.body ? 'PUT' : 'GET'),
  });
}

export { getGlobalDispatcher };
