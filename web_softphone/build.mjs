// Build the agent screen: src/main.ts -> dist/app.js + dist/app.css, index.html copied.
// `node build.mjs --tests` instead bundles test/*.test.ts into .test-build/ for `node --test`.
// `node build.mjs --outdir=DIR` builds the page into DIR instead (the wheel build: dist/ is left alone).
// No CDN, no external fonts: everything the page needs ends up in dist/.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const localesDir = join(root, "src/i18n/locales");

// `import locales from "virtual:locales"`: every catalogue in src/i18n/locales (one file a
// language, see README), so adding a language is adding its file.
const localesPlugin = {
  name: "locales",
  setup(b) {
    b.onResolve({ filter: /^virtual:locales$/ }, () => ({ path: "locales", namespace: "locales" }));
    b.onLoad({ filter: /.*/, namespace: "locales" }, async () => {
      const files = (await readdir(localesDir)).filter((name) => /^[a-z]{2,3}(-[a-z0-9]+)*\.ts$/i.test(name)).sort();
      const imports = files.map((name, i) => `import l${i} from ${JSON.stringify(join(localesDir, name))};`);
      const list = files.map((_, i) => `l${i}`).join(", ");
      return { contents: `${imports.join("\n")}\nexport default [${list}];`, resolveDir: localesDir, loader: "js", watchDirs: [localesDir] };
    });
  },
};
const testsOnly = process.argv.includes("--tests");
const outdirArg = process.argv.find((arg) => arg.startsWith("--outdir="));

async function buildApp() {
  const outdir = outdirArg ? resolve(outdirArg.slice("--outdir=".length)) : join(root, "dist");
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(root, "src/main.ts") },
    bundle: true,
    outdir,
    format: "esm",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
    loader: { ".svg": "text" },
    plugins: [localesPlugin],
  });
  await copyFile(join(root, "index.html"), join(outdir, "index.html"));
  const files = (await readdir(outdir)).sort();
  console.log(`web_softphone: built ${outdir} (${files.join(", ")})`);
}

async function buildTests() {
  const outdir = join(root, ".test-build");
  await rm(outdir, { recursive: true, force: true });
  const tests = (await readdir(join(root, "test")))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => join(root, "test", name));
  await build({
    entryPoints: tests,
    bundle: true,
    outdir,
    outExtension: { ".js": ".mjs" },
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    plugins: [localesPlugin],
  });
}

await (testsOnly ? buildTests() : buildApp());
