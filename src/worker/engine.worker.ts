// The engine worker: runs import (and analysis) so the main thread never blocks on big inputs.
import { importFiles } from '../import/index';
import type { EngineRequest, EngineResponse } from './protocol';

const reply = (msg: EngineResponse) => (self as unknown as Worker).postMessage(msg);

self.addEventListener('message', (event: MessageEvent<EngineRequest>) => {
  const req = event.data;
  try {
    switch (req.type) {
      case 'import':
        reply({ id: req.id, ok: true, result: importFiles(req.files) });
        break;
    }
  } catch (e) {
    reply({ id: req.id, ok: false, error: (e as Error).message });
  }
});
