// NGC descriptions are third-party markdown: whatever they hold must render inert.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { isWebLink, SafeMarkdown } from './Markdown';

const render = (text: string) => renderToStaticMarkup(createElement(SafeMarkdown, { text }));

/** Every href in the markup, decoded as the browser would read the attribute. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

describe('SafeMarkdown', () => {
  it('drops raw HTML: no script, no img with onerror, no inline handlers, no iframe', () => {
    const html = render(
      [
        '# PyTorch',
        '',
        '<script>alert(1)</script>',
        '',
        'Before <img src=x onerror="alert(2)"> after.',
        '',
        '<iframe src="https://evil.example/"></iframe>',
        '',
        '<a href="javascript:alert(3)" onclick="alert(4)">html link</a>',
        '',
        '<div onmouseover="alert(5)">hover</div>',
      ].join('\n'),
    );
    expect(html).toContain('<h1>PyTorch</h1>');
    expect(html).not.toMatch(/<script|<img|<iframe|onerror|onclick|onmouseover|alert\(/i);
    expect(html).toContain('Before');
    expect(html).toContain('after.');
  });

  it('keeps no javascript:, vbscript: or data: address in any link, however it is written', () => {
    const html = render(
      [
        '[inline](javascript:alert(1))',
        '[encoded](jav&#x61;script:alert(2))',
        '[upper](JAVASCRIPT:alert(3))',
        '[vb](vbscript:msgbox(4))',
        '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)',
        '<javascript:alert(6)>',
        '[ref][1]',
        '',
        '[1]: javascript:alert(7)',
      ].join('\n\n'),
    );
    expect(hrefs(html)).toEqual([]);
    expect(html).not.toMatch(/="[^"]*(javascript|vbscript|data):/i); // in no attribute
    expect(html).toContain('<span class="md-inert-link">javascript:alert(6)</span>'); // an autolink's text stays text
    // The words stay readable, as plain text.
    for (const word of ['inline', 'encoded', 'upper', 'vb', 'data', 'ref']) expect(html).toContain(`>${word}</span>`);
  });

  it('opens web links outside the app, and leaves relative ones unclickable', () => {
    const html = render('See [the docs](https://docs.nvidia.com/deeplearning/frameworks/) and [release notes](./notes.md) and <https://ngc.nvidia.com>.');
    expect(html).toContain('<a href="https://docs.nvidia.com/deeplearning/frameworks/" target="_blank" rel="noopener noreferrer">the docs</a>');
    expect(html).toContain('<a href="https://ngc.nvidia.com" target="_blank" rel="noopener noreferrer">https://ngc.nvidia.com</a>');
    expect(html).toContain('<span class="md-inert-link">release notes</span>');
    expect(hrefs(html)).toEqual(['https://docs.nvidia.com/deeplearning/frameworks/', 'https://ngc.nvidia.com']);
  });

  it('loads no image: a remote one becomes a link with its alt text, any other only the text', () => {
    const html = render('![tracking pixel](https://t.example/p.gif?u=1)\n\n![logo](logo.png)\n\n![](https://t.example/blank.gif)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://t.example/p.gif?u=1" target="_blank" rel="noopener noreferrer" class="md-image-link">[image: tracking pixel]</a>');
    expect(html).toContain('<span class="md-image-link">[image: logo]</span>');
    expect(html).toContain('>[image]</a>');
  });
});

describe('isWebLink', () => {
  it('is true for absolute http(s) addresses only', () => {
    expect(['https://ngc.nvidia.com/', 'http://127.0.0.1:8888/lab'].map(isWebLink)).toEqual([true, true]);
    expect(['', undefined, '/relative', 'notes.md', 'javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@b.c', 'app://mlenv/'].map(isWebLink)).toEqual([false, false, false, false, false, false, false, false]);
  });
});
