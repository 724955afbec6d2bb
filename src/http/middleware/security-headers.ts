/**
 * Response headers every answer carries (issue 20), set with helmet: a Content-Security-Policy
 * of `default-src 'none'; frame-ancestors 'none'` (JSON needs nothing loaded and may not be
 * framed), `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: same-origin`,
 * `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store`.
 * The dashboard (/app/) and /docs replace the CSP with their own strict ones (self-hosted
 * scripts and styles only; /docs: its one inline style by hash). HSTS is left to the TLS proxy
 * in front: this server speaks plain HTTP.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: false, // set below, as written in the issue
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      xFrameOptions: { action: 'deny' },
    }),
    (_req, res, next) => {
      res.set('Content-Security-Policy', API_CSP);
      res.set('Cache-Control', 'no-store');
      next();
    },
  ];
}
