import zlib from 'node:zlib';
import { AppError } from '../errors.ts';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface Zip {
  entries: Map<string, ZipEntry>;
  /** Inflates one entry, holding it to its declared size and to what is left of the budget. */
  read(name: string): Buffer | undefined;
}

const corrupt = () => new AppError('IMPORT_CORRUPT');
const maxEntries = 10_000;

/**
 * Reads a zip's central directory (every .xlsx is a zip) and inflates only the entries asked
 * for. The declared sizes are summed first, so a bomb is refused before any byte is inflated,
 * and each entry is inflated with `maxOutputLength` at its declared size, so an entry that lies
 * about its size stops there instead of filling the memory.
 */
export function openZip(buf: Buffer, maxInflatedBytes: number): Zip {
  const tooBig = () => new AppError('IMPORT_TOO_BIG', { max: `${Math.round((maxInflatedBytes / 1024 / 1024) * 10) / 10} MB` });
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  // ZIP64 markers: an .xlsx this app accepts is far below 4 GB.
  if (count === 0xffff || cdOffset === 0xffffffff || count > maxEntries) throw corrupt();
  const entries = new Map<string, ZipEntry>();
  let declared = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw corrupt();
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const e: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    if (flags & 1) throw corrupt(); // encrypted
    declared += e.size;
    if (declared > maxInflatedBytes) throw tooBig();
    entries.set(e.name, e);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  let inflated = 0;
  return {
    entries,
    read(name) {
      const e = entries.get(name);
      if (!e) return undefined;
      const lh = e.localOffset;
      if (lh + 30 > buf.length || buf.readUInt32LE(lh) !== 0x04034b50) throw corrupt();
      const start = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
      const data = buf.subarray(start, start + e.compressedSize);
      if (data.length !== e.compressedSize) throw corrupt();
      if (inflated + e.size > maxInflatedBytes) throw tooBig();
      let out: Buffer;
      if (e.method === 0) out = data;
      else if (e.method === 8) {
        try {
          out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
        } catch (err) {
          // Output beyond the declared size: the entry lied, which only a crafted file does.
          if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
          throw corrupt();
        }
      } else throw corrupt();
      if (out.length !== e.size) throw corrupt();
      inflated += out.length;
      return out;
    },
  };
}
