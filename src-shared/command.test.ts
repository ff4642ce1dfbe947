/// <reference types="vite/client" />
// Command lines split into words as POSIX sh splits them (POSIX.1-2017 XCU 2.2 Quoting, 2.3 Token
// Recognition). Each expected row is what `sh -c 'printf "%s\n" VALUE'` would print, word by word.
import { describe, expect, it } from 'vitest';
import continuations from './fixtures/cases/command-line-continuations.txt?raw';
import { splitCommand } from './command';
import { UnitError } from './units';

describe('splitCommand: real inputs (fixtures/cases)', () => {
  it('a vLLM command pasted from a shell script: backslash-newline joins the lines', () => {
    expect(continuations).toContain('\\\n');
    expect(splitCommand(continuations)).toEqual([
      '--model',
      'SWE-bench/SWE-agent-LM-32B',
      '--trust-remote-code',
      '--tensor-parallel-size',
      '4',
      '--enable-prefix-caching',
      '--disable-log-requests',
      '--gpu-memory-utilization',
      '0.95',
    ]);
  });
  it('the same paste from a Windows clipboard (CRLF line ends)', () => {
    expect(splitCommand(continuations.replace(/\n/g, '\r\n'))).toHaveLength(9);
  });
});

describe('splitCommand: the POSIX rules', () => {
  it.each<[string, string, string[]]>([
    ['blanks separate words', ' a  b\tc ', ['a', 'b', 'c']],
    ['nothing is no words', '   ', []],
    ['2.2.2 single quotes keep everything literal', `'a "b" \\c $HOME \`x\` # ~ |'`, ['a "b" \\c $HOME `x` # ~ |']],
    ['2.2.2 a newline inside single quotes is kept', "'a\nb'", ['a\nb']],
    ['2.2.2 backslash-newline inside single quotes is kept', "'a\\\nb'", ['a\\\nb']],
    ['2.2.3 double quotes keep blanks and single quotes', `"it's a test"`, ["it's a test"]],
    ['2.2.3 \\" inside double quotes', `"say \\"hi\\""`, ['say "hi"']],
    ['2.2.3 \\\\ inside double quotes', `"a\\\\b"`, ['a\\b']],
    ['2.2.3 \\$ inside double quotes', `"\\$HOME"`, ['$HOME']],
    ['2.2.3 \\` inside double quotes', '"\\`date\\`"', ['`date`']],
    ['2.2.3 other backslashes inside double quotes stay', `"a\\nb\\tc"`, ['a\\nb\\tc']],
    ['2.2.3 backslash-newline inside double quotes is removed', `"a\\\nb"`, ['ab']],
    ['2.2.1 a backslash outside quotes makes the next character literal', `a\\ b \\'c\\' \\"d\\" \\\\e`, ['a b', "'c'", '"d"', '\\e']],
    ['2.2.1 escaped operators are words', `a\\|b \\; \\& \\> \\(x\\)`, ['a|b', ';', '&', '>', '(x)']],
    ['2.2.1 backslash-newline joins lines', 'python \\\n  train.py \\\n  --epochs 3', ['python', 'train.py', '--epochs', '3']],
    ['2.2.1 backslash-newline inside a word joins it', 'abc\\\ndef', ['abcdef']],
    ['an empty quoted string is a word', `a '' "" b`, ['a', '', '', 'b']],
    ['adjacent quoted and unquoted parts join', `a'b'"c"d --x="1 2" '--y'=3`, ['abcd', '--x=1 2', '--y=3']],
    ['2.3 # at the start of a word begins a comment', 'nvidia-smi -L # list GPUs', ['nvidia-smi', '-L']],
    ['2.3 # inside a word is a character', 'echo a#b --color=#fff', ['echo', 'a#b', '--color=#fff']],
    ['# after a quoted part is inside the word', `'a'#b`, ['a#b']],
    ['quoted # is a word', `echo '#' "#" \\#`, ['echo', '#', '#', '#']],
    ['a lone $ is a character', `echo $ "a $" 5$`, ['echo', '$', 'a $', '5$']],
    ['patterns stay as written', 'ls *.txt a? [ab] \\*', ['ls', '*.txt', 'a?', '[ab]', '*']],
    ['~ inside a word is a character', '--dir=~/x a~b', ['--dir=~/x', 'a~b']],
    ['sh -c with its script in one word', `sh -c 'echo "hi there"; sleep 1'`, ['sh', '-c', 'echo "hi there"; sleep 1']],
    ['sh -c with $ kept for the container’s shell', `bash -lc 'echo $HOME && nvidia-smi'`, ['bash', '-lc', 'echo $HOME && nvidia-smi']],
    ['trailing line breaks end the command', 'a b\n\n', ['a', 'b']],
    ['a continuation at the very end', 'a b \\\n', ['a', 'b']],
    ['non-ASCII words', 'echo héllo "日本"', ['echo', 'héllo', '日本']],
  ])('%s', (_rule, text, words) => {
    expect(splitCommand(text)).toEqual(words);
  });
});

describe('splitCommand: what cannot be split is refused in one sentence', () => {
  it.each<[string, RegExp]>([
    [`sh -c 'oops`, /it has an unclosed ' quote: close it, or escape it as \\'/],
    [`echo "oops`, /it has an unclosed " quote/],
    [`echo "a\\"`, /it has an unclosed " quote/],
    ['echo a\\', /it ends with a backslash that escapes nothing/],
    ['echo a | grep b', /\| is a shell operator, and no shell runs this command: quote it to pass it as a word, or wrap the command in sh -c '…'/],
    ['a; b', /; is a shell operator/],
    ['a && b', /&& is a shell operator/],
    ['a || b', /\|\| is a shell operator/],
    ['sleep 1 &', /& is a shell operator/],
    ['a > out.txt', /> is a shell operator/],
    ['a 2>&1', />& is a shell operator/],
    ['a < in', /< is a shell operator/],
    ['(a)', /\( is a shell operator/],
    ['echo $HOME', /\$HOME is expanded by a shell, and no shell runs this command: write \\\$ \(or put it in '…'\) for a literal \$, or wrap the command in sh -c '…'/],
    ['echo "$HOME"', /\$HOME is expanded by a shell/],
    ['echo ${HOME}', /\$\{HOME\} is expanded by a shell/],
    ['echo $(date)', /\$\(date\) is expanded by a shell/],
    ['echo `date`', /`date` is expanded by a shell, and no shell runs this command: write \\` \(or put it in '…'\) for a literal `/],
    ['echo "`date`"', /`date`" is expanded by a shell/],
    ['echo $1 $@', /\$1 is expanded by a shell/],
    [`echo $'a\\tb'`, /\$'a\\tb' is expanded by a shell/],
    ['ls ~/data', /~ at the start of a word is expanded by a shell to the host user's home folder/],
    ['echo a\necho b', /a line break separates two commands in sh: end each line but the last with \\ to continue the command/],
    ['python x.py # run\n--flag', /a line break separates two commands/],
  ])('%j', (text, message) => {
    expect(() => splitCommand(text)).toThrow(UnitError);
    expect(() => splitCommand(text)).toThrow(message);
    expect(() => splitCommand(text)).toThrow(`"${text}" cannot be split into words`);
  });
});
