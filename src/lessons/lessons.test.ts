// Every shipped lesson, walked beat by beat on its real files through the real import and the real analysis.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { reach } from '../analysis/reach';
import type { Analysis } from '../analysis/types';
import { importFiles } from '../import/index';
import type { Workspace } from '../model/types';
import { checkExpectations } from './check';
import { LESSONS_INDEX, lessonFiles, parseLessonIndex, storyPath } from './load';
import { parseStory, type Story } from './story';
import { beatsOf, stateAt } from './walk';

const ROOT = 'public/samples';
const read = async (path: string) => readFileSync(`${ROOT}/${path}`, 'utf8');
const ids = parseLessonIndex(readFileSync(`${ROOT}/${LESSONS_INDEX}`, 'utf8'));

const loadLesson = async (id: string): Promise<{ story: Story; base: Workspace }> => {
  const { story, diagnostics } = parseStory(storyPath(id), await read(storyPath(id)));
  expect(diagnostics).toEqual([]);
  if (!story) throw new Error(`${id}: no story`);
  const { workspace, report } = importFiles(await lessonFiles(story, read));
  // A lesson's files are what a learner would write: they read without warnings or errors.
  const problems = [...report.diagnostics, ...report.files.flatMap((f) => f.diagnostics)].filter(
    (d) => d.severity !== 'info',
  );
  expect(problems).toEqual([]);
  return { story, base: workspace };
};

const keysOf = (a: Analysis, id: string) =>
  a.findings
    .filter((f) => f.id === id)
    .map((f) => f.key)
    .sort();

describe('the shipped lessons (public/samples/lessons)', () => {
  it('index lists the eight points of the talk, each a folder with a story of 3–6 steps', async () => {
    expect(ids).toHaveLength(8);
    for (const id of ids) {
      const { story } = parseStory(storyPath(id), await read(storyPath(id)));
      expect(story?.id).toBe(id);
      expect(story?.lesson).toBe(ids.indexOf(id) + 1);
    }
  });

  it.each(ids)(
    '%s: every beat shows a resolvable view and its expectations hold on the analysis',
    async (id) => {
      const { story, base } = await loadLesson(id);
      const analyses: Analysis[] = [];
      const beats = beatsOf(story);
      // Beats without a new action show the same workspace: analyse each workspace once.
      const byCommands = new Map<number, Analysis>();
      for (let i = 0; i < beats.length; i++) {
        const state = stateAt(base, story, i);
        const analysis = byCommands.get(state.commands.length) ?? analyze(state.workspace);
        byCommands.set(state.commands.length, analysis);
        analyses.push(analysis);
        const failures = await checkExpectations(
          { workspace: state.workspace, analysis, reach: (f, t, p) => reach(state.workspace, f, t, p) },
          state.expect,
        );
        expect({ beat: i, step: state.beat.step, done: state.beat.done, failures }).toEqual({
          beat: i,
          step: state.beat.step,
          done: state.beat.done,
          failures: [],
        });
      }
      // The lesson's finding is on screen at some beat, and every action changes what the analysis finds.
      expect(analyses.some((a) => keysOf(a, story.finding).length > 0)).toBe(true);
      let flips = 0;
      beats.forEach((b, i) => {
        if (!b.done) return;
        const before = analyses[i - 1] as Analysis;
        const after = analyses[i] as Analysis;
        // Something for the what-if to show: a finding appears, goes, or changes its figures.
        const all = (a: Analysis) => a.findings.map((f) => `${f.key} ${f.message}`).sort();
        expect(all(after), `step ${b.step}'s action changes no finding`).not.toEqual(all(before));
        if (JSON.stringify(keysOf(before, story.finding)) !== JSON.stringify(keysOf(after, story.finding))) flips++;
      });
      // A hub stays a hub whatever a move does (calls make it one); every other lesson's action flips its finding.
      if (story.finding !== 'hub') expect(flips).toBeGreaterThan(0);
    },
    120_000,
  );
});
