// Messages between the app and the engine worker (import and analysis off the main thread).
import type { FileInput } from '../import/types';

export type EngineRequest = { id: number; type: 'import'; files: FileInput[] };

export type EngineResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
