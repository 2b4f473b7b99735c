import { eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { cdrImport } from './schema.js';

/** Where an import of a file stopped: the file (by inode) and the byte offset read up to. */
export interface ImportPosition {
  inode: number;
  offset: number;
}

/** The position of each imported CDR file, stored with the rows it produced. */
export class CdrImportRepository {
  constructor(private readonly db: Db) {}

  position(source: string): ImportPosition | undefined {
    const row = this.db.select().from(cdrImport).where(eq(cdrImport.source, source)).get();
    return row ? { inode: row.inode, offset: row.offset } : undefined;
  }

  /**
   * Runs `work` (the rows a chunk of the file produces) and stores the new position in one
   * transaction, so a crash never imports a line twice or skips one.
   */
  importAtomically(source: string, position: ImportPosition, work: () => void): void {
    this.db.transaction((tx) => {
      work();
      tx.insert(cdrImport).values({ source, ...position }).onConflictDoUpdate({ target: cdrImport.source, set: position }).run();
    });
  }
}
