// What both builds (the server, scripts/build.mjs; the admin command line, scripts/build-admin.mjs) share:
// esbuild bundles only our own code (this app and @patients/core); every installed package stays an import
// that Node resolves from node_modules, as it does under tsx.

/** esbuild options for an ESM bundle run by Node 20. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      // Installed packages stay external; only the workspace's own packages are bundled.
      name: 'installed-packages-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@patients/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
};
