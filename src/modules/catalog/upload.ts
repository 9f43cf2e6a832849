import type { AppConfig } from '../../config/config.ts';
import type { UploadForm } from '../../http/uploads.ts';

export { sizeText } from '../../http/uploads.ts';

/** The catalog's upload forms (Excel imports, a form's attached file), with their size limit. */
export function catalogUploadForms(config: AppConfig): UploadForm[] {
  const maxBytes = config.catalog.uploadMaxBytes;
  return [/^\/units\/\d+\/catalog\/import$/, /^(\/api\/v1)?\/tthc\/import$/, /^\/procedures\/\d+\/forms\/\d+\/file$/].map((path) => ({ path, maxBytes }));
}
