// A lesson's guided story as data (story.json): schema, types, and a parser that locates every problem.
import { z } from 'zod';
import { FINDING_IDS } from '../analysis/types';
import { parseJson } from '../import/json';
import { diagnostic, pointer } from '../import/text';
import { type Diagnostic, LEVELS } from '../model/types';

/**
 * A reference to a service or segment as a person writes it: its id, its name, or the end of its id
 * after a format prefix (`v1/proxy` for `compose:v1/proxy`). Resolved against the lesson's workspace.
 */
const ref = z.string().min(1);
const level = z.enum(LEVELS);
const port = z.number().int().min(0).max(65535);

/** A finding of this id whose subjects include these services and segments (and whose key starts so). */
const findingExpectation = z.strictObject({
  finding: z.enum(FINDING_IDS),
  services: z.array(ref).optional(),
  segments: z.array(ref).optional(),
  key: z.string().min(1).optional(),
});

const expectations = z.strictObject({
  present: z.array(findingExpectation).optional(),
  absent: z.array(findingExpectation).optional(),
  /** A required call between the two (on that port) has this class. */
  calls: z
    .array(z.strictObject({ from: ref, to: ref, port: port.optional(), class: z.enum(['allowed', 'broken']) }))
    .optional(),
  /** The pair is (not) reachable, called or not. */
  reach: z.array(z.strictObject({ from: ref, to: ref, port: port.optional(), reachable: z.boolean() })).optional(),
});

/** The model commands of src/model/commands.ts, with services and segments named by reference. */
const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('moveService'), service: ref, level, from: ref.nullable(), to: ref.nullable() }),
  z.strictObject({
    type: z.literal('createSegment'),
    segment: z.strictObject({ id: z.string().min(1), level, name: z.string().min(1), parent: ref.optional() }),
  }),
  z.strictObject({ type: z.literal('renameSegment'), segment: ref, name: z.string().min(1) }),
  z.strictObject({ type: z.literal('deleteSegment'), segment: ref, moveMembersTo: ref.nullable() }),
  z.strictObject({
    type: z.literal('splitSegment'),
    segment: ref,
    newSegment: z.strictObject({ id: z.string().min(1), name: z.string().min(1) }),
    services: z.array(ref).min(1),
  }),
  z.strictObject({ type: z.literal('mergeSegments'), from: ref, into: ref }),
]);

/** At most two sentences (and 160 characters, two lines at 28 px on a 1280 px screen): read aloud, not studied. */
const sentences = (text: string): number => text.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '').length;

const step = z
  .strictObject({
    caption: z
      .string()
      .min(1)
      .max(160)
      .refine((c) => sentences(c) <= 2, 'a caption is one or two sentences'),
    view: z.strictObject({
      focus: level,
      select: ref.optional(),
      reveal: z.strictObject({ services: z.array(ref).optional(), segments: z.array(ref).optional() }).optional(),
    }),
    action: action.optional(),
    /** What holds when the step is shown (before its action). */
    expect: expectations.optional(),
    /** What holds after the step's action. */
    after: expectations.optional(),
  })
  .refine((s) => s.after === undefined || s.action !== undefined, {
    message: '"after" needs an "action"',
    path: ['after'],
  })
  .refine((s) => s.action === undefined || s.after !== undefined, {
    message: 'an action needs "after": what it changes',
    path: ['action'],
  });

/** A generated estate (src/gen) in place of files: same seed, same estate, everywhere. */
const generate = z.strictObject({
  services: z.number().int().min(1).max(20000),
  segments: z.number().int().min(1).optional(),
  seed: z.number().int(),
});

export const storySchema = z
  .strictObject({
    lesson: z.number().int().min(1),
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1).max(60),
    summary: z.string().min(1).max(240),
    /** The finding the lesson is about. */
    finding: z.enum(FINDING_IDS),
    /** The lesson's workspace: files under the lesson's `files/` folder, read through the import boundary… */
    files: z.array(z.string().min(1)).min(1).optional(),
    /** …or a generated estate. */
    generate: generate.optional(),
    steps: z.array(step).min(3).max(6),
  })
  .refine((s) => (s.files === undefined) !== (s.generate === undefined), {
    message: 'a lesson has either "files" or "generate"',
    path: ['files'],
  });

export type Story = z.infer<typeof storySchema>;
export type StoryStep = Story['steps'][number];
export type StoryAction = NonNullable<StoryStep['action']>;
export type Expectations = z.infer<typeof expectations>;
export type FindingExpectation = z.infer<typeof findingExpectation>;
export type StoryView = StoryStep['view'];

export interface ParsedStory {
  story?: Story;
  diagnostics: Diagnostic[];
}

/** Parse and validate a story file; every problem names the file, line and column. */
export const parseStory = (file: string, text: string): ParsedStory => {
  const parsed = parseJson(file, text);
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics };
  const result = storySchema.safeParse(parsed.value);
  if (result.success) return { story: result.data, diagnostics: parsed.diagnostics };
  return {
    diagnostics: result.error.issues.map((issue) => {
      const path = issue.path as (string | number)[];
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      return diagnostic(
        file,
        parsed.locate(path),
        `not a lesson story: ${where}${issue.message}`,
        'error',
        pointer(path),
      );
    }),
  };
};
