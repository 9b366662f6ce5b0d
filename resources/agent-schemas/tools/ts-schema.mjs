// JSON Schema (draft-07) of one TypeScript type, with typescript-json-schema.
// Usage: node ts-schema.mjs <file.d.ts> <TypeName> <out.json>
// Definitions of imported modules are named `import("/abs/path/module").Name` by the tool;
// they are renamed to `Name`, so the output does not depend on where the packages were
// installed. Keys are sorted for stable diffs.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const TJS = require("typescript-json-schema");
const [file, type, out] = process.argv.slice(2);
const program = TJS.getProgramFromFiles([file], { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, skipLibCheck: true, types: ["node"] });
const schema = TJS.generateSchema(program, type, { required: true, strictNullChecks: true, aliasRef: true, ignoreErrors: true });
if (!schema) throw new Error(`no schema for ${type}`);

// `import("/abs/dir/module",{…}).Name` → `Name`; if another definition already has that name
// with other content, `<module>_Name`.
const defs = schema.definitions ?? {};
const names = new Map(); // original → new name
const taken = new Map(); // new name → original
for (const name of Object.keys(defs).sort((a, b) => a.startsWith("import(") - b.startsWith("import(") || a.localeCompare(b))) {
  const m = name.match(/^import\("([^"]*)".*\)\.(.+)$/);
  let s = m ? m[2] : name;
  if (taken.has(s) && JSON.stringify(defs[taken.get(s)]) !== JSON.stringify(defs[name])) {
    s = `${m[1].split("/").pop()}_${s}`;
    if (taken.has(s)) throw new Error(`definition name clash: ${s}`);
  }
  taken.set(s, taken.get(s) ?? name);
  names.set(name, s);
}
const short = (name) => names.get(name) ?? name;
const rename = (value) => {
  if (Array.isArray(value)) return value.map(rename);
  if (value && typeof value === "object") {
    const outObj = {};
    for (const key of Object.keys(value).sort()) {
      let v = value[key];
      if (key === "$ref" && typeof v === "string") {
        v = "#/definitions/" + short(decodeURIComponent(v.replace(/^#\/definitions\//, "")));
      } else if (key === "definitions") {
        v = Object.fromEntries([...taken].map(([n, orig]) => [n, rename(v[orig])]).sort(([a], [b]) => a.localeCompare(b)));
        outObj[key] = v;
        continue;
      }
      outObj[key] = rename(v);
    }
    return outObj;
  }
  return value;
};
// Anonymous object types are named `__type`, `__type_1`, … in the order the tool meets them, and
// so are `unknown` and instances of generic types (`Array`, `Record_3`, `NonNullable<…>`, …);
// they are inlined where they are used, so the generated types get names from their context.
const renamed = rename(schema);
const anonymousDefs = { ...renamed.definitions };
const anonymous = (ref) =>
  typeof ref === "string" &&
  (/^#\/definitions\/(__type|unknown|Array|Record|Partial|Required|Readonly|Pick|Omit|Exclude|Extract|NonNullable)(_\d+)?$/.test(ref) ||
    /^#\/definitions\/[A-Za-z]+<.*>$/.test(ref));
const inline = (value, stack) => {
  if (Array.isArray(value)) return value.map((v) => inline(v, stack));
  if (value && typeof value === "object") {
    if (anonymous(value.$ref)) {
      const name = value.$ref.slice("#/definitions/".length);
      if (stack.includes(name)) throw new Error(`recursive anonymous type ${name}`);
      const { $ref, ...rest } = value;
      return inline({ ...anonymousDefs[name], ...rest }, [...stack, name]);
    }
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, inline(value[k], stack)]));
  }
  return value;
};
for (const name of Object.keys(renamed.definitions ?? {})) {
  if (anonymous(`#/definitions/${name}`)) delete renamed.definitions[name];
}
const result = inline(renamed, []);
fs.writeFileSync(out, JSON.stringify({ title: type, ...result }, null, 1) + "\n");
