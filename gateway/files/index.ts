/** Temporary per-user files (images, plots) with expiry, served at `/files/:id` to their owner only. */
export { fileRoutes } from './routes.ts';
export {
  createFileStore,
  FILE_CONTENT_TYPES,
  FILE_ID,
  type FileContentType,
  type FileStore,
  type FileStoreOptions,
  type StoredFile,
} from './store.ts';
