// Builds the scope page into ../wwwroot/dist: one bundled, minified script (uPlot included),
// the stylesheet (uPlot's + ours) and index.html. Run by Gateway.Node.csproj (npm run build).
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const out = new URL('../wwwroot/dist/', import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await esbuild.build({
  entryPoints: ['src/main.js', 'src/style.css'],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: out.pathname,
  logLevel: 'warning',
});
await copyFile(new URL('index.html', import.meta.url), new URL('index.html', out));
console.log('scope page built into', out.pathname);
