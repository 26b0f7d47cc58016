/** Colours of one chart theme. */
export interface ChartTheme {
  readonly background: string;
  readonly text: string;
  readonly grid: string;
  readonly axis: string;
  readonly up: string;
  readonly down: string;
  readonly volumeUp: string;
  readonly volumeDown: string;
  readonly palette: readonly string[];
  readonly drawing: string;
}

const palette = ['#f5a623', '#4a90e2', '#bd10e0', '#50e3c2', '#e94e77', '#7ed321', '#9b9b9b', '#f8e71c'];

export const THEMES: Readonly<Record<'light' | 'dark', ChartTheme>> = {
  dark: {
    background: '#131722',
    text: '#d1d4dc',
    grid: '#2a2e39',
    axis: '#787b86',
    up: '#26a69a',
    down: '#ef5350',
    volumeUp: 'rgba(38,166,154,0.45)',
    volumeDown: 'rgba(239,83,80,0.45)',
    palette,
    drawing: '#ffeb3b',
  },
  light: {
    background: '#ffffff',
    text: '#131722',
    grid: '#e0e3eb',
    axis: '#6a6d78',
    up: '#089981',
    down: '#f23645',
    volumeUp: 'rgba(8,153,129,0.45)',
    volumeDown: 'rgba(242,54,69,0.45)',
    palette: ['#e67e22', '#2962ff', '#9c27b0', '#00897b', '#c2185b', '#558b2f', '#616161', '#fbc02d'],
    drawing: '#2962ff',
  },
};
