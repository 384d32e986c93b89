import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';

/** A message the server can send, as written in its source, and where. */
export interface FoundMessage {
  text: string;
  /** Written as a template literal: its `${…}` parts, shown as `{}`, are filled in before translation. */
  filledIn: boolean;
  where: string;
}

/** Command-line tools print to a terminal, not to a person's browser: their messages stay English. */
const COMMAND_LINE = new Set(['main.ts', 'bootstrap.ts']);
/** The folder of the `parley` command's commands, which print to a terminal too. */
const COMMAND_LINE_FOLDER = 'cli';

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === COMMAND_LINE_FOLDER ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !COMMAND_LINE.has(entry.name)
      ? [path]
      : [];
  });
}

const parse = (path: string): ts.SourceFile =>
  ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

function visit(node: ts.Node, each: (node: ts.Node) => void): void {
  each(node);
  node.forEachChild((child) => visit(child, each));
}

/** A template literal as its text with every `${…}` written `{}`. */
const templateText = (template: ts.TemplateExpression): string =>
  template.head.text + template.templateSpans.map((span) => `{}${span.literal.text}`).join('');

/**
 * Every message of the server's error answers: each `new AppError(code, message)`'s message (following constants,
 * both branches of a `?:` and parameters back to their callers' arguments), each `message:` written in an object
 * (zod's `{ message }` options and issues, the sign-up form's checks), and each field error the store's website
 * validation writes (`fields.x = '…'`). `problems` lists AppError messages written as template literals, which must
 * pass their values separately so that the table can hold the sentence.
 */
/** The `file:object` of the `object.error(code, message)` calls that send the dashboard's socket an error frame. */
const SOCKET_ERRORS = new Set(['sockets/agent-socket.ts:this.channel', 'sockets/socket-channel.ts:this']);

export function scanServerMessages(serverSource: string, websiteValidation: readonly string[]) {
  const files = sourceFiles(serverSource).map(parse);
  const found: FoundMessage[] = [];
  const problems: string[] = [];
  const where = (node: ts.Node): string => {
    const file = node.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    return `${relative(serverSource, file.fileName)}:${line}`;
  };

  const constantsOf = (file: ts.SourceFile, name: string): ts.Expression[] => {
    const initializers: ts.Expression[] = [];
    visit(file, (node) => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === name &&
        node.initializer
      )
        initializers.push(node.initializer);
    });
    return initializers;
  };

  const callersOf = (name: string, index: number): ts.Expression[] =>
    files.flatMap((file) => {
      const args: ts.Expression[] = [];
      visit(file, (node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
          const arg = node.arguments[index];
          if (arg) args.push(arg);
        }
      });
      return args;
    });

  /** The literal texts an expression can have; `strict` marks AppError messages, which may not be filled in. */
  const collect = (expression: ts.Expression, strict: boolean): void => {
    if (ts.isParenthesizedExpression(expression)) {
      collect(expression.expression, strict);
      return;
    }
    const text = literalText(expression);
    if (text !== null) {
      found.push({ text, filledIn: false, where: where(expression) });
      return;
    }
    if (ts.isTemplateExpression(expression)) {
      if (strict)
        problems.push(`${where(expression)}: pass the values of \`${expression.getText()}\` separately`);
      found.push({ text: templateText(expression), filledIn: true, where: where(expression) });
      return;
    }
    if (ts.isConditionalExpression(expression)) {
      collect(expression.whenTrue, strict);
      collect(expression.whenFalse, strict);
      return;
    }
    if (ts.isIdentifier(expression)) {
      const file = expression.getSourceFile();
      const constants = constantsOf(file, expression.text);
      for (const constant of constants) collect(constant, strict);
      if (constants.length > 0) return;
      // A parameter: the message comes from the callers of its function.
      const declaration = findParameter(expression);
      if (declaration) {
        for (const arg of callersOf(declaration.functionName, declaration.index)) collect(arg, strict);
        return;
      }
    }
    // Any other expression (a call, a property) builds its message elsewhere: in this source, where its own literals
    // are found, or in @parley/live (the throttled sign-in and sign-up sentences, whose German the tests of
    // `translate` check).
  };

  for (const file of files) {
    visit(file, (node) => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'AppError'
      ) {
        const message = node.arguments?.[1];
        if (message) collect(message, true);
      }
      if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'message' &&
        ts.isObjectLiteralExpression(node.parent)
      )
        collect(node.initializer, false);
      // The error frames of the dashboard's socket: its own and those of every socket's channel. The widget shows
      // its own words for each error code, so the visitor socket's messages are not shown to anyone.
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'error' &&
        SOCKET_ERRORS.has(`${relative(serverSource, file.fileName)}:${node.expression.expression.getText()}`)
      ) {
        const message = node.arguments[1];
        if (message) collect(message, false);
      }
    });
  }

  for (const validation of websiteValidation.map(parse))
    visit(validation, (node) => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left)) &&
        node.left.expression.getText() === 'fields'
      ) {
        const right = node.right;
        const text = literalText(right);
        if (text !== null) found.push({ text, filledIn: false, where: basename(validation.fileName) });
        else if (ts.isTemplateExpression(right))
          found.push({ text: templateText(right), filledIn: true, where: basename(validation.fileName) });
      }
    });
  return { found, problems };
}

/** The text of a string literal, or of literals joined with `+` to keep lines short; null for anything else. */
function literalText(expression: ts.Expression): string | null {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression))
    return expression.text;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalText(expression.left);
    const right = literalText(expression.right);
    return left === null || right === null ? null : left + right;
  }
  return null;
}

/** The function and position of the parameter an identifier names, if it names one. */
function findParameter(identifier: ts.Identifier): { functionName: string; index: number } | null {
  for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
    if (!ts.isFunctionDeclaration(node) && !ts.isArrowFunction(node) && !ts.isFunctionExpression(node))
      continue;
    const index = node.parameters.findIndex(
      (p) => ts.isIdentifier(p.name) && p.name.text === identifier.text,
    );
    if (index < 0) continue;
    const name = ts.isFunctionDeclaration(node)
      ? node.name?.text
      : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)
        ? node.parent.name.text
        : undefined;
    return name ? { functionName: name, index } : null;
  }
  return null;
}
