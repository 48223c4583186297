// Build the workbench bundle into the Python package: node build.mjs (see docs/workbench.md).
// One ES2017 bundle for Chromium 64+ (the staff's 360 / 奇安信 / UOS browsers ship old kernels), minified, no CDN,
// plus the licenses of everything bundled.
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const out = "../src/jixiao/web/static";
const result = await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2017", "chrome64"], // Chromium 64+: the oldest kernel of 360 / 奇安信 / UOS browsers in use (\p{L} regexps need 64)
  outfile: `${out}/app.js`,
  legalComments: "none",
  metafile: true,
});

// Licenses of every package that ended up in the bundle.
const used = new Set(
  Object.keys(result.metafile.inputs)
    .map((p) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/))
    .filter(Boolean)
    .map((m) => m[1]),
);
const parts = ["Third-party software bundled in app.js (built by web/build.mjs)\n"];
for (const name of [...used].sort()) {
  const dir = join("node_modules", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : pkg.license;
  parts.push(`\n==== ${name}@${pkg.version} (${pkg.license}) ====\n\n${text.trim()}\n`);
}
writeFileSync(`${out}/LICENSES.txt`, parts.join(""));
console.log(`app.js: ${result.metafile.outputs[`${out}/app.js`.replace("../", "../")]?.bytes ?? "?"} bytes; packages: ${[...used].join(", ")}`);
