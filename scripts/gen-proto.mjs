#!/usr/bin/env node
// Generates static protobufjs codecs (proto/gen/quantforge.js + .d.ts) from proto/**/*.proto.
// Runs on `npm ci` / `npm install` (the `prepare` script) so a fresh checkout always has them;
// proto/gen/ is git-ignored.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'proto', 'quantforge', 'v1');
const outDir = join(root, 'proto', 'gen');
const bin = (name) => join(root, 'node_modules', 'protobufjs-cli', 'bin', name);
const sources = readdirSync(protoDir)
  .filter((f) => f.endsWith('.proto'))
  .sort()
  .map((f) => join(protoDir, f));

mkdirSync(outDir, { recursive: true });
const js = join(outDir, 'quantforge.js');
// --force-number: int64 fields decode to JS numbers (our times are epoch microseconds, < 2^53).
execFileSync(
  process.execPath,
  [
    bin('pbjs'),
    '-t',
    'static-module',
    '-w',
    'es6',
    '--force-number',
    '--no-verify',
    '--no-delimited',
    '--no-convert',
    '-o',
    js,
    ...sources,
  ],
  { stdio: 'inherit' },
);
// Node's ESM resolver needs the file extension for a package without an exports map,
// and a CommonJS module is imported through its default export.
// --force-number only changes the typings: make 64-bit fields plain numbers at run time too
// (defaults and decoded values), whether or not protobufjs found the `long` package.
const code = readFileSync(js, 'utf8')
  .replace(
    'import * as $protobuf from "protobufjs/minimal";',
    'import $protobuf from "protobufjs/minimal.js";',
  )
  .replace(/\$util\.Long \? \$util\.Long\.fromBits\([^)]*\) : 0/g, '0')
  .replace(/reader\.(u?int64|sint64|s?fixed64)\(\)/g, '$toNumber(reader.$1())')
  .replace(
    '// Common aliases',
    '// Common aliases\nconst $toNumber = (v) => (typeof v === "number" ? v : v.toNumber());',
  );
writeFileSync(js, code);
execFileSync(process.execPath, [bin('pbts'), '-o', join(outDir, 'quantforge.d.ts'), js], {
  stdio: 'inherit',
});
