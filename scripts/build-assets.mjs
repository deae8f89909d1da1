// Builds csphub's static assets from npm packages into src/csphub/static/vendor/.
// Run by `npm run build` (the setup step does this); the output is not committed.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "src/csphub/static/vendor");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");

mkdirSync(join(vendor, "govuk"), { recursive: true });
cpSync(join(govuk, "assets"), join(vendor, "govuk/assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(vendor, "govuk/govuk-frontend.min.js"));

const result = sass.compile(join(root, "src/csphub/static_src/csphub.scss"), {
  importers: [new sass.NodePackageImporter(root)],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(vendor, "csphub.css"), result.css);
console.log(`built ${join("src/csphub/static/vendor", "csphub.css")} (${result.css.length} bytes)`);
