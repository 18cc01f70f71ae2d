import Handlebars from 'handlebars';

/**
 * How deep blocks (`{{#if}}`, `{{#each}}`, each `{{else if}}` of a chain)
 * and sub-expressions (`(list x)`) may nest. Our own templates nest at most
 * 3 levels and real emails a handful; 20 leaves room for any honest layout
 * while keeping the Handlebars parser cheap (see below).
 */
export const TEMPLATE_NESTING_MAX = 20;

/** The Jison lexer Handlebars parses with; untyped in its declarations, so only what we use. */
interface HandlebarsLexer {
  EOF: number;
  yylineno: number;
  setInput(input: string): void;
  lex(): number | string;
}
interface HandlebarsParser {
  lexer: HandlebarsLexer;
  symbols_: Record<string, number>;
}

const parser = (Handlebars as unknown as { Parser: HandlebarsParser }).Parser;
const token = (name: string): number => parser.symbols_[name];
const OPENS_BLOCK = new Set(['OPEN_BLOCK', 'OPEN_INVERSE', 'OPEN_PARTIAL_BLOCK', 'OPEN_RAW_BLOCK'].map(token));
const CHAINS_BLOCK = token('OPEN_INVERSE_CHAIN');
const CLOSES_BLOCK = new Set(['OPEN_ENDBLOCK', 'END_RAW_BLOCK'].map(token));
const OPENS_SEXPR = token('OPEN_SEXPR');
const CLOSES_SEXPR = token('CLOSE_SEXPR');
const END = new Set([parser.lexer.EOF, token('EOF')]);

/**
 * Why a template nests too deep for us to parse it, or undefined.
 *
 * The Handlebars (Jison) parser copies its whole stack on every reduction,
 * and the stack grows with nesting: parsing costs O(size x depth), so a
 * 50 KB template of nested `{{#if}}` took seconds of blocked event loop and
 * a little deeper overflowed the call stack. This reads only the tokens,
 * with Handlebars's own lexer (linear, and it agrees with the parser about
 * comments, escapes and raw blocks), and stops at the first level too deep,
 * so it runs before, and instead of, any parse.
 */
export function nestingProblem(source: string, limit: number = TEMPLATE_NESTING_MAX): string | undefined {
  // A lexer of our own: the shared one holds the state of the last parse.
  const lexer = Object.create(parser.lexer) as HandlebarsLexer;
  lexer.setInput(source);
  /** Per open block or sub-expression, the levels it adds: 1, plus one per `{{else if}}` chained to a block. */
  const blocks: number[] = [];
  let depth = 0;
  try {
    for (let next = normalized(lexer.lex()); !END.has(next); next = normalized(lexer.lex())) {
      if (OPENS_BLOCK.has(next) || next === OPENS_SEXPR) {
        blocks.push(1);
        depth += 1;
      } else if (next === CHAINS_BLOCK && blocks.length > 0) {
        blocks[blocks.length - 1] += 1;
        depth += 1;
      } else if ((CLOSES_BLOCK.has(next) || next === CLOSES_SEXPR) && blocks.length > 0) {
        depth -= blocks.pop()!;
      }
      if (depth > limit) {
        return `line ${lexer.yylineno + 1}: blocks and sub-expressions nest more than ${limit} levels deep; `
          + `split the template or flatten it (an email needs a handful of levels)`;
      }
    }
  } catch {
    // Not valid Handlebars: the parse that follows reports it, and it only gets this far, no deeper than the limit.
  }
  return undefined;
}

function normalized(next: number | string): number {
  return typeof next === 'number' ? next : token(next);
}
