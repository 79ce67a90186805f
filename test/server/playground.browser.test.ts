import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { startGraph, type GraphHarness } from '../support/graph.js';

/**
 * Debian's Chromium, installed by .ci/run. Locally, without it, this file is
 * skipped with a notice; in CI (CI=1) a missing browser fails instead.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
if (!available) console.warn(`Skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

(available ? describe : describe.skip)('the playground in a real browser', () => {
  let graph: GraphHarness;
  let browser: Browser;

  beforeAll(async () => {
    graph = await startGraph();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await graph?.close();
  });

  it('shows GraphiQL from local assets only, with the examples, and runs them', async () => {
    const page = await browser.newPage();
    const origin = new URL(graph.url).origin;
    const foreign: string[] = [];
    // The machine may have no internet: any request elsewhere is a bug. Record and refuse it.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(graph.url);
    await page.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    // One tab per example operation.
    await expect(page.locator('.graphiql-tab').count()).resolves.toBe(4);
    // The schema arrived by introspection (the operation-limit rules let it through): the docs know Query.
    await page.getByRole('button', { name: /documentation/i }).click();
    await page.getByText('phoneNumbers', { exact: false }).first().waitFor({ timeout: 10_000 });

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('"totalCount": 2601', { exact: false }).first().waitFor({ timeout: 15_000 });

    // Another tab runs its own operation (GraphiQL keeps the previous tab's
    // operation name; the page must not send it).
    await page.locator('.graphiql-tab').nth(1).click();
    await page.locator('.graphiql-execute-button').click();
    await result.getByText('"rawNumber": "12066103211"', { exact: false }).first().waitFor({ timeout: 15_000 });
    await expect(result.getByText('"errors"').count()).resolves.toBe(0);

    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
