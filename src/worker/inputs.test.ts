import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import { inProcessEngine } from './client';
import { EngineCore } from './core';
import { readInputs, readInputsAsync } from './inputs';
import type { EngineRequest } from './protocol';

const estate = readFileSync('public/samples/shop-estate.segscope.json', 'utf8');
const voting = readFileSync('public/samples/compose/voting-app.yml', 'utf8');

/** The page's request as the worker receives it (a structured clone: a Blob stays a Blob). */
const received = (files: FileInput[]) =>
  structuredClone({ id: 1, method: 'importFiles', args: [files] } as EngineRequest) as Extract<
    EngineRequest,
    { method: 'importFiles' }
  >;

describe('files sent to the engine as Blobs', () => {
  it('the worker reads the Blobs of the request and imports the same workspace as from the texts', async () => {
    const req = received([
      { name: 'estate.json', text: '', blob: new Blob([estate]) },
      { name: 'voting-app.yml', text: '', blob: new Blob([voting]) },
    ]);
    expect(req.args[0].every((f) => f.blob instanceof Blob && f.text === '')).toBe(true);
    // The worker reads synchronously (FileReaderSync); here the clone's Blobs are read first.
    const texts = new Map(await Promise.all(req.args[0].map(async (f) => [f.blob, await f.blob?.text()] as const)));
    const inputs = readInputs(req.args[0], (b) => texts.get(b) ?? 'unread');
    expect(inputs).toEqual([
      { name: 'estate.json', text: estate },
      { name: 'voting-app.yml', text: voting },
    ]);
    const fromTexts = importFiles([
      { name: 'estate.json', text: estate },
      { name: 'voting-app.yml', text: voting },
    ]);
    const answer = new EngineCore().importFiles(inputs);
    expect(answer.workspace).toEqual(fromTexts.workspace);
    expect(answer.report).toEqual(fromTexts.report);
  });

  it('files given as text and files over the limits go through untouched', () => {
    const files = [
      { name: 'a.yml', text: voting },
      { name: 'big.json', text: '', unreadBytes: 3e9 },
    ];
    expect(readInputs(files, () => 'read')).toEqual(files);
  });

  it('a Blob that cannot be read fails the import naming the file', async () => {
    const failing = () => {
      throw new Error('NotReadableError');
    };
    expect(() => readInputs([{ name: 'gone.yml', text: '', blob: new Blob(['x']) }], failing)).toThrow(
      'gone.yml: could not be read (NotReadableError)',
    );
    const broken = { text: () => Promise.reject(new Error('changed on disk')) } as unknown as Blob;
    await expect(readInputsAsync([{ name: 'b.json', text: '', blob: broken }])).rejects.toThrow(
      'b.json: could not be read (changed on disk)',
    );
  });

  it('the in-process engine reads Blobs too; a syntax error in one still names its file, line and column', async () => {
    const engine = inProcessEngine();
    const ok = await engine.importFiles([{ name: 'voting-app.yml', text: '', blob: new Blob([voting]) }]);
    expect(ok.workspace).toEqual(importFiles([{ name: 'voting-app.yml', text: voting }]).workspace);
    const bad = await engine.importFiles([
      { name: 'broken.json', text: '', blob: new Blob(['{\n  "services": [\n    }']) },
    ]);
    const fromText = importFiles([{ name: 'broken.json', text: '{\n  "services": [\n    }' }]);
    expect(bad.report.failed).toBe(true);
    expect(bad.report).toEqual(fromText.report);
    expect(bad.report.files[0]?.diagnostics[0]).toEqual({
      file: 'broken.json',
      line: 3,
      column: 5,
      severity: 'error',
      message: 'invalid JSON: value expected',
    });
  });
});
