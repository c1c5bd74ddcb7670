// Builds the browser client (web/) into static files the Python package serves (src/chatsvc/web/static/):
// one bundle per page, no inline scripts, no source maps in the package. `make web` runs it.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const out = "src/chatsvc/web/static";
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: "web/src/main.tsx", preview: "web/src/preview.tsx" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome120", "firefox120", "safari17"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: out,
  logLevel: "warning",
});
for (const name of await readdir("web")) {
  if (name.endsWith(".html") || name.endsWith(".css")) await copyFile(join("web", name), join(out, name));
}
