import type { DocumentStore } from "@apollo/server";
import type { DocumentNode } from "graphql";
import { LRUCache } from "lru-cache";

/**
 * What a parsed document keeps alive, in bytes: graphql-js keeps the document's source text and, through the
 * AST's locations, every token the lexer made, comments included (about 90 bytes each); the AST itself weighs
 * about twice its JSON. Apollo's own cache counts the JSON alone, so a flood of comment-padded documents filled
 * 3.6 GB under its "30 MiB" bound. Checked by `node --expose-gc dist/bench/document-bytes.js KIND`:
 * documentBytes charges 1.43x what a comment-padded document holds, 1.00x a long single comment, 1.10x a
 * 100-alias fan-out and 1.01x a single look-up: never less.
 */
const BYTES_PER_SOURCE_CHAR = 2;
const BYTES_PER_TOKEN = 128;
const BYTES_PER_JSON_CHAR = 2.5;

export function documentBytes(document: DocumentNode): number {
  let tokens = 0;
  for (let token = document.loc?.startToken ?? null; token; token = token.next) tokens++;
  const source = document.loc?.source.body.length ?? 0;
  return Math.ceil(source * BYTES_PER_SOURCE_CHAR + tokens * BYTES_PER_TOKEN + JSON.stringify(document).length * BYTES_PER_JSON_CHAR);
}

/** The parsed-document cache's bound: what Apollo's documents may hold at most, all together. */
export const DOCUMENT_CACHE_BYTES = 32 * 2 ** 20;

/**
 * Apollo's parsed and validated documents (its `documentStore`), least recently used first out, bounded by
 * what they really hold (documentBytes). Keeping parsed documents saves the gateway a third of its CPU per
 * request (bench/README.md), so the cache stays; it just cannot grow past its bound.
 */
export class DocumentCache implements DocumentStore {
  private readonly lru: LRUCache<string, DocumentNode>;

  constructor(readonly maxBytes = DOCUMENT_CACHE_BYTES) {
    this.lru = new LRUCache<string, DocumentNode>({ maxSize: maxBytes, sizeCalculation: (document) => Math.max(1, documentBytes(document)) });
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: DocumentNode): Promise<void> {
    // A document larger than the whole cache is not kept (lru-cache refuses it).
    this.lru.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.lru.delete(key);
  }

  /** Documents kept. */
  get size(): number {
    return this.lru.size;
  }

  /** What they hold, by documentBytes. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
