// The embedded-mode tests run a parent process that imports the built package, as users do.
import { execFileSync } from "node:child_process";

export default function setup() {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
