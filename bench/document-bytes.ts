import { parse } from "graphql";
import { documentBytes } from "../src/limits/document-cache";

// `node --expose-gc dist/bench/document-bytes.js KIND`: what parsed documents of one kind really keep on
// the heap, beside what DocumentCache charges for them (documentBytes). One kind per process, so that no
// other kind's garbage is collected inside the measurement. Figures in src/limits/document-cache.ts.

const KINDS: Record<string, { count: number; text: (i: number) => string }> = {
  // the comment-padded flood of SECURITY.md: just under QUERY_MAX_CHARS, one-character comments, ~15,900 comment tokens
  comments: { count: 200, text: (i) => `query Flood${i} { integration { id } }\n${"#\n".repeat(15_900)}` },
  // one long comment: one token, a long source
  "long-comment": { count: 200, text: (i) => `query L${i} { integration { id } }\n# ${"x".repeat(30_000)}` },
  // the assistant's fan-out: 100 aliased look-ups
  fanout: {
    count: 200,
    text: (i) => `query F${i} { github { ${Array.from({ length: 100 }, (_, k) => `a${k}: issue(owner: "bench", repo: "r${k % 5}", number: ${k + i}) { number title }`).join(" ")} } }`,
  },
  // a single look-up
  small: { count: 5000, text: (i) => `query S${i} { github { issue(owner: "acme", repo: "webshop", number: ${i}) { number title } } }` },
};

const gc = (globalThis as { gc?: () => void }).gc;
const kind = process.argv[2];
const spec = kind ? KINDS[kind] : undefined;
if (!gc || !spec) {
  process.stderr.write(`usage: node --expose-gc dist/bench/document-bytes.js ${Object.keys(KINDS).join("|")}\n`);
  process.exit(2);
}
const texts = Array.from({ length: spec.count }, (_, i) => spec.text(i));
gc();
gc();
const before = process.memoryUsage().heapUsed;
const kept = texts.map((t) => parse(t));
gc();
gc();
const heap = process.memoryUsage().heapUsed - before;
// The source strings were alive before parsing (in `texts`); a cached document keeps them alive after.
const sources = texts.reduce((sum, t) => sum + t.length, 0);
const charged = kept.reduce((sum, d) => sum + documentBytes(d), 0);
const per = (n: number) => Math.round(n / spec.count);
process.stdout.write(`${kind}: held ${per(heap + sources)} bytes a document (parse ${per(heap)} + source ${per(sources)}), charged ${per(charged)}: x${(charged / (heap + sources)).toFixed(2)}\n`);
