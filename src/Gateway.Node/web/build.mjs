// Builds the scope page into ../wwwroot/dist: one bundled, minified script (uPlot included),
// the stylesheet (uPlot's + ours) and index.html; and the /cluster page (cluster.html, cluster.js,
// cluster.css). Run by Gateway.Node.csproj (npm run build).
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const out = new URL('../wwwroot/dist/', import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await esbuild.build({
  entryPoints: ['src/main.js', 'src/style.css', 'src/cluster.js', 'src/cluster.css'],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: out.pathname,
  logLevel: 'warning',
});
await copyFile(new URL('index.html', import.meta.url), new URL('index.html', out));
await copyFile(new URL('cluster.html', import.meta.url), new URL('cluster.html', out));
console.log('scope page built into', out.pathname);
