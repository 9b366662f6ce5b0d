// Prepares the Claude Agent SDK's bundled sdk.d.ts for ts-json-schema-generator:
// - `coreTypes.X` (a namespace re-export of top-level types) becomes `X`;
// - union members naming a type the bundle does not ship (internal types stripped by the
//   SDK's build) are dropped, and listed on stderr;
// - the stdout line union is appended as `StdoutLine`.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)("typescript");
const [input, output, union] = process.argv.slice(2);
const text = fs.readFileSync(input, "utf8").replace(/\bcoreTypes\./g, "");
const tmp = path.join(path.dirname(input), "sdk-unflattened.d.ts");
fs.writeFileSync(tmp, text);
const program = ts.createProgram([tmp], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: ["node"] });
const checker = program.getTypeChecker();
const file = program.getSourceFile(tmp);
const edits = [];
const dropped = new Set();
const check = (node) => {
  if (ts.isUnionTypeNode(node)) {
    const missing = node.types.filter((t) => ts.isTypeReferenceNode(t) && !checker.getSymbolAtLocation(t.typeName)?.declarations?.length);
    if (missing.length) {
      const kept = node.types.filter((t) => !missing.includes(t));
      missing.forEach((t) => dropped.add(t.typeName.getText(file)));
      edits.push([node.getStart(file), node.getEnd(), kept.length ? kept.map((t) => t.getText(file)).join(" | ") : "never"]);
      return;
    }
  }
  ts.forEachChild(node, check);
};
check(file);
fs.unlinkSync(tmp);
let out = text;
for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) {
  out = out.slice(0, start) + replacement + out.slice(end);
}
out += `\nexport declare type StdoutLine = ${union};\n`;
fs.writeFileSync(output, out);
for (const name of [...dropped].sort()) console.log(name);
