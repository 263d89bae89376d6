// Hot rollback-journal playback in JavaScript, for sql.js, which only sees its in-memory copy of the
// trace. Follows SQLite's pager_playback (https://www.sqlite.org/fileformat2.html#the_rollback_journal).
const MAGIC = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
/** SQLite's lock-byte page holds the byte at 1 GiB; a journal record for it ends playback. */
const PENDING_BYTE = 0x40000000;
/** The sector size SQLite's pager assumes before reading the header (unix, powersafe overwrite). */
const DEFAULT_SECTOR_SIZE = 512;

export function journalPath(tracePath: string): string {
  return `${tracePath}-journal`;
}

/**
 * The database bytes after rolling back the journal, or undefined when the journal is not hot
 * (empty, or its header zeroed: a transaction committed in TRUNCATE or PERSIST mode).
 */
export function rollBackJournal(tracePath: string, db: Uint8Array, journal: Uint8Array): Uint8Array | undefined {
  if (db.length === 0 || journal.length < DEFAULT_SECTOR_SIZE || !hasMagic(journal, 0)) return undefined;
  const view = new DataView(journal.buffer, journal.byteOffset, journal.byteLength);
  const sectorSize = view.getUint32(20);
  const pageSize = view.getUint32(24) || databasePageSize(db);
  if (!isPowerOfTwo(sectorSize, 32, 65536) || !isPowerOfTwo(pageSize, 512, 65536)) {
    throw new Error(`${journalPath(tracePath)}: the rollback journal is corrupt (page size ${pageSize}, sector size ${sectorSize}); SQLite could not recover it either`);
  }
  const originalPages = view.getUint32(16);
  const out = new Uint8Array(originalPages * pageSize);
  out.set(db.subarray(0, out.length));
  const lockBytePage = Math.floor(PENDING_BYTE / pageSize) + 1;
  const recordSize = pageSize + 8;
  const restored = new Set<number>();
  let offset = 0;
  while (offset + sectorSize <= journal.length && hasMagic(journal, offset)) {
    let records = view.getUint32(offset + 8);
    const checksumSeed = view.getUint32(offset + 12);
    offset += sectorSize;
    // 0xffffffff: written without syncs; the records run to the end of the file.
    if (records === 0xffffffff) records = Math.floor((journal.length - offset) / recordSize);
    for (let record = 0; record < records; record++, offset += recordSize) {
      if (offset + recordSize > journal.length) return out;
      const page = view.getUint32(offset);
      const data = journal.subarray(offset + 4, offset + 4 + pageSize);
      if (page === 0 || page === lockBytePage) return out;
      if (page > originalPages || restored.has(page)) continue;
      if (checksum(checksumSeed, data) !== view.getUint32(offset + 4 + pageSize)) return out;
      out.set(data, (page - 1) * pageSize);
      restored.add(page);
    }
    offset = Math.ceil(offset / sectorSize) * sectorSize;
  }
  return out;
}

/** SQLite's journal checksum: the seed plus every 200th byte of the page, from the end, skipping byte 0. */
function checksum(seed: number, page: Uint8Array): number {
  let sum = seed;
  for (let i = page.length - 200; i > 0; i -= 200) sum = (sum + (page[i] ?? 0)) >>> 0;
  return sum;
}

/** The page size in a database header (offset 16, big-endian; 1 means 65536). */
function databasePageSize(db: Uint8Array): number {
  const size = ((db[16] ?? 0) << 8) | (db[17] ?? 0);
  return size === 1 ? 65536 : size;
}

function hasMagic(journal: Uint8Array, offset: number): boolean {
  return MAGIC.every((byte, i) => journal[offset + i] === byte);
}

function isPowerOfTwo(value: number, min: number, max: number): boolean {
  return value >= min && value <= max && (value & (value - 1)) === 0;
}
