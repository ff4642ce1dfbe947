// A command line → the words of an exec-form Cmd, split as POSIX sh splits words (POSIX.1-2017 XCU 2.2
// Quoting, 2.3 Token Recognition). No shell runs the result, so what only a shell can do (operators,
// expansions, a second command on the next line) is refused with a sentence instead of being passed on.
//
// shell-quote does the word splitting and quote removal. It departs from POSIX in a few places, which
// `normalize` below handles before it sees the text: backslash-newline continuations, unclosed quotes
// (it accepts them silently), a # inside a word (it starts a comment there), \` inside "…" (it keeps the
// backslash), and $ (it expands variables from its env, to "" when unset).
import { parse } from 'shell-quote';
import { UnitError } from './units';

// After $, these begin a parameter expansion ($HOME, $1, $@, ${…}), a command substitution $(…) or
// $'…' quoting; any other $ is an ordinary character (2.6.2).
const EXPANSION_AFTER_DOLLAR = /[A-Za-z_0-9@*#?$!{(-]|'/;

/**
 * Rewrites the text so that shell-quote reads it as POSIX sh does, refusing what sh would expand or
 * treat as a second command. Returns the text to hand to shell-quote.
 */
function normalize(text: string, fail: (why: string) => never): string {
  let out = '';
  let quote: "'" | '"' | null = null;
  let wordStarted = false;
  const expansion = (at: number): never => {
    const tick = text[at] === '`';
    const what = tick ? text.slice(at).split(/\s/)[0]! : (/^\$(\{[^}]*\}?|\([^)]*\)?|'[^']*'?|[A-Za-z_][A-Za-z_0-9]*|.)/.exec(text.slice(at))?.[0] ?? '$');
    const literal = tick ? '\\` (or put it in \'…\') for a literal `' : '\\$ (or put it in \'…\') for a literal $';
    return fail(`${what} is expanded by a shell, and no shell runs this command: write ${literal}, or wrap the command in sh -c '…'`);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      // 2.2.2: every character inside single quotes is literal, backslash and newline included.
      out += c;
      if (c === "'") quote = null;
      continue;
    }
    if (quote === '"') {
      // 2.2.3: inside double quotes a backslash escapes only $ ` " \ and newline.
      if (c === '\\') {
        const n = text[i + 1];
        if (n === '\n') {
          i++; // backslash-newline: a line continuation, removed (2.2.1, 2.2.3)
        } else if (n === '`') {
          out += '`'; // shell-quote does not know `, so a bare one is literal to it
          i++;
        } else if (n !== undefined) {
          out += c + n;
          i++;
        } else out += c;
        continue;
      }
      if (c === '`' || (c === '$' && EXPANSION_AFTER_DOLLAR.test(text[i + 1] ?? ''))) expansion(i);
      if (c === '$') out += '\\$'; // a literal $: escaped, so shell-quote does not expand it
      else out += c;
      if (c === '"') quote = null;
      continue;
    }
    if (c === '\\') {
      const n = text[i + 1];
      // 2.2.1: a backslash-newline is removed before the line is split into words (a line continuation).
      if (n === '\n') {
        i++;
        continue;
      }
      if (n === undefined) fail('it ends with a backslash that escapes nothing: remove it, or write \\\\ for a literal backslash');
      out += c + n;
      i++;
      wordStarted = true;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      wordStarted = true;
      out += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      wordStarted = false;
      out += c;
      continue;
    }
    if (c === '\n') {
      if (text.slice(i).trim() === '') break; // trailing line breaks end the command
      fail('a line break separates two commands in sh: end each line but the last with \\ to continue the command, or wrap the commands in sh -c \'…\'');
    }
    if (c === '#') {
      if (!wordStarted) {
        // 2.3 rule 9: # at the start of a word begins a comment, up to the end of the line.
        const nl = text.indexOf('\n', i);
        i = (nl < 0 ? text.length : nl) - 1;
        continue;
      }
      out += '\\#'; // inside a word # is an ordinary character
      continue;
    }
    if (c === '`' || (c === '$' && EXPANSION_AFTER_DOLLAR.test(text[i + 1] ?? ''))) expansion(i);
    if (c === '~' && !wordStarted) fail('~ at the start of a word is expanded by a shell to the host user\'s home folder: write the path in full, or quote the ~');
    out += c === '$' ? '\\$' : c;
    wordStarted = true;
  }
  if (quote) fail(`it has an unclosed ${quote} quote: close it, or escape it as \\${quote}`);
  return out;
}

/**
 * Splits a command line into words as POSIX sh does: blanks separate words; '…' keeps everything
 * literal; "…" keeps everything literal except \" \\ \$ \` and backslash-newline; a backslash outside
 * quotes makes the next character literal; backslash-newline joins lines; adjacent quoted and unquoted
 * parts form one word; '' and "" are an empty word; # at the start of a word begins a comment.
 * Unquoted * ? [ stay as written (as sh leaves a pattern that matches no file). Windows line ends count
 * as line ends.
 * @throws UnitError naming the value: an unclosed quote, a trailing backslash, a shell operator
 *   (| ; & && || < > ( )), an expansion ($VAR, ${…}, $(…), `…`, ~) or a second line that is not a continuation.
 */
export function splitCommand(text: string): string[] {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  const fail = (why: string): never => {
    throw new UnitError(`"${shown}" cannot be split into words: ${why}`);
  };
  const words: string[] = [];
  for (const entry of parse(normalize(text.replace(/\r\n?/g, '\n'), fail))) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    else if ('op' in entry) fail(`${entry.op} is a shell operator, and no shell runs this command: quote it to pass it as a word, or wrap the command in sh -c '…'`);
    else fail('it has a comment that could not be placed'); // normalize removes comments; kept for the type
  }
  return words;
}
