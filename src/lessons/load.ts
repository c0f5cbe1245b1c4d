// A lesson's files as the import boundary reads them: the story's files under its folder, or its generated estate.
import type { FileInput } from '../import/types';
import type { Story } from './story';

/** Where lessons live, under the samples folder the app serves (public/samples/). */
export const LESSONS_DIR = 'lessons';
export const LESSONS_INDEX = `${LESSONS_DIR}/index.json`;
export const storyPath = (id: string): string => `${LESSONS_DIR}/${id}/story.json`;
/** A lesson's topology files sit apart from its story, so the folder reads as a learner's project (CLI, drop). */
export const filesDir = (id: string): string => `${LESSONS_DIR}/${id}/files`;

/** The lesson ids in gallery order, from index.json (a list of folder names). */
export const parseLessonIndex = (text: string): string[] => {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string' && /^[a-z0-9-]+$/.test(x)))
    throw new Error(`${LESSONS_INDEX}: expected a list of lesson folder names`);
  return value;
};

/**
 * The files to import (under the lesson's `files/`), in the story's order. Names keep the folder
 * inside it (`v1/docker-compose.yml`), which is what names a Compose project, as `docker compose` does.
 */
export const lessonFiles = async (story: Story, read: (path: string) => Promise<string>): Promise<FileInput[]> => {
  if (story.generate) {
    // Loaded only when a lesson asks for an estate: the generator is not part of the app's start.
    const [{ generateTopology }, { toNative }] = await Promise.all([
      import('../gen/generate'),
      import('../formats/native/write'),
    ]);
    const { workspace } = generateTopology(story.generate);
    return [{ name: `${story.id}.segscope.json`, text: toNative({ ...workspace, name: story.title }) }];
  }
  return Promise.all(
    (story.files ?? []).map(async (f) => ({ name: f, text: await read(`${filesDir(story.id)}/${f}`) })),
  );
};
