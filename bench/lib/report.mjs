// Turns the bench's figures (bench/run.mjs) into the Markdown report: per Python, the rows table and
// where the recorder's time goes; then the micro-benchmarks; then any problems found.

const CONTENDED = 0.1; // share of one core used by other processes that makes a run's figures suspect
const MEASURABLE_CPU_S = 0.05; // /proc/stat counts in 10 ms ticks: less than this is rounding, not contention

/** The whole report as Markdown. */
export function renderMarkdown(report) {
  const m = report.machine;
  const out = [
    '# Recording benchmark', '',
    `${report.date} · ${m.nproc} cores, ${m.cpu}, ${m.memory_gb} GB · Linux ${m.kernel} · Node ${m.node} · ` +
      `${report.size} size, median of ${report.runs} run(s) (plain and floor: 5 when under 1 s) · peak RSS from ` +
      `${report.gnu_time ? 'GNU time (plain, floor) and /proc VmHWM polling (recorder: per process)' : '/proc VmHWM polling'}`,
    '',
    'Rows: **plain** `python prog.py`; **floor** no-op sys.monitoring callbacks for PY_START, PY_RETURN and LINE ' +
      '(bench/floor.py); **recorder** `python native/hindsight_recorder record`. "wall" is spawn to exit; "run" is ' +
      'the time the workload measured itself, from its first statement to its last (no interpreter start-up, no ' +
      'trace finishing), so "× plain, run" is the in-program slowdown.',
    '',
    `Other processes on this machine used ${fixed(report.others_cpu_share * 100, 0)}% of one core on average while ` +
      `the bench ran (load average at the start: ${report.load_average.map((x) => x.toFixed(2)).join(', ')}); ` +
      `† marks a row whose median run shared the machine with more than ${CONTENDED * 100}% of a core of other work.`,
  ];
  for (const python of report.pythons) {
    const cases = report.cases.filter((c) => c.python === python.version);
    if (!cases.length) continue;
    const tracer = cases.map((c) => c.rows.recorder?.tracer).find(Boolean) ?? '?';
    out.push('', `## Python ${python.version} (${python.executable}, tracer: ${tracer})`, '', ...rowsTable(cases));
    out.push('', `Where the recorder's time goes (median run; phases of its wall time, CPU per recorded event):`, '',
      ...phasesTable(cases.filter((c) => c.variant !== null)));
    const flat = cases.filter((c) => c.items !== null && c.items !== undefined && c.rows.recorder?.events);
    if (flat.length) out.push('', 'Cost per event against the data `self` holds (same events at every N; target: N = 100,000 at most 2× N = 10):', '', ...flatnessTable(flat));
    const sized = cases.filter((c) => c.variant !== null && c.rows.recorder?.sizes);
    if (sized.length) out.push('', 'Trace bytes per event by table and index (last run; SQLite dbstat):', '', ...sizesTable(sized));
  }
  out.push('', '## Micro-benchmarks (best of 5, per event or row)', '', ...microTable(report.micro));
  if (report.problems.length) out.push('', '## Problems', '', ...report.problems.map((p) => `- ${p}`));
  return `${out.join('\n')}\n`;
}

function rowsTable(cases) {
  const lines = [
    '| workload | variant | row | wall s | × plain | run s | × plain, run | events | bytes/event | debuggee MB | writer MB |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of cases) {
    const plain = c.rows.plain;
    for (const [name, row] of Object.entries(c.rows)) {
      if (row.skipped) {
        lines.push(`| ${c.workload} | ${c.variant ?? ''} | ${name} | ${row.skipped} | | | | | | | |`);
        continue;
      }
      const runRatio = c.variant !== null && row.run_s && plain.run_s ? row.run_s / plain.run_s : null;
      const recorded = name === 'recorder';
      const mark = row.others_cpu_s > Math.max(CONTENDED * row.wall_s, MEASURABLE_CPU_S) ? ' †' : '';
      lines.push(`| ${c.workload} | ${c.variant ?? ''} | ${name} | ${fixed(row.wall_s, 3)}${mark} | ${fixed(row.wall_s / plain.wall_s, 1)}× | ` +
        `${fixed(row.run_s, 3)} | ${runRatio === null ? '—' : `${fixed(runRatio, 1)}×`} | ${recorded ? count(row.events) : ''} | ` +
        `${recorded && row.events && c.variant !== null ? fixed(row.bytes / row.events, 1) : ''} | ${mb(row.debuggee_rss_kb)} | ${recorded ? mb(row.writer_rss_kb) : ''} |`);
    }
  }
  return lines;
}

function phasesTable(cases) {
  const finish = cases.some((c) => c.rows.recorder.finish_s !== null);
  const lines = [
    `| workload | variant | wall s | to program end s | debuggee exit s | writer tail s | ${finish ? 'finish.sql s | ' : ''}` +
      'debuggee CPU µs/event | writer CPU µs/event | value changes/event |',
    `| --- | --- | ---: | ---: | ---: | ---: | ${finish ? '---: | ' : ''}---: | ---: | ---: |`,
  ];
  for (const c of cases) {
    const r = c.rows.recorder;
    const perEvent = (s) => (s === null || s === undefined || !r.events ? '—' : fixed((s * 1e6) / r.events, 2));
    lines.push(`| ${c.workload} | ${c.variant} | ${fixed(r.wall_s, 2)} | ${fixed(r.program_s, 2)} | ${fixed(r.debuggee_exit_s, 2)} | ` +
      `${fixed(r.writer_tail_s, 2)} | ${finish ? `${fixed(r.finish_s, 2)} | ` : ''}${perEvent(r.debuggee_cpu_s)} | ${perEvent(r.writer_cpu_s)} | ` +
      `${r.events ? fixed(r.value_changes / r.events, 2) : '—'} |`);
  }
  lines.push('', '"to program end": spawn until the workload\'s last line (its end marker); "debuggee exit": from there ' +
    'until the debuggee process is gone (its last flush, blocked while the writer catches up); "writer tail": from ' +
    'there until the launcher exits (the writer drains the pipe, then runs protocol/finish.sql)' +
    `${finish ? '; "finish.sql": that script alone, replayed on the last run\'s trace after dropping what it builds' : ''}. ` +
    'Writer CPU includes finish.sql.');
  return lines;
}

/** µs per recorded event at each N, and each as a multiple of the smallest N's. */
function flatnessTable(cases) {
  const lines = [
    '| workload | N items | events | run µs/event | × smallest N | wall µs/event | × smallest N | debuggee CPU µs/event | ' +
      'writer CPU µs/event | bytes/event | debuggee MB | writer MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const perEvent = (c, s) => (s === null || s === undefined ? null : (s * 1e6) / c.rows.recorder.events);
  const base = cases.reduce((a, b) => (b.items < a.items ? b : a));
  const ratio = (c, key) => {
    const mine = perEvent(c, c.rows.recorder[key]);
    const theirs = perEvent(base, base.rows.recorder[key]);
    return mine === null || !theirs ? '—' : `${fixed(mine / theirs, 1)}×`;
  };
  for (const c of [...cases].sort((a, b) => a.items - b.items)) {
    const r = c.rows.recorder;
    lines.push(`| ${c.workload} | ${count(c.items)} | ${count(r.events)} | ${fixed(perEvent(c, r.run_s), 1)} | ${ratio(c, 'run_s')} | ` +
      `${fixed(perEvent(c, r.wall_s), 1)} | ${ratio(c, 'wall_s')} | ${fixed(perEvent(c, r.debuggee_cpu_s), 1)} | ` +
      `${fixed(perEvent(c, r.writer_cpu_s), 1)} | ${fixed(r.bytes / r.events, 0)} | ${mb(r.debuggee_rss_kb)} | ${mb(r.writer_rss_kb)} |`);
  }
  return lines;
}

const SIZE_GROUPS = [
  ['event', (name) => name === 'event'],
  ['event indexes', (name) => name.startsWith('event_by') || name === 'exception_event_by_seq'],
  ['value_change', (name) => name === 'value_change'],
  ['value_by_variable', (name) => name === 'value_by_variable'],
];

function sizesTable(cases) {
  const lines = [
    `| workload | variant | total | ${SIZE_GROUPS.map(([g]) => g).join(' | ')} | the rest |`,
    `| --- | --- | ---: | ${SIZE_GROUPS.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const c of cases) {
    const r = c.rows.recorder;
    const entries = Object.entries(r.sizes);
    const perEvent = (bytes) => fixed(bytes / r.events, 1);
    const groups = SIZE_GROUPS.map(([, test]) => entries.filter(([name]) => test(name)).reduce((sum, [, b]) => sum + b, 0));
    const all = entries.reduce((sum, [, b]) => sum + b, 0);
    lines.push(`| ${c.workload} | ${c.variant} | ${perEvent(all)} | ${groups.map(perEvent).join(' | ')} | ` +
      `${perEvent(all - groups.reduce((a, b) => a + b, 0))} |`);
  }
  return lines;
}

function microTable(micro) {
  const lines = [
    '| Python | mechanism | no-op LINE callback ns | bare line ns | f_locals 3 locals: get / get+items() ns | ' +
      'f_locals 30 locals: get / get+items() ns | marshal dumps+loads ns/event | ' +
      'sqlite3 ns/row, 1 / 100 rows per statement: event | value_change |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of micro) {
    if (!m.line_callback) continue;
    const [few, many] = m.f_locals;
    lines.push(`| ${m.python} | ${m.line_callback.mechanism} | ${fixed(m.line_callback.ns, 0)} | ${fixed(m.line_callback.bare_ns_per_line, 0)} | ` +
      `${fixed(few.access_ns, 0)} / ${fixed(few.access_and_items_ns, 0)} | ${fixed(many.access_ns, 0)} / ${fixed(many.access_and_items_ns, 0)} | ` +
      `${fixed(m.marshal_ns_per_event, 0)} | ${perRow(m.sqlite_ns_per_row, 'event')} | ${perRow(m.sqlite_ns_per_row, 'value_change')} |`);
  }
  return lines;
}

function perRow(sqlite, table) {
  return `${fixed(sqlite[`${table}/1`], 0)} / ${fixed(sqlite[`${table}/100`], 0)}`;
}

function fixed(x, digits) {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

function count(n) {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

function mb(kb) {
  return kb === null || kb === undefined ? '—' : (kb / 1024).toFixed(0);
}
