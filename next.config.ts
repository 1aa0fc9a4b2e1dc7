import type { NextConfig } from 'next';

const isDev = process.env.NODE_ENV !== 'production';

// Pages render no third-party script; React hydration needs inline scripts, and dev mode needs eval.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self' http://localhost:* https:",
  "object-src 'none'",
].join('; ');

const nextConfig: NextConfig = {
  // A separate build folder lets the load test or a second checkout build without touching .next.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  serverExternalPackages: ['pdfkit', 'piscina', '@kubernetes/client-node', 'oidc-provider', 'bullmq', 'ioredis', 'pg', '@prisma/adapter-pg'],
  // The build checks only what it ships; `npm run typecheck` covers tests, scripts, the agent and benchmarks.
  typescript: { ignoreBuildErrors: false, tsconfigPath: 'tsconfig.next.json' },
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'Content-Security-Policy', value: csp },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
      ],
    }];
  },
};

export default nextConfig;
