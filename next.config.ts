import type { NextConfig } from 'next';

// Pages get a per-request nonce policy from proxy.ts. API responses are data, never documents to run: nothing loads.
const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const nextConfig: NextConfig = {
  // A separate build folder lets the load test or a second checkout build without touching .next.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  serverExternalPackages: ['pdfkit', 'piscina', '@kubernetes/client-node', 'oidc-provider', 'bullmq', 'ioredis', 'pg', '@prisma/adapter-pg'],
  // The build checks only what it ships; `npm run typecheck` covers tests, scripts, the agent and benchmarks.
  typescript: { ignoreBuildErrors: false, tsconfigPath: 'tsconfig.next.json' },
  async headers() {
    return [{
      source: '/api/:path*',
      headers: [{ key: 'Content-Security-Policy', value: apiCsp }],
    }, {
      source: '/:path*',
      headers: [
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
      ],
    }];
  },
};

export default nextConfig;
