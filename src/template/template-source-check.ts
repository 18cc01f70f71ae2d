import Handlebars from 'handlebars';
import { FieldCatalog } from './template-fields';
import { BLOCK_HELPERS, INLINE_HELPERS } from './template-helpers';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;

export interface SourceCheckOptions {
  catalog: FieldCatalog;
  /** Partials this part may include (none in a subject). */
  partials: readonly string[];
}

/** Names that lead to prototypes; Handlebars denies them at runtime too, we refuse them at save time. */
const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const EACH_VARIABLES = new Set(['index', 'first', 'last', 'key']);
const BLOCKS = new Set<string>(BLOCK_HELPERS);
const INLINE = new Set<string>(INLINE_HELPERS);

interface Scope {
  /** Field path of `this` in each enclosing block, innermost last ('' is the root data). */
  contexts: string[];
  inEach: boolean;
  /** The item of the innermost enclosing `{{#each}}` (`items[]`), if any. */
  eachItem?: string;
}

/**
 * Reads a template source the way Handlebars will and lists what is wrong
 * with it, before it is ever compiled: no triple-stash, only our helpers and
 * partials, no prototype names, and every field one this template receives.
 * Field checking covers `{{#if}}`/`{{#each}}` arguments and partial
 * arguments, which strict mode does not (it only checks `{{x}}`).
 */
export function checkTemplateSource(source: string, options: SourceCheckOptions): string[] {
  let program: Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    return [`syntax error: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  new SourceChecker(options, problems).program(program, { contexts: [''], inEach: false });
  return [...new Set(problems)];
}

class SourceChecker {
  constructor(
    private readonly options: SourceCheckOptions,
    private readonly problems: string[],
  ) {}

  program(program: Program | undefined, scope: Scope): void {
    if (!program) return;
    if (program.blockParams?.length) this.report(program, 'block parameters (as |x|) are not supported; use this');
    for (const statement of program.body) this.statement(statement, scope);
  }

  private statement(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope);
      case 'PartialStatement':
        return this.partial(node as hbs.AST.PartialStatement, scope);
      case 'PartialBlockStatement':
        return this.report(node, 'partial blocks ({{#> name}}) are not supported');
      default:
        return this.report(node, `${node.type} is not supported`);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): void {
    if (!node.escaped) {
      this.report(node, 'triple-stash {{{ }}} and {{& }} are not allowed: every value is HTML-escaped');
    }
    if (node.path.type !== 'PathExpression') return this.report(node, 'write literal text outside {{ }}');
    const path = node.path as PathExpression;
    if (node.params.length > 0 || node.hash || INLINE.has(path.original)) {
      return this.helperCall(node, path, node.params, node.hash, scope);
    }
    if (BLOCKS.has(path.original)) return this.report(node, `${path.original} is a block helper: use {{#${path.original} ...}}`);
    const field = this.field(path, scope);
    if (field && this.options.catalog.containers.has(field)) {
      this.report(node, `"${path.original}" holds a list or an object, not text; use one of its fields`);
    }
  }

  private helperCall(node: Node, path: PathExpression, params: Node[], hash: hbs.AST.Hash | undefined, scope: Scope): void {
    if (!INLINE.has(path.original)) {
      return this.report(node, `unknown helper "${path.original}"; the helpers are ${INLINE_HELPERS.join(', ')}`);
    }
    if (params.length !== 1 || hash) this.report(node, `${path.original} takes exactly one value`);
    for (const param of params) this.expression(param, scope);
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): void {
    const name = node.path.original;
    if (!BLOCKS.has(name)) {
      return this.report(node, `unknown block helper "${name}"; the block helpers are ${BLOCK_HELPERS.join(', ')}`);
    }
    if (node.params.length !== 1 || node.hash) return this.report(node, `#${name} takes exactly one value`);
    const subject = node.params[0];
    const field = this.expression(subject, scope);
    let inner = scope;
    if ((name === 'each' || name === 'with') && subject.type === 'PathExpression' && field !== undefined) {
      if (name === 'each' && scope.eachItem !== undefined && !field.startsWith(`${scope.eachItem}.`)) {
        // Every item would loop over a whole list again: nested, that grows as the lists' sizes multiplied.
        return this.report(node, `#each inside #each must go over a list of the current item, not "${(subject as PathExpression).original}"`);
      }
      const context = name === 'each' ? `${field}[]` : field;
      inner = { contexts: [...scope.contexts, context], inEach: scope.inEach || name === 'each', eachItem: name === 'each' ? context : scope.eachItem };
    } else if (name === 'each' || name === 'with') {
      return this.report(node, `#${name} needs a field`);
    }
    this.program(node.program, inner);
    this.program(node.inverse, scope);
  }

  private partial(node: hbs.AST.PartialStatement, scope: Scope): void {
    const name = node.name.type === 'PathExpression' ? (node.name as PathExpression).original : undefined;
    if (!name || !this.options.partials.includes(name)) {
      const allowed = this.options.partials.length ? this.options.partials.join(', ') : 'none here';
      return this.report(node, `unknown partial "${name ?? 'dynamic'}"; the partials are ${allowed}`);
    }
    if (node.params.length > 0) this.report(node, 'pass values to a partial as name=value');
    for (const pair of node.hash?.pairs ?? []) this.expression(pair.value, scope);
  }

  /** Checks an argument; returns the field path it names, if it is a field. */
  private expression(node: Node, scope: Scope): string | undefined {
    if (node.type === 'PathExpression') return this.field(node as PathExpression, scope);
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      this.helperCall(node, sub.path, sub.params, sub.hash, scope);
    }
    return undefined;
  }

  private field(path: PathExpression, scope: Scope): string | undefined {
    const forbidden = path.parts.find((part) => FORBIDDEN_NAMES.has(part));
    if (forbidden) return void this.report(path, `"${forbidden}" cannot be used in a template`);
    if (path.data) return this.dataVariable(path, scope);
    if (path.depth >= scope.contexts.length) return void this.report(path, `"${path.original}" goes above the root`);
    const base = scope.contexts[scope.contexts.length - 1 - path.depth];
    return this.knownField([base, ...path.parts].filter(Boolean).join('.'), path);
  }

  private dataVariable(path: PathExpression, scope: Scope): string | undefined {
    const [name, ...rest] = path.parts;
    if (name === 'root') return this.knownField(rest.join('.'), path);
    if (EACH_VARIABLES.has(name) && rest.length === 0 && scope.inEach) return undefined;
    this.report(path, `@${name} is not available here`);
    return undefined;
  }

  private knownField(field: string, path: PathExpression): string | undefined {
    if (field === '' || this.options.catalog.known.has(field)) return field;
    const fields = [...this.options.catalog.known].filter((known) => !this.options.catalog.containers.has(known));
    this.report(path, `unknown field "${path.original}"; this template receives ${fields.join(', ')}`);
    return undefined;
  }

  private report(node: Node, message: string): void {
    const line = node.loc?.start?.line;
    this.problems.push(line ? `line ${line}: ${message}` : message);
  }
}
