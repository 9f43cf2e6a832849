import { definePlugin } from '../../src/plugins/contract.ts';
import { counterCheckForm } from './forms/counter-check.ts';

/** The check of a one-stop counter under NĐ 118/2025/NĐ-CP and TT 03/2025/TT-VPCP. */
export default definePlugin({
  manifest: {
    id: 'one-stop-shop',
    version: '1.0.0',
    host: '^0.1.0',
    name: { vi: 'Kiểm tra Bộ phận Một cửa', en: 'One-stop counter check' },
    description: {
      vi: 'Danh mục kiểm tra việc công khai, tiếp nhận, giải quyết và trả kết quả TTHC tại Bộ phận Một cửa.',
      en: 'A checklist of how the one-stop counter publishes, receives, handles and returns administrative procedures.',
    },
  },
  register(r) {
    r.forms(counterCheckForm);
  },
});
