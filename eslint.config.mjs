// ESLint for the VS Code client (client/): the recommended JavaScript and typescript-eslint rules.
// Run by scripts/gate.sh (npm run lint) with `tsc --noEmit` before any test.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "out/", "bundled/", "node_modules/", "server/", ".venv/"] },
  {
    files: ["client/**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },
);
