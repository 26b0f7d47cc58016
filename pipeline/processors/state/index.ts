/** Binary snapshot helpers shared by the processors' state (changelog values). */
export { ByteReader, ByteWriter, expectVersion } from './bytes.ts';
export { StateError } from './errors.ts';
