// CPython's own test modules under the recorder: each runs plain and recorded (the test file included),
// with the same tests passing, failing and skipping, the same exit code, and a complete trace.
import { strict as assert } from 'node:assert';
import { batteryPythons, describeDifferences, runPlain, runRecorded, traceStatus, type BatteryPython } from './support/cpythonTests';

/** Modules well under 20 s recorded on both mechanisms: run by npm test. */
const QUICK = ['test_with', 'test_string', 'test_scope', 'test_textwrap'];

/** Every module of the battery: HINDSIGHT_BATTERY=full, about a minute a Python (test_generators alone
 * 20–55 s recorded from 3.11, where it runs its doctests). Waiting: test_bisect, test_collections,
 * test_re (55–300 s recorded on each Python) until recording gets fast. */
/** Modules that set a trace function of their own: under settrace that ends recording, and the trace
 * says so (status incomplete); sys.monitoring records beside it. */
const SET_THEIR_OWN_TRACE = ['test_scope'];
const FULL = [...QUICK, 'test_copy', 'test_fractions', 'test_pprint', 'test_contextlib', 'test_generators'];

/** The (python, modules) pairs this run covers. npm test: QUICK on 3.11 (settrace) and the newest of
 * 3.12/3.13 (monitoring). HINDSIGHT_BATTERY=full (.ci/run's own stage): FULL on every Python 3.9–3.14
 * with the test package. HINDSIGHT_BATTERY=test_a,test_b: those modules on every such Python. */
function plan(found: BatteryPython[]): [BatteryPython, string[]][] {
  const choice = process.env.HINDSIGHT_BATTERY;
  if (choice === 'full') return found.map((python) => [python, FULL]);
  if (choice) return found.map((python) => [python, choice.split(',')]);
  const newest = found.filter((python) => python.version === '3.12' || python.version === '3.13').at(-1);
  return found.filter((python) => python.version === '3.11' || python === newest).map((python) => [python, QUICK]);
}

describe('CPython test modules under the recorder', () => {
  const found = batteryPythons();
  if (process.env.HINDSIGHT_BATTERY === 'full' && process.env.CI === 'true') {
    it('finds every Python 3.9–3.14 with its test package', () => {
      assert.deepEqual(found.map((python) => python.version), ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']);
    });
  }
  for (const [python, modules] of plan(found)) {
    for (const module of modules) {
      it(`${python.version} (${python.tracer}): ${module}`, function () {
        this.timeout(20 * 60_000);
        const plain = runPlain(python, module);
        const recorded = runRecorded(python, module);
        console.log(`      ${python.version} ${module}: plain ${plain.seconds.toFixed(1)} s, recorded ${recorded.seconds.toFixed(1)} s`);
        assert.ok(plain.outcomes.size > 0, `no test ran under plain Python:\n${plain.stderr.slice(-2000)}`);
        assert.ok(
          recorded.outcomes.size === plain.outcomes.size && [...plain.outcomes].every(([id, outcome]) => recorded.outcomes.get(id) === outcome),
          describeDifferences(plain, recorded),
        );
        assert.equal(recorded.status, plain.status, 'exit code');
        const stops = python.tracer === 'settrace' && SET_THEIR_OWN_TRACE.includes(module);
        assert.equal(traceStatus(recorded.trace), stops ? 'incomplete' : 'complete');
      });
    }
  }
});
