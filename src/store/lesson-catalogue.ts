// The lesson store's catalogue: the lessons that ship, read once from the samples folder.
import { LESSONS_INDEX, parseLessonIndex, storyPath } from '../lessons/load';
import { parseStory, type Story } from '../lessons/story';
import type { LessonDeps, LessonKit, LessonState } from './lesson';

/** A lesson's story, or an error naming where its file is wrong. */
export const readStory = async (deps: LessonDeps, id: string): Promise<Story> => {
  const path = storyPath(id);
  const { story, diagnostics } = parseStory(path, await deps.read(path));
  if (!story) {
    const d = diagnostics[0];
    throw new Error(d ? `${d.file}:${d.line}:${d.column} ${d.message}` : `${path}: not a lesson`);
  }
  return story;
};

export const catalogueActions = ({ set, get, deps }: LessonKit): Pick<LessonState, 'loadCatalogue'> => ({
  loadCatalogue: async () => {
    const cached = get().catalogue;
    if (cached) return cached;
    const ids = parseLessonIndex(await deps.read(LESSONS_INDEX));
    const catalogue = await Promise.all(
      ids.map(async (id) => {
        const s = await readStory(deps, id);
        return { id, lesson: s.lesson, title: s.title, summary: s.summary };
      }),
    );
    set({ catalogue });
    return catalogue;
  },
});
