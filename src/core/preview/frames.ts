import type { ProviderId } from '../providers/ids';

/** Hosts whose pages may be framed in the preview, per provider (a suffix match on the host name). */
const FRAME_HOSTS: Partial<Record<ProviderId, string[]>> = {
  seele: ['seeles.ai', 'seele.ai'],
  seisoai: ['seisoai.com'],
};

/**
 * Whether a page URL may be shown in an iframe: https on the provider's own hosts, or anything
 * the local sandbox serves. Everything else is offered as a link out.
 */
export function mayFrame(provider: ProviderId, url: string, sandboxOrigin: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (sandboxOrigin && u.origin === sandboxOrigin) return true;
  if (u.protocol !== 'https:') return false;
  return (FRAME_HOSTS[provider] ?? []).some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
}
