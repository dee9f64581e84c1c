/**
 * Whether a page URL may be shown in an iframe: https on one of the provider's own hosts (its descriptor's
 * `frameHosts`, a suffix match), or anything the local sandbox serves. Everything else is offered as a link out.
 */
export function mayFrame(frameHosts: readonly string[], url: string, sandboxOrigin: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (sandboxOrigin && u.origin === sandboxOrigin) return true;
  if (u.protocol !== 'https:') return false;
  return frameHosts.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
}
