import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize.ts';

describe('sanitizeEmailHtml', () => {
  it('keeps what a message needs to read as written', () => {
    const html = sanitizeEmailHtml(
      '<html><head><title>x</title></head><body><h1>Ticket 77</h1><p>Status: <b>waiting</b> &amp; <i>open</i></p>' +
        '<ul><li>one</li></ul><table><tr><th colspan="2">Item</th></tr><tr><td>Headset</td><td>2</td></tr></table>' +
        '<blockquote>quoted</blockquote><a href="https://shop.example/t/77">track</a> <a href="mailto:care@shop.example">mail</a></body></html>',
    );
    expect(html).toContain('<h1>Ticket 77</h1><p>Status: <b>waiting</b> &amp; <i>open</i></p>');
    expect(html).toContain('<th colspan="2">Item</th>');
    expect(html).toContain('<a href="https://shop.example/t/77" rel="noopener noreferrer nofollow" target="_blank">track</a>');
    expect(html).toContain('href="mailto:care@shop.example"');
    expect(html).not.toMatch(/<html|<head|<title|<body/);
  });

  it.each([
    ['a script', '<p>hi</p><script>alert(1)</script>'],
    ['an event handler', '<p onclick="alert(1)">hi</p><img src=x onerror="alert(1)">'],
    ['a javascript: link', '<p>hi</p><a href="javascript:alert(1)">x</a>'],
    ['an entity-encoded javascript: link', '<p>hi</p><a href="jav&#x61;script:alert(1)">x</a><a href="&#106;avascript:alert(1)">y</a>'],
    ['a data: link', '<p>hi</p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'],
    ['a protocol-relative link', '<p>hi</p><a href="//evil.example/x">x</a>'],
    ['styles', '<style>body{background:url(https://t.example/p)}</style><p style="position:fixed;top:0">hi</p>'],
    [
      'frames, forms and objects',
      '<p>hi</p><iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name="p"></form><object data="x"></object><embed src="x">',
    ],
    ['SVG and MathML', '<p>hi</p><svg onload="alert(1)"><script>alert(1)</script></svg><math><mtext><img src=x onerror=alert(1)></mtext></math>'],
    ['tracking images', '<p>hi</p><img src="https://tracker.example/pixel.gif">'],
    ['a meta refresh and a base', '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><p>hi</p>'],
  ])('removes %s', (_name, input) => {
    const html = sanitizeEmailHtml(input)!;
    expect(html).toContain('hi');
    expect(html).not.toMatch(/script|onerror|onclick|onload|javascript|data:|evil|tracker|style|iframe|form|input|object|embed|svg|math|img|meta|base/i);
  });

  it('gives null when nothing readable is left', () => {
    expect(sanitizeEmailHtml(null)).toBeNull();
    expect(sanitizeEmailHtml('')).toBeNull();
    expect(sanitizeEmailHtml('<img src="https://tracker.example/p.gif"><script>x()</script>&nbsp;<br>')).toBeNull();
  });
});
