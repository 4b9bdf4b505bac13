// Terraform configurations read with HashiCorp's own HCL parser (@cdktf/hcl2json: the hcl Go
// package compiled to WebAssembly). `parse` gives the blocks, labels and attributes as Terraform's
// JSON syntax does: a literal as its value, an expression as "${…}" source text. Those expressions
// are then parsed again by the same parser (getExpressionAst) and their syntax tree read into
// values: literals decoded as Terraform reads them (escapes, "$${" and "%{" doubled), references as
// { ref }, function calls as { call, args }, a string that really interpolates as { template: [its literal parts and expressions] }.
import { getExpressionAst, parse, type TFExpressionSyntaxTree } from '@cdktf/hcl2json';

export type HclValue = string | number | boolean | null | { ref: string } | { call: string; args: HclValue[] } | { template: HclValue[] } | HclValue[] | { [key: string]: HclValue };

/** A block's attributes as values; nested blocks, as Terraform's JSON syntax writes them, under their type. */
export type HclBody = Record<string, unknown>;

/** An HCL string literal's source text (between its quotes) as Terraform reads it. */
function decodeLiteral(raw: string): string {
  return raw.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))|\$\$\{|%%\{/g, (match, u4?: string, u8?: string, other?: string) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (u4 || u8) return String.fromCodePoint(Number.parseInt((u4 ?? u8)!, 16));
    const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (!(other! in escapes)) throw new Error(`not an HCL escape: \\${other}`);
    return escapes[other!]!;
  });
}

function valueOf(node: TFExpressionSyntaxTree.ExpressionType): HclValue {
  switch (node.type) {
    case 'templateWrap':
      return valueOf(only(node));
    case 'template': {
      const parts = node.children;
      if (parts.every((part) => part.type === 'literalValue')) return parts.map((part) => decodeLiteral(part.meta.value)).join('');
      return { template: parts.map(valueOf) };
    }
    case 'literalValue': {
      const { type, value } = node.meta;
      if (type === 'number') return Number(value);
      if (type === 'bool') return value === 'true';
      if (type === 'string') return decodeLiteral(value);
      return null;
    }
    case 'function':
      return { call: node.meta.name, args: node.children.map(valueOf) };
    case 'scopeTraversal':
      return { ref: node.meta.fullAccessor };
    case 'tuple':
      return node.children.map(valueOf);
    case 'object': {
      // Children alternate: a key (wrapped in a node of no type), then its value.
      const object: Record<string, HclValue> = {};
      for (let i = 0; i < node.children.length; i += 2) {
        const keyNode = node.children[i]!;
        const key = valueOf(keyNode.type === ('' as never) ? only(keyNode) : keyNode);
        const name: string | undefined = typeof key === 'string' ? key : key && typeof key === 'object' && 'ref' in key && typeof key.ref === 'string' ? key.ref : undefined;
        if (name === undefined) throw new Error(`an object key that is not a name or a string: ${JSON.stringify(key)}`);
        if (Object.hasOwn(object, name)) throw new Error(`duplicate key ${name}`);
        object[name] = valueOf(node.children[i + 1]!);
      }
      return object;
    }
    default:
      throw new Error(`an expression the setup never writes: ${node.type} ${node.meta.value}`);
  }
}

function only(node: TFExpressionSyntaxTree.ExpressionType): TFExpressionSyntaxTree.ExpressionType {
  if (node.children.length !== 1) throw new Error(`expected one child in ${node.type} ${node.meta?.value}`);
  return node.children[0]!;
}

/**
 * An attribute's value as Terraform's JSON syntax writes it, read back into a value. A string there
 * is a template: "$${" and "%%{" stand for literal "${" and "%{"; any other "${" interpolates, and
 * such a string is parsed again as the quoted template it was ("${jsonencode({…})}" is the call).
 */
async function attributeValue(value: unknown): Promise<unknown> {
  if (typeof value !== 'string') return value;
  if (!/(^|[^$])\$\{|(^|[^%])%\{/.test(value)) return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  const ast = await getExpressionAst('main.tf', `"${value}"`);
  if (!ast) throw new Error(`not an expression: ${value}`);
  return valueOf(ast);
}

/**
 * The configuration as { blockType: { label: { label: body } } } (Terraform's JSON syntax, one body
 * per block where it keeps a list of one), every attribute read into a value. The parser's errors
 * (an unbalanced bracket, an unknown escape) are thrown.
 */
export async function readTerraform(text: string): Promise<Record<string, any>> {
  const json = await parse('main.tf', text);
  // Labels lead down to a list of one body; a body's entries are attributes, or nested blocks' lists.
  const walk = async (node: unknown, inBody: boolean): Promise<unknown> => {
    if (Array.isArray(node)) {
      if (node.length !== 1) throw new Error(`a block given ${node.length} times`);
      return walk(node[0], true);
    }
    if (node && typeof node === 'object') {
      const entries = await Promise.all(Object.entries(node).map(async ([key, item]) => [key, inBody && !isBlockList(item) ? await attributeValue(item) : await walk(item, false)] as const));
      return Object.fromEntries(entries);
    }
    throw new Error(`a bare value outside a block: ${JSON.stringify(node)}`);
  };
  return (await walk(json, false)) as Record<string, any>;
}

/** Terraform's JSON syntax writes a nested block as a list of bodies (objects); an attribute never is one here. */
const isBlockList = (item: unknown) => Array.isArray(item) && item.every((body) => body && typeof body === 'object' && !Array.isArray(body));
