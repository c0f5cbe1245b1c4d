// The graph's palettes per theme (light, dark, presentation): Okabe–Ito hues, darkened or lightened per theme for WCAG AA (style.test.ts).

/** `present`: presentation mode's high-contrast palette, where no label is drawn under PRESENT_LABEL_PX. */
export type GraphTheme = 'light' | 'dark' | 'present';

/** The smallest label presentation mode draws, on screen: read from the back of a room at 1280×720. */
export const PRESENT_LABEL_PX = 24;

export interface GraphColours {
  /** The focused band's background: the canvas. */
  canvas: string;
  text: string;
  muted: string;
  context: string;
  contextBorder: string;
  segmentBorder: string;
  service: string;
  serviceBorder: string;
  /** Segment fills per level (the band's hue) and when their worst finding is an error or a warning. */
  levels: Record<string, string>;
  worstError: string;
  worstWarn: string;
  datastore: string;
  gateway: string;
  edge: string;
  allowed: string;
  broken: string;
  excess: string;
  hub: string;
  quotaWarn: string;
  quotaError: string;
  exposed: string;
  critical: string;
  select: string;
  match: string;
  labelBg: string;
}

export const GRAPH_THEMES: Record<GraphTheme, GraphColours> = {
  light: {
    canvas: '#ffffff',
    text: '#1b1f24',
    muted: '#424a53',
    context: '#f3f4f6',
    contextBorder: '#6e7781',
    segmentBorder: '#57606a',
    service: '#ffffff',
    serviceBorder: '#57606a',
    levels: {
      account: '#eaf1fb',
      role: '#f5edf8',
      network: '#e8f5f1',
      group: '#fdf3e4',
      policy: '#edf6e9',
      overlay: '#fbeef3',
    },
    worstError: '#fde6da',
    worstWarn: '#fcf5d9',
    datastore: '#e4f1fb',
    gateway: '#fcf8dc',
    edge: '#57606a',
    allowed: '#005f95',
    broken: '#a83c00',
    excess: '#8c3f6d',
    hub: '#00664c',
    quotaWarn: '#7a5600',
    quotaError: '#b23a00',
    exposed: '#a83c00',
    critical: '#5a3fa0',
    select: '#0b63c4',
    match: '#b07c00',
    labelBg: '#ffffff',
  },
  dark: {
    canvas: '#0d1117',
    text: '#e6edf3',
    muted: '#c9d1d9',
    context: '#161b22',
    contextBorder: '#8b949e',
    segmentBorder: '#8b949e',
    service: '#0d1117',
    serviceBorder: '#8b949e',
    levels: {
      account: '#18243a',
      role: '#261a2d',
      network: '#112824',
      group: '#2b2112',
      policy: '#16261a',
      overlay: '#2c1822',
    },
    worstError: '#3a1a0e',
    worstWarn: '#2f2a0e',
    datastore: '#0f2233',
    gateway: '#2a2508',
    edge: '#9da7b1',
    allowed: '#6cc2f0',
    broken: '#ff9a66',
    excess: '#e7a0c8',
    hub: '#4fd1a5',
    quotaWarn: '#f0d24a',
    quotaError: '#ff9a66',
    exposed: '#ff9a66',
    critical: '#c7b3ff',
    select: '#58a6ff',
    match: '#e3b341',
    labelBg: '#0d1117',
  },
  // For a projector: black text, outlines and pale fills; verdict and marker hues of the light
  // theme darkened so text reaches 7:1 and edges 4.5:1 on every fill (style.test.ts).
  present: {
    canvas: '#ffffff',
    text: '#000000',
    muted: '#24292f',
    context: '#f6f8fa',
    contextBorder: '#424a53',
    segmentBorder: '#24292f',
    service: '#ffffff',
    serviceBorder: '#000000',
    levels: {
      account: '#f0f5fd',
      role: '#f8f1fa',
      network: '#eef8f5',
      group: '#fef7ec',
      policy: '#f2f9ef',
      overlay: '#fdf2f6',
    },
    worstError: '#fdebe3',
    worstWarn: '#fdf8e4',
    datastore: '#ebf5fc',
    gateway: '#fdfae6',
    edge: '#32383f',
    allowed: '#004b75',
    broken: '#8a3100',
    excess: '#6e2f55',
    hub: '#00513c',
    quotaWarn: '#5c4000',
    quotaError: '#8f2e00',
    exposed: '#8a3100',
    critical: '#46307f',
    select: '#0a4fa0',
    match: '#8a6200',
    labelBg: '#ffffff',
  },
};
