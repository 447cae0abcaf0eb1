/**
 * Fuzzing the renderer: generated HTTPRoutes the validator accepts (test/support/route-fuzz.ts)
 * always render to a configuration HAProxy accepts: a value it could not take is refused for its
 * rule alone before rendering. More runs: `node dist/bench/fuzz-render.js`.
 */
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzObjects, renderProblem, routeSpecs } from '../../support/route-fuzz.js';
import { haproxyInstalled } from './support.js';

test('generated valid routes always render to a configuration haproxy -c accepts', { skip: !haproxyInstalled && 'haproxy is not installed', timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(routeSpecs, async (specs) => {
      const objects = fuzzObjects(specs);
      if (!objects) return true;
      const problem = await renderProblem(objects);
      if (problem) throw new Error(problem);
      return true;
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 120) },
  );
});
