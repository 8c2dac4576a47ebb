import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (next to the code), `integration` (real servers, real databases),
 * `browser` (real headless Chromium). Browser and integration files run one at a time: the
 * machine has two cores and they start servers of their own.
 */
/**
 * `expect.poll` waits this long by default (vitest's own is 1 s): polls wait for network round
 * trips between real servers and clients, which a loaded 2-core CI machine can stretch past a
 * second. A poll that passes returns as soon as it does, so this only costs time on a failure.
 */
const POLL_TIMEOUT_MS = 5_000;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          expect: { poll: { timeout: POLL_TIMEOUT_MS } },
          // One retry for a browser test: on this 2-core machine a real Chromium occasionally
          // measures the canvas mid-fit (seen once per ~600 tests in fresh-clone runs). A real
          // regression fails both attempts; the retries vitest reports are read in the CI log.
          retry: 1,
        },
      },
    ],
  },
});
