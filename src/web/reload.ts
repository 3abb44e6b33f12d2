import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from './context.js';

interface Route {
  method: string;
  url: string;
  access: Access;
}

/** Where a reload of a form's address goes when a page has no address of its own there. */
const LANDING: Record<string, string> = { '/orgs': '/orgs/new', '/lang': '/' };

/**
 * A form that fails validation is shown again at the address it was posted to. A reload, or Enter in the address
 * bar, then asks for that address with GET: every page form's address answers GET, with the page itself where there
 * is one (the register pages, the edit pages) and otherwise with a redirect to the page the form lives on (the
 * nearest address above it that has a page). Never a 404 for an address the app itself put in the address bar.
 */
export function answerReloads(app: FastifyInstance, routes: readonly Route[]) {
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  const posts = routes.filter(
    (r) => r.method === 'POST' && !r.url.startsWith('/api/') && !r.url.includes('.') && !gets.has(r.url),
  );
  for (const post of [...new Map(posts.map((p) => [p.url, p])).values()]) {
    const target = LANDING[post.url] ?? nearestPage(post.url, gets);
    // Reading the page the form lives on needs what reading needs; that page applies its own permission.
    const access: Access = post.access.kind === 'org' ? { ...post.access, permission: 'org.read' } : post.access;
    app.get(post.url, { config: { access } }, async (req, reply) => reply.redirect(fill(target, req), 303));
  }
}

function nearestPage(url: string, gets: Set<string>): string {
  const parts = url.split('/');
  while (parts.length > 1) {
    parts.pop();
    const up = parts.join('/') || '/';
    if (gets.has(up) && !up.endsWith('/new')) return up;
  }
  return '/';
}

/** Puts the request's own ids back into the target (":orgId" → "7"); ids were checked by the access hook. */
function fill(target: string, req: FastifyRequest): string {
  const params = req.params as Record<string, string>;
  return target.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
