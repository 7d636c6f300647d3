#!/usr/bin/env bash
# Scaffold a workspace package with the project's conventions: ESM, strict TypeScript compiled by tsc to dist/,
# an explicit `exports` map whose "@gtwatch/source" condition lets vitest run against src/.
# Usage: scripts/new-package.sh packages|services NAME "one-line description"
set -euo pipefail
kind=$1 name=$2 desc=$3
dir="$(cd "$(dirname "$0")/.." && pwd)/$kind/$name"
[ -e "$dir/package.json" ] && { echo "$dir exists" >&2; exit 1; }
mkdir -p "$dir/src" "$dir/test"
cat > "$dir/package.json" <<JSON
{
  "name": "@gtwatch/$name",
  "version": "0.1.0",
  "private": true,
  "description": "$desc",
  "type": "module",
  "exports": {
    ".": {
      "@gtwatch/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "files": ["dist"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "lint": "biome lint src test",
    "test": "vitest run --root ../.. --project unit $kind/$name"
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": ".", "outDir": "dist" },
  "include": ["src", "test"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "exclude": ["test"]
}
JSON
echo "created $dir"
