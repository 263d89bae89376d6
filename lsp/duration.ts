// Durations for people: nanoseconds as "840 ns", "17 µs", "4.8 ms", "1.2 s" (one decimal below 10).
const UNITS: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs']];

export function humanDuration(ns: number): string {
  for (const [size, unit] of UNITS) {
    const value = ns / size;
    // 0.9995 and up rounds to "1.0" of this unit, which reads better than "1000" of the next smaller one.
    if (value >= 0.9995) return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${unit}`;
  }
  return `${Math.round(ns)} ns`;
}
