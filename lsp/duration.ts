// Durations for people: nanoseconds as "840 ns", "17 µs", "4.8 ms", "1.2 s" (two or three significant digits).
const UNITS: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];

export function humanDuration(ns: number): string {
  const [scale, unit] = UNITS.find(([size]) => ns >= size) ?? [1, 'ns'];
  const value = ns / scale;
  return `${value < 10 && scale > 1 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
