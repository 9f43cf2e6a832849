import type { AppConfig } from '../../config/config.ts';
import type { UploadForm } from '../../http/uploads.ts';

/** The checks' upload forms: an item's evidence file or photo, a finding added by hand with its evidence. */
export function checkUploadForms(config: AppConfig): UploadForm[] {
  const maxBytes = config.checks.uploadMaxBytes;
  return [/^(\/api\/v1)?\/checks\/\d+\/items\/[^/]+\/files$/, /^\/checks\/\d+\/findings$/].map((path) => ({ path, maxBytes }));
}
