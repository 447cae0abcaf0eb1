/**
 * bench/fuzz-render: the renderer fuzz test (test/unit/haproxy/fuzz-render.test.ts) for longer:
 * generated HTTPRoutes the validator accepts must render to a configuration `haproxy -c`
 * accepts. Prints how many cases reached HAProxy and the first counterexample, shrunk.
 *
 * Run: npm run build && node dist/bench/fuzz-render.js   # FUZZ_RUNS=5000 FUZZ_SEED=<n>
 */
import fc from 'fast-check';
import { fuzzObjects, renderProblem, routeSpecs } from '../test/support/route-fuzz.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let checked = 0;
let routes = 0;
const started = Date.now();
const result = await fc.check(
  fc.asyncProperty(routeSpecs, async (specs) => {
    const objects = fuzzObjects(specs);
    if (!objects) return true;
    checked++;
    routes += objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute').length;
    const problem = await renderProblem(objects);
    if (problem) throw new Error(problem);
    return true;
  }),
  { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
);
console.log(`bench/fuzz-render: ${RUNS} cases (seed ${result.seed}), ${checked} reached haproxy -c with ${routes} valid routes, ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (result.failed) {
  console.log(fc.defaultReportMessage(result));
  process.exitCode = 1;
} else {
  console.log('every configuration was accepted');
}
