// Validates JSON texts against the payload schemas of an AsyncAPI document with ajv (draft-07, the dialect AsyncAPI
// 3.0 schemas are written in), and checks that every $ref of the document points inside it.
// Standard input: {"document": {...}, "cases": [{"schema": "Order", "json": "{...}"}]}.
// Prints one JSON line: {"outsideRefs": [...], "results": [{"schema": "Order", "valid": true, "errors": []}]}.
import Ajv from "ajv";
import addFormats from "ajv-formats";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}

const { document, cases } = JSON.parse(input);
const outsideRefs = [];
(function walk(node) {
  if (Array.isArray(node)) {
    node.forEach(walk);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && (typeof value !== "string" || !value.startsWith("#/"))) {
        outsideRefs.push(value);
      }
      walk(value);
    }
  }
})(document);

const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, "asyncapi");
const results = cases.map(({ schema, json }) => {
  const validate = ajv.getSchema(`asyncapi#/components/schemas/${schema}`);
  if (validate === undefined) {
    return { schema, valid: false, errors: [`no schema ${schema}`] };
  }
  const valid = validate(JSON.parse(json));
  return { schema, valid, errors: valid ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`) };
});
console.log(JSON.stringify({ outsideRefs, results }));
