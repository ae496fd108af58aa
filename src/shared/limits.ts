/**
 * The largest note file, in bytes as stored (after encoding). The indexer refuses larger files, so
 * `notes.save` and `notes.create` refuse to write one: a saved note never drops out of the library.
 */
export const MAX_NOTE_BYTES = 5 * 1024 * 1024;
