import { describe, expect, it } from 'vitest';
import { APP_PAGE, devServerUrl, isAppUrl, windowOpenAction } from './app-url.ts';

const dev = new URL('http://localhost:5173/');

describe('isAppUrl', () => {
  it('accepts our page and nothing else that shares its "null" origin', () => {
    expect(isAppUrl(APP_PAGE, null)).toBe(true);
    expect(isAppUrl('subspace-app://app/assets/index.js?x=1#top', null)).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'file:///home/user/evil.html',
      'data:text/html,<script>alert(1)</script>',
      'blob:subspace-app://app/0b5c0c1e-2a8e-4c3a-9f1e-1d2c3b4a5f60',
      'subspace-app://evil/',
      'subspace-app://app.evil/index.html',
      'subspace-app://user@app/index.html',
      'subspace-app://app:8080/index.html',
      'subspace-media://photo/abc',
      'about:blank',
      'http://127.0.0.1:5173/',
      'not a url',
    ]) {
      expect(isAppUrl(url, null), url).toBe(false);
    }
  });

  it('accepts the dev server only by its own scheme and host', () => {
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', dev)).toBe(false);
  });
});

describe('devServerUrl', () => {
  it('is honoured in a development run and ignored in a packaged app', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, false)?.host).toBe('127.0.0.1:5173');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, true)).toBeNull();
    expect(devServerUrl({}, false)).toBeNull();
  });

  it('must be an http(s) URL', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/evil.html' }, false)).toBeNull();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'not a url' }, false)).toBeNull();
  });

  it('a packaged app refuses the dev server’s pages even when the variable is set', () => {
    const packaged = devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, true);
    expect(isAppUrl('http://127.0.0.1:5173/index.html', packaged)).toBe(false);
  });
});

describe('windowOpenAction', () => {
  it('sends web links to the system browser and opens nothing else', () => {
    expect(windowOpenAction('https://example.com/', null)).toBe('external');
    expect(windowOpenAction('http://127.0.0.1:8080/', null)).toBe('external');
    for (const url of ['file:///etc/passwd', 'data:text/html,x', 'blob:subspace-app://app/1', APP_PAGE, 'subspace-app://evil/', 'javascript:alert(1)']) {
      expect(windowOpenAction(url, null), url).toBe('deny');
    }
    expect(windowOpenAction('http://localhost:5173/', dev)).toBe('deny');
  });
});
