import { defineConfig } from 'vitest/config';

// On a busy two-core machine a test may wait for a CPU; the limits leave room for that. Tests that
// spawn a process set their own.
export default defineConfig({
  test: {
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
