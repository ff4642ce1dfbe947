import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appPageUrl, appRequestPath, isAppUrl, isTrustedSender, navigationAction } from './app-origin';

describe('app:// origin', () => {
  it('names the dashboard page, with a route hash when given', () => {
    expect(APP_ORIGIN).toBe('app://mlenv');
    expect(appPageUrl()).toBe('app://mlenv/index.html');
    expect(appPageUrl('#/containers/0123abcd')).toBe('app://mlenv/index.html#/containers/0123abcd');
  });

  it('knows the app by scheme and exact host, as a URL or as a bare origin', () => {
    for (const url of ['app://mlenv', 'app://mlenv/', 'app://mlenv/index.html#/settings', 'app://mlenv/assets/index-abc.js?v=1']) expect(isAppUrl(url), url).toBe(true);
    for (const url of [
      'file:///opt/mlenv/dist/renderer/index.html',
      'http://mlenv/',
      'https://mlenv/',
      'app://mlenv.evil.example/',
      'app://evil.example/',
      'app://mlenv:8080/',
      'app://mlenv@evil.example/',
      'app://user:pass@mlenv/',
      'app:mlenv',
      'app:///mlenv',
      'null',
      '',
      'not a url',
      undefined,
      null,
    ])
      expect(isAppUrl(url), String(url)).toBe(false);
  });

  it('hands the protocol the still-encoded path of our host only', () => {
    expect(appRequestPath('app://mlenv/assets/a%20b.js')).toBe('/assets/a%20b.js');
    expect(appRequestPath('app://mlenv')).toBe('/');
    expect(appRequestPath('app://mlenv/index.html#/x')).toBe('/index.html');
    expect(appRequestPath('app://other/index.html')).toBeUndefined();
    expect(appRequestPath('file:///etc/passwd')).toBeUndefined();
  });
});

describe('IPC sender check', () => {
  const ours = { contentsId: 7, frameUrl: 'app://mlenv/index.html#/', isMainFrame: true };

  it("accepts only our window's top frame on an app:// page", () => {
    expect(isTrustedSender(ours, 7)).toBe(true);
    expect(isTrustedSender({ ...ours, contentsId: 8 }, 7)).toBe(false); // another webContents
    expect(isTrustedSender(ours, undefined)).toBe(false); // no window (closed or not yet open)
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 7)).toBe(false); // a subframe
    expect(isTrustedSender({ ...ours, frameUrl: undefined }, 7)).toBe(false); // the frame is gone
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///opt/mlenv/dist/renderer/index.html' }, 7)).toBe(false); // the old file:// page
    expect(isTrustedSender({ ...ours, frameUrl: 'https://example.com/' }, 7)).toBe(false); // navigated away
    expect(isTrustedSender({ ...ours, frameUrl: 'app://evil/' }, 7)).toBe(false);
  });
});

describe('navigation guard', () => {
  it("stays on the app's pages, sends http(s) links to the browser, refuses the rest", () => {
    expect(navigationAction('app://mlenv/index.html')).toBe('allow');
    expect(navigationAction('app://mlenv/index.html#/history')).toBe('allow');
    expect(navigationAction('https://catalog.ngc.nvidia.com/')).toBe('external');
    expect(navigationAction('http://127.0.0.1:8888/lab?token=abc')).toBe('external');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'app://evil/', 'smb://host/share', 'nonsense'])
      expect(navigationAction(url), url).toBe('deny');
  });
});
