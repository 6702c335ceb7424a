/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Pay-Connect's paths end in a slash; the simulator serves them as written.
  skipTrailingSlashRedirect: true,
  experimental: {
    // forbidden() and app/forbidden.tsx: "Not allowed" answers 403.
    authInterrupts: true,
    // The register import sends a CSV file of up to 1 MiB as a field (the proxy keeps every other
    // page's submissions to 64 KiB).
    serverActions: { bodySizeLimit: "2mb" },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
