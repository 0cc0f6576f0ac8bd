// Parses an AsyncAPI document with the reference parser (@asyncapi/parser) and prints one JSON line:
// {"version":"3.0.0","errors":[...],"warnings":[...]} with each diagnostic's message and path.
// Usage: node asyncapi-check.mjs <document.json>
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const file = process.argv[2];
const text = await readFile(file, "utf8");
const parser = new Parser();
const { document, diagnostics } = await parser.parse(text);
// Severity 0 is an error, 1 a warning (Spectral's DiagnosticSeverity).
const shape = (d) => ({ code: String(d.code), message: d.message, path: d.path.join("/") });
const errors = diagnostics.filter((d) => d.severity === 0).map(shape);
const warnings = diagnostics.filter((d) => d.severity === 1).map(shape);
console.log(JSON.stringify({ version: document?.version() ?? null, errors, warnings }));
